"""Park pages: overview, organisation tree, enterprise roster, coverage gaps, instructors."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from core.pickers import PickerSearchView
from core.roles import ADMIN_ONLY, HANDLER, INSTRUCTOR, PARK_STAFF, SECRETARY
from core.tenancy.scoping import branch_rows
from core.tenancy.views import (
    ParkObjectFormMixin,
    ParkObjectMixin,
    ServiceFormView,
    park_url,
)
from orgs import selectors, services
from orgs.forms import (
    AssignmentEndForm,
    AssignmentForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    InstructorForm,
    OrganisationForm,
    SecretaryOrganisationForm,
)
from orgs.models import Enterprise, Instructor, InstructorAssignment, Organisation
from orgs.pickers import ENTERPRISE_PICKER, match_enterprises


# --- Organisations -------------------------------------------------------------------------------
class OrganisationMixin(ParkObjectMixin):
    model = Organisation
    allowed_roles = PARK_STAFF | SECRETARY

    def restrict(self, queryset):
        return branch_rows(queryset, self.access, "pk")


class OrganisationTreeView(OrganisationMixin, TemplateView):
    template_name = "orgs/organisation_tree.html"

    def get_context_data(self, **kwargs):
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        roots = selectors.organisation_tree(park=self.park, visible_ids=visible)
        return super().get_context_data(nodes=selectors.flatten_tree(roots), **kwargs)


class OrganisationDetailView(OrganisationMixin, DetailView):
    template_name = "orgs/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return super().get_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        organisation = self.object
        return super().get_context_data(
            units=organisation.enterprises.select_related("zone").order_by("name"),
            children=organisation.children.order_by("kind", "name"),
            can_edit=self.access.can_edit_organisation(organisation.pk),
            **kwargs,
        )


class OrganisationFormMixin(OrganisationMixin, ServiceFormView):
    template_name = "orgs/organisation_form.html"

    def get_success_message(self, organisation) -> str:
        return f"已保存党组织“{organisation.name}”。"

    def get_success_url(self):
        return park_url("orgs:organisation_detail", self.park, self.result.pk)


class OrganisationCreateView(OrganisationFormMixin):
    allowed_roles = ADMIN_ONLY
    form_class = OrganisationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "park": self.park}

    def perform(self, form):
        return services.organisation_create(park=self.park, actor=self.request.user, **form.cleaned_data)


class OrganisationUpdateView(ParkObjectFormMixin, OrganisationFormMixin):
    """Park admins edit everything; a branch secretary only the contact fields of their own."""

    def prepare(self):
        super().prepare()
        if not self.access.can_edit_organisation(self.object.pk):
            raise PermissionDenied

    def get_form_class(self):
        return OrganisationForm if self.access.is_admin else SecretaryOrganisationForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.object}
        if self.access.is_admin:
            kwargs["park"] = self.park
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.object, **kwargs)

    def perform(self, form):
        return services.organisation_update(organisation=self.object, actor=self.request.user, **form.cleaned_data)


# --- Enterprises ---------------------------------------------------------------------------------
class EnterpriseMixin(ParkObjectMixin):
    model = Enterprise
    allowed_roles = PARK_STAFF | SECRETARY | INSTRUCTOR

    def restrict(self, queryset):
        return selectors.visible_enterprises(queryset, self.access)


class EnterprisePickView(PickerSearchView):
    """The enterprise picker's search: the enterprises this user may see, at most PICK_LIMIT a query.
    承办部门 choose from the demands' filter too: they see none (visible_enterprises)."""

    allowed_roles = PARK_STAFF | SECRETARY | INSTRUCTOR | HANDLER
    kind = ENTERPRISE_PICKER

    def visible(self):
        return selectors.visible_enterprises(Enterprise.objects.filter(park=self.park), self.access)

    def match(self, queryset, q):
        return match_enterprises(queryset, q)


class EnterpriseListView(EnterpriseMixin, ListView):
    template_name = "orgs/enterprise_list.html"
    context_object_name = "enterprises"
    paginate_by = 25

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = EnterpriseFilterForm(self.request.GET or None, park=self.park)
            self._filter_form.is_valid()
        return self._filter_form

    def get_queryset(self):
        form = self.get_filter_form()
        filters = form.cleaned_data if form.is_bound else {}
        return self.restrict(selectors.enterprise_list(park=self.park, filters=filters))

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter_form=self.get_filter_form(), query=query.urlencode(), **kwargs)


