"""Member pages: roster list, detail with history, create (or transfer in), edit, transfer."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView, ListView, TemplateView

from audit.labels import action_label, changes_of
from audit.models import AuditEntry
from core.crypto import id_hash
from core.forms import add_service_errors
from core.http import download
from core.pickers import PickerSearchView
from core.roles import ADMIN_ONLY, BRANCH_WRITERS, PARK_STAFF, SECRETARY
from core.tenancy.views import (
    AdminWritesMixin,
    ParkObjectFormMixin,
    ParkObjectMixin,
    ParkViewMixin,
    ServiceFormView,
    StoredFileView,
    park_url,
)
from core.validators import normalize_text
from members import documents, forms, selectors, services
from members.asides import asides_for
from members.checks import organisation_check
from members.development import ORDER, STEP, STEPS, last_done, next_due
from members.forms import MemberFilterForm, MemberForm, TransferForm, TransferInFields
from members.models import (
    DevelopmentStep,
    DocumentTemplate,
    Member,
    MemberTransfer,
    ProbationExtension,
)
from members.pickers import MEMBER_PICKER, match_members
from members.rules import probation_end
from orgs.selectors import coverage_summary, live_branches, writable_branches


class MemberMixin(ParkObjectMixin):
    model = Member
    allowed_roles = PARK_STAFF | SECRETARY

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Names and, for a park admin, whole ID numbers: no browser or proxy cache keeps these pages.
        patch_cache_control(response, no_store=True, private=True)
        return response

    def restrict(self, queryset):
        return selectors.visible_members(queryset, self.access)

    def visible(self):
        """The park's members this user may see (whose names a refusal may give)."""
        return selectors.visible_members(Member.objects.filter(park=self.park), self.access)

    def branches(self):
        """Branches this user may put members in."""
        return writable_branches(park=self.park, access=self.access)

    def shown_id(self, member) -> str:
        return member.id_number if self.access.is_admin else member.id_masked


class MemberPickView(PickerSearchView):
    """The member picker's search: the members this user may see, at most PICK_LIMIT a query."""

    allowed_roles = PARK_STAFF | SECRETARY
    kind = MEMBER_PICKER

    def visible(self):
        return selectors.visible_members(Member.objects.filter(park=self.park), self.access)

    def match(self, queryset, q):
        return match_members(queryset, q)


@method_decorator(sensitive_post_parameters("q"), name="dispatch")
class MemberListView(MemberMixin, ListView):
    template_name = "members/member_list.html"
    post_only_reads = True  # its POST is the search box, which only redirects (accounts.middleware)
    context_object_name = "members"
    paginate_by = 25

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            visible = live_branches(park=self.park)
            if not self.access.sees_whole_park:
                visible = visible.filter(pk__in=self.access.organisation_ids)
            self._filter_form = MemberFilterForm(self.request.GET or None, branches=visible)
            self._filter_form.is_valid()
        return self._filter_form

    def get_queryset(self):
        form = self.get_filter_form()
        return self.restrict(selectors.member_list(park=self.park, filters=form.cleaned_data if form.is_bound else {}))

    def post(self, request, *args, **kwargs):
        """The search box posts, so a whole ID number never appears in a URL or the access log: it
        is sent on as its keyed hash; any other search goes on as it was typed."""
        params = {name: request.POST.get(name, "")[:100] for name in ("branch", "stage", "status")}
        q = normalize_text(request.POST.get("q", ""))[:100]
        if number := selectors.whole_id_number(q):
            params["idh"] = id_hash(number)
        else:
            params["q"] = q
        query = urlencode({k: v for k, v in params.items() if v})
        return HttpResponseRedirect(park_url("members:list", self.park) + (f"?{query}" if query else ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.get_filter_form(), **kwargs)
        for member in context["members"]:
            member.shown_id = self.shown_id(member)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(query=query.urlencode(), can_write=self.access.has_any(BRANCH_WRITERS),
                       by_id=bool(self.get_filter_form().is_bound and self.get_filter_form().cleaned_data.get("idh")))
        return context


class MemberDetailView(MemberMixin, DetailView):
    template_name = "members/member_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return super().get_queryset().select_related("branch", "enterprise")

    def get_context_data(self, **kwargs):
        member = self.object
        history = AuditEntry.objects.filter(park=self.park, target_type="members.member", target_id=member.pk).select_related("actor")[:50]
        return super().get_context_data(
            shown_id=self.shown_id(member),
            transfers=member.transfers.select_related("from_branch", "to_branch"),
            status_changes=member.status_changes.select_related("actor"),
            extension=ProbationExtension.objects.filter(park=self.park, member=member).first(),
            history=[(h, action_label(h.action), changes_of(h.action, h.changes)) for h in history],
            can_write=self.access.has_any(BRANCH_WRITERS),
            **kwargs,
        )


@method_decorator(sensitive_post_parameters("id_number"), name="dispatch")
class MemberCreateView(MemberMixin, FormView):
    allowed_roles = BRANCH_WRITERS
    form_class = MemberForm
    template_name = "members/member_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "park": self.park, "branches": self.branches()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("transfer_form", TransferInFields(self.request.POST or None))
        return context

    def form_valid(self, form):
        transfer = TransferInFields(self.request.POST)
        transfer.is_valid()
        data = {**form.cleaned_data, "visible": self.visible()}  # an ID number held elsewhere names nobody
        try:
            if transfer.cleaned_data.get("transfer_from"):
                member = services.member_transfer_in(
                    park=self.park, actor=self.request.user, external_organisation=transfer.cleaned_data["transfer_from"],
                    on=transfer.cleaned_data.get("transferred_on") or data.get("joined_on"), **data,
                )
            else:
                member = services.member_create(park=self.park, actor=self.request.user, **data)
        except ValidationError as exc:
            if "on" in exc.error_dict:  # the transfer's own fields are on the second form
                transfer.add_error("transferred_on", exc.error_dict.pop("on"))
            if "external_organisation" in exc.error_dict:
                transfer.add_error("transfer_from", exc.error_dict.pop("external_organisation"))
            if exc.error_dict:
                add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, transfer_form=transfer))
        messages.success(self.request, f"已添加{member.name}。")
        return HttpResponseRedirect(reverse("members:detail", args=[self.park.code, member.pk]))


