"""红色代办 pages: the demand list with its figures, raising a demand, a demand with its timeline and
the steps this user may take, the 台账 export, and the park's departments."""

from datetime import date, timedelta

from django.http import FileResponse, Http404
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from core.http import content_disposition, download
from core.roles import ADMIN_ONLY, HANDLER, INSTRUCTOR, PARK_STAFF, SECRETARY, Role
from core.spreadsheets import write_xlsx
from core.tenancy.views import (
    ParkObjectFormMixin,
    ParkObjectMixin,
    ServiceActionView,
    ServiceFormView,
    park_url,
)
from orgs.models import Enterprise
from orgs.selectors import visible_enterprises
from services import demands, forms
from services.departments import department_save, handler_users
from services.models import Demand, DemandAttachment, Department
from services.selectors import demand_figures

DEMAND_ROLES = PARK_STAFF | SECRETARY | INSTRUCTOR | HANDLER
RAISERS = frozenset({Role.PARK_ADMIN, Role.BRANCH_SECRETARY, Role.INSTRUCTOR})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DemandMixin(ParkObjectMixin):
    model = Demand
    allowed_roles = DEMAND_ROLES

    def restrict(self, queryset):
        return demands.visible_demands(queryset, self.access)

    def settings(self):
        if not hasattr(self, "_settings"):
            self._settings = demands.service_settings(self.park)
        return self._settings

    def filter_form(self):
        return forms.DemandFilterForm(
            self.request.GET or None, categories=self.settings().categories,
            departments=Department.objects.filter(park=self.park), colours=demands.COLOUR_LABELS,
            enterprises=visible_enterprises(Enterprise.objects.filter(park=self.park), self.access),
        )

    def filtered(self):
        """The demands this user sees, narrowed by the list's filters, and the filter form."""
        qs = ParkObjectMixin.get_queryset(self).select_related("enterprise", "department")
        form = self.filter_form()
        if form.is_valid():
            data = form.cleaned_data
            for field in ("state", "category", "department", "enterprise"):
                if data.get(field):
                    qs = qs.filter(**{field: data[field]})
            if data.get("colour"):
                qs = qs.filter(demands.colour_q(data["colour"], settings=self.settings(), today=timezone.localdate()))
        return qs, form


class DemandListView(DemandMixin, ListView):
    template_name = "services/demand_list.html"
    context_object_name = "demands"
    paginate_by = 25

    def get_queryset(self):
        queryset, self._form = self.filtered()
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self._form, **kwargs)
        today = timezone.localdate()
        for demand in context["demands"]:
            demand.colour = demands.colour_of(demand, settings=self.settings(), today=today)
            demand.colour_label = demands.COLOUR_LABELS.get(demand.colour, "")
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(query=query.urlencode(), can_raise=self.access.has_any(RAISERS) and not self.access.read_only)
        if self.access.sees_whole_park:
            year = today.year
            context["figures"] = demand_figures(park=self.park, start=date(year, 1, 1), end=date(year, 12, 31), today=today)
            context["year"] = year
        return context


class DemandExportView(DemandMixin, View):
    """台账: one row per demand with its dates and the days it took, as filtered on the list."""

    allowed_roles = PARK_STAFF

    def get(self, request, *args, **kwargs):
        qs, _form = self.filtered()
        header = ["企业", "类别", "紧急程度", "诉求内容", "提出时间", "状态", "承办部门", "办理时限", "办理结果", "销号时间", "办理天数"]
        rows = (
            [d.enterprise.name, d.category, d.get_urgency_display(), d.description, timezone.localtime(d.raised_at).date(),
             d.get_state_display(), d.department.name if d.department else "", d.due_on, d.resolution,
             timezone.localtime(d.closed_at).date() if d.closed_at else None,
             (d.closed_at - d.raised_at).days if d.closed_at else None]
            for d in qs.order_by("raised_at", "pk").iterator()
        )
        name = f"{self.park.name}红色代办台账{timezone.localdate():%Y%m%d}.xlsx"
        return download(write_xlsx(header, rows, title="红色代办台账"), name, XLSX)