class EnterpriseDetailView(EnterpriseMixin, DetailView):
    template_name = "orgs/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_context_data(self, **kwargs):
        enterprise = self.object
        return super().get_context_data(
            organisations=enterprise.organisations.order_by("name"),
            assignments=enterprise.instructor_assignments.select_related("instructor").order_by("-starts_on"),
            **kwargs,
        )


class EnterpriseFormMixin(EnterpriseMixin, ServiceFormView):
    allowed_roles = ADMIN_ONLY
    form_class = EnterpriseForm
    template_name = "orgs/enterprise_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "park": self.park}

    def get_success_message(self, enterprise) -> str:
        return f"已保存企业“{enterprise.name}”。"

    def get_success_url(self):
        return park_url("orgs:enterprise_detail", self.park, self.result.pk)


class EnterpriseCreateView(EnterpriseFormMixin):
    def perform(self, form):
        return services.enterprise_create(park=self.park, actor=self.request.user, **form.cleaned_data)


class EnterpriseUpdateView(ParkObjectFormMixin, EnterpriseFormMixin):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.object, **kwargs)

    def perform(self, form):
        return services.enterprise_update(enterprise=self.object, actor=self.request.user, **form.cleaned_data)


# --- Instructors ---------------------------------------------------------------------------------
class InstructorMixin(ParkObjectMixin):
    model = Instructor


class InstructorListView(InstructorMixin, ListView):
    template_name = "orgs/instructor_list.html"
    context_object_name = "instructors"

    def get_queryset(self):
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .annotate(
                enterprise_count=Count(
                    "assignments",
                    filter=Q(assignments__starts_on__lte=today)
                    & (Q(assignments__ends_on__isnull=True) | Q(assignments__ends_on__gte=today)),
                )
            )
            .order_by("-is_active", "name")
        )


class InstructorDetailView(InstructorMixin, DetailView):
    template_name = "orgs/instructor_detail.html"
    context_object_name = "instructor"

    def get_queryset(self):
        assignments = InstructorAssignment.objects.select_related("enterprise").order_by("-starts_on")
        return super().get_queryset().prefetch_related(Prefetch("assignments", queryset=assignments))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.access.is_admin:
            context["assign_form"] = AssignmentForm(park=self.park, initial={"starts_on": timezone.localdate()})
        return context


class InstructorFormMixin(InstructorMixin, ServiceFormView):
    allowed_roles = ADMIN_ONLY
    form_class = InstructorForm
    template_name = "orgs/instructor_form.html"

    def get_success_message(self, instructor) -> str:
        return f"已保存指导员“{instructor.name}”。"

    def get_success_url(self):
        return park_url("orgs:instructor_detail", self.park, self.result.pk)


class InstructorCreateView(InstructorFormMixin):
    def perform(self, form):
        return services.instructor_create(park=self.park, actor=self.request.user, **form.cleaned_data)


class InstructorUpdateView(ParkObjectFormMixin, InstructorFormMixin):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(instructor=self.object, **kwargs)

    def perform(self, form):
        return services.instructor_update(instructor=self.object, actor=self.request.user, **form.cleaned_data)


class InstructorAssignView(ParkObjectFormMixin, InstructorFormMixin):
    form_class = AssignmentForm
    template_name = "orgs/assignment_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "park": self.park}

    def get_context_data(self, **kwargs):
        return super().get_context_data(instructor=self.object, **kwargs)

    def perform(self, form):
        services.instructor_assign(park=self.park, actor=self.request.user, instructor=self.object, **form.cleaned_data)
        return self.object


class AssignmentEndView(ParkObjectFormMixin, ServiceFormView):
    model = InstructorAssignment
    allowed_roles = ADMIN_ONLY
    form_class = AssignmentEndForm
    template_name = "orgs/assignment_end.html"
    success_message = "已结束联系。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initial": {"ends_on": timezone.localdate()}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.object, **kwargs)

    def perform(self, form):
        return services.instructor_assignment_end(assignment=self.object, actor=self.request.user, ends_on=form.cleaned_data["ends_on"])

    def get_success_url(self):
        return park_url("orgs:instructor_detail", self.park, self.object.instructor_id)