@method_decorator(sensitive_post_parameters("id_number"), name="dispatch")
class MemberUpdateView(MemberMixin, ParkObjectFormMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    form_class = MemberForm
    template_name = "members/member_form.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "park": self.park, "branches": self.branches(), "instance": self.object}
        kwargs["initial"] = {"id_number": self.shown_id(self.object)}
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        if data["id_number"] == self.object.id_masked:
            data.pop("id_number")  # the masked number shown back unchanged: keep the stored one
        return services.member_update(member=self.object, actor=self.request.user, visible=self.visible(), **data)

    def get_success_message(self, member) -> str:
        return f"已保存{member.name}。"

    def get_success_url(self):
        return park_url("members:detail", self.park, self.object.pk)


class MemberTransferView(MemberMixin, ParkObjectFormMixin, ServiceFormView):
    allowed_roles = ADMIN_ONLY
    form_class = TransferForm
    template_name = "members/member_transfer.html"
    success_message = "组织关系转接已登记。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "park": self.park}

    def perform(self, form):
        data = form.cleaned_data
        if data["kind"] == MemberTransfer.Kind.WITHIN:  # the service refuses a missing branch
            return services.member_transfer_within(
                member=self.object, actor=self.request.user, to_branch=data["to_branch"], on=data["on"], note=data["note"]
            )
        return services.member_transfer_out(
            member=self.object, actor=self.request.user, external_organisation=data["external_organisation"], on=data["on"], note=data["note"]
        )

    def get_success_url(self):
        return park_url("members:detail", self.park, self.object.pk)


class CoverageGapView(ParkViewMixin, TemplateView):
    """Enterprises no organisation covers, with the form that would fit each (who works there decides)."""

    template_name = "members/coverage_gaps.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            coverage=coverage_summary(park=self.park), gaps=selectors.coverage_gaps(park=self.park), **kwargs
        )


class MemberDecisionMixin(MemberMixin, ParkObjectFormMixin, ServiceFormView):
    """A decision on a member's record (status, probation), by the park admin or their branch's secretary."""

    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"

    def get_success_url(self):
        return park_url("members:detail", self.park, self.object.pk)


class MemberStatusView(MemberDecisionMixin):
    form_class = forms.StatusChangeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.object.name} · 状态变更（现为{self.object.get_status_display()}）", **kwargs)

    def perform(self, form):
        return services.member_status_change(member=self.object, actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, change) -> str:
        return f"{self.object.name}的状态已由“{change.get_from_status_display()}”变更为“{change.get_to_status_display()}”。"


class ProbationExtendView(MemberDecisionMixin):
    form_class = forms.ProbationExtensionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.object.name} · 延长预备期", **kwargs)

    def perform(self, form):
        return services.probation_extend(member=self.object, actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, extension) -> str:
        return f"已记录延长预备期{extension.months}个月。"


class OrganisationCheckView(ParkViewMixin, TemplateView):
    """组织体检: each organisation that breaks a rule of the 条例, with the rule and the article."""

    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "members/org_check.html"

    def get_context_data(self, **kwargs):
        mine = None if self.access.sees_whole_park else self.access.organisation_ids
        return super().get_context_data(
            findings=organisation_check(park=self.park, today=timezone.localdate(), organisation_ids=mine), **kwargs
        )