class DemandCreateView(ServiceFormView):
    allowed_roles = RAISERS
    template_name = "form_page.html"
    form_class = forms.DemandForm
    extra_context = {"title": "提出诉求（红色代办）"}
    success_message = "诉求已提交，园区党建办将派单办理。"

    def get_form_kwargs(self):
        enterprises = visible_enterprises(Enterprise.objects.filter(park=self.park, status=Enterprise.Status.ACTIVE), self.access)
        return {**super().get_form_kwargs(), "enterprises": enterprises, "categories": demands.service_settings(self.park).categories}

    def perform(self, form):
        return demands.demand_raise(park=self.park, access=self.access, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("services:demand", self.park, self.result.pk)


class DemandDetailView(DemandMixin, DetailView):
    template_name = "services/demand_detail.html"
    context_object_name = "demand"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "department", "raised_by")

    def get_context_data(self, **kwargs):
        demand = self.object
        departments = Department.objects.filter(park=self.park, is_active=True)
        steps = [(step, forms.DemandActionForm(departments=departments, initial=self.initial(step))) for step in demands.allowed_actions(demand, self.access)]
        colour = demands.colour_of(demand, settings=self.settings(), today=timezone.localdate())
        return super().get_context_data(
            events=demand.events.select_related("actor"), attachments=demand.attachments.order_by("pk"), steps=steps,
            colour=colour, colour_label=demands.COLOUR_LABELS.get(colour, ""), **kwargs,
        )

    def initial(self, step) -> dict:
        if step.needs != "department":
            return {}
        return {"department": self.object.department, "due_on": timezone.localdate() + timedelta(days=self.settings().default_due_days)}


class DemandActionView(DemandMixin, ServiceActionView):
    """One step of the loop, named in the URL; the service's table says whether it may be taken."""

    def prepare(self):
        self.demand = self.get_object()
        if self.kwargs["action"] not in demands.ACTIONS:
            raise Http404

    form_class = forms.DemandActionForm

    def get_form(self):
        return self.form_class(self.request.POST, departments=Department.objects.filter(park=self.park))

    def perform(self, data):
        return demands.demand_act(demand=self.demand, access=self.access, actor=self.request.user, action=self.kwargs["action"],
                                  note=data["note"], department=data["department"], due_on=data["due_on"])

    def get_success_message(self, demand) -> str:
        return f"已{demands.ACTIONS[self.kwargs['action']].label}，诉求现为“{demand.get_state_display()}”。"

    def get_success_url(self):
        return park_url("services:demand", self.park, self.demand.pk)


class DemandAttachmentView(ParkObjectMixin, View):
    """A demand's file, only to those who may see the demand."""

    model = DemandAttachment
    allowed_roles = DEMAND_ROLES

    def restrict(self, queryset):
        return queryset.filter(demand__in=demands.visible_demands(Demand.objects.filter(park=self.park), self.access))

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition(attachment.name, inline=attachment.is_photo)
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Departments ---------------------------------------------------------------------------------
class DepartmentListView(ParkObjectMixin, ListView):
    model = Department
    allowed_roles = PARK_STAFF
    template_name = "services/departments.html"
    context_object_name = "departments"


class DepartmentFormMixin(ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.DepartmentForm
    success_message = "已保存承办部门。"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["user"].queryset = handler_users(self.park)
        form.fields["user"].required = False
        return form

    def get_success_url(self):
        return park_url("services:departments", self.park)


class DepartmentCreateView(DepartmentFormMixin):
    extra_context = {"title": "添加承办部门"}

    def perform(self, form):
        return department_save(park=self.park, actor=self.request.user, **form.cleaned_data)


class DepartmentUpdateView(ParkObjectFormMixin, DepartmentFormMixin):
    model = Department
    extra_context = {"title": "修改承办部门"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form):
        return department_save(park=self.park, actor=self.request.user, department=self.object, **form.cleaned_data)