# --- 发展党员 ----------------------------------------------------------------------------------------
class DevelopmentView(MemberDecisionMixin):
    """A person's 发展党员纪实: the 25 steps with what is done, the next one due, and recording it."""

    template_name = "members/development.html"
    form_class = forms.DevelopmentStepForm

    def get_form_kwargs(self):
        done = selectors.steps_done(park=self.park, member_ids=[self.object.pk])[self.object.pk]
        self.done = done
        pending = [(ORDER[s.code], s) for s in STEPS[last_done(done):] if s.code not in done]
        return {**super().get_form_kwargs(), "steps": pending}

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = {r.step: r for r in DevelopmentStep.objects.filter(park=self.park, member=self.object).select_related("recorded_by")}
        due = next_due(self.done, publicity=selectors.publicity_rule(self.park), extension_months=services.extension_months_of(self.object))
        rows = [(ORDER[s.code], s, records.get(s.code)) for s in STEPS]
        asides = asides_for(due.code, park=self.park, member=self.object) if due else []
        return {**context, "rows": rows, "due": due, "due_step": STEP[due.code] if due else None, "papers": documents.PAPERS, "asides": asides,
                "title": f"{self.object.name} · 发展党员纪实"}

    def perform(self, form):
        return services.development_step_record(park=self.park, actor=self.request.user, member=self.object, **form.cleaned_data)

    def get_success_message(self, recorded) -> str:
        return f"已记录“{STEP[recorded.step].name}”（{recorded.on:%Y-%m-%d}）。"

    def get_success_url(self):
        return park_url("members:development", self.park, self.object.pk)


class DevelopmentDueView(ParkViewMixin, TemplateView):
    """Who waits for which step, and by when: the park's, or a secretary's own branch's."""

    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "members/development_due.html"

    def get_context_data(self, **kwargs):
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        rows = [(member, due, STEP[due.code]) for member, due in selectors.development_due(park=self.park, branch_ids=visible)]
        return super().get_context_data(rows=rows, today=timezone.localdate(), **kwargs)


class DevelopmentSettingsView(AdminWritesMixin, ServiceFormView):
    """The park's 发展党员 practice (how many working days 公示 runs): read by the office, set by the admin."""

    allowed_roles = PARK_STAFF
    template_name = "members/development_settings.html"
    form_class = forms.DevelopmentSettingsForm
    success_message = "发展党员设置已保存。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": selectors.development_settings(self.park)}

    def perform(self, form):
        return services.development_settings_update(park=self.park, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("members:development_settings", self.park)


class DevelopmentDocumentView(MemberMixin, ParkObjectFormMixin, View):
    """A person's 发展党员 document as .docx, from the park's template or the built-in one."""

    allowed_roles = BRANCH_WRITERS

    def get(self, request, *args, kind, **kwargs):
        if kind not in documents.PAPERS:
            raise Http404
        member = self.object
        records = {r.step: r for r in DevelopmentStep.objects.filter(park=self.park, member=member)}
        done = {code: r.on for code, r in records.items()}
        publicity = selectors.publicity_rule(self.park)
        publicity_end = publicity.ends(done["publicity"]) if "publicity" in done else None
        probation = probation_end(member.joined_on, services.extension_months_of(member)) if member.joined_on else None
        context = documents.member_context(
            member=member, park_name=self.park.name, done=done, records=records, step_on=done.get(kind), today=timezone.localdate(),
            publicity_end=publicity_end, publicity_days=publicity.days, probation_end=probation,
        )
        template = selectors.document_template(park=self.park, kind=kind)
        try:
            data = documents.render(template, context)
        except documents.BadTemplate:  # checked at upload; a template that broke since falls back to the built-in one
            data = documents.render(documents.default_template(kind), context)
        response = download(data, f"{member.name}-{documents.label_of(kind)}.docx", DOCX)
        response["Cache-Control"] = "no-store"
        return response


class DocumentTemplatesView(ServiceFormView):
    """The park's document templates: each built-in one to download and edit, the park's own to upload."""

    allowed_roles = ADMIN_ONLY
    template_name = "members/document_templates.html"
    form_class = forms.DocumentTemplateForm

    def get_context_data(self, **kwargs):
        current = selectors.document_templates(park=self.park)
        rows = [(kind, documents.label_of(kind), current.get(kind)) for kind in documents.PAPERS]
        return super().get_context_data(rows=rows, placeholders=documents.PLACEHOLDERS, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.document_template_upload(park=self.park, actor=self.request.user, kind=data["kind"], upload=data["file"])

    def get_success_message(self, stored) -> str:
        return f"已启用本园区的“{documents.label_of(stored.kind)}”模板。"

    def get_success_url(self):
        return park_url("members:document_templates", self.park)


class DefaultTemplateView(ParkViewMixin, View):
    allowed_roles = ADMIN_ONLY

    def get(self, request, *args, kind, **kwargs):
        if kind not in documents.PAPERS:
            raise Http404
        return download(documents.default_template(kind), f"{documents.label_of(kind)}（默认模板）.docx", DOCX)


class DocumentTemplateFileView(StoredFileView):
    model = DocumentTemplate
    allowed_roles = ADMIN_ONLY


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
