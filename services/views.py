"""红色代办 pages: the demand list with its figures, raising a demand, a demand with its timeline and
the steps this user may take, the 台账 export, and the park's departments."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from core.http import download
from core.periods import quarter_bounds, quarter_of
from core.roles import ADMIN_ONLY, HANDLER, INSTRUCTOR, PARK_STAFF, SECRETARY, Role
from core.spreadsheets import write_xlsx
from core.tenancy.views import (
    ParkObjectFormMixin,
    ParkObjectMixin,
    ServiceActionView,
    ServiceFormView,
    StoredFileView,
    park_url,
    redirect_to,
)
from orgs.models import Enterprise
from orgs.selectors import live_party_branches, visible_enterprises
from services import demands, forms, notices, policies, visits
from services.departments import department_save, handler_users
from services.models import (
    Demand,
    DemandAttachment,
    Department,
    Notice,
    NoticeFile,
    NoticeRecipient,
    Policy,
    PolicyBundle,
    PolicyFile,
    Visit,
)
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
            enterprises=visible_enterprises(Enterprise.objects.filter(park=self.park), self.access), park=self.park,
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
        return {**super().get_form_kwargs(), "enterprises": enterprises, "categories": demands.service_settings(self.park).categories,
                "park": self.park}

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
            cited=demand.cited_policies.select_related("policy"),
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
                                  note=data["note"], department=data["department"], due_on=data["due_on"],
                                  policy_titles=data["policy_titles"])

    def get_success_message(self, demand) -> str:
        return f"已{demands.ACTIONS[self.kwargs['action']].label}，诉求现为“{demand.get_state_display()}”。"

    def get_success_url(self):
        return park_url("services:demand", self.park, self.demand.pk)


class DemandAttachmentView(StoredFileView):
    """A demand's file, only to those who may see the demand."""

    model = DemandAttachment
    allowed_roles = DEMAND_ROLES

    def restrict(self, queryset):
        return queryset.filter(demand__in=demands.visible_demands(Demand.objects.filter(park=self.park), self.access))



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


# --- 通知公告 ---------------------------------------------------------------------------------------
NOTICE_ROLES = PARK_STAFF | SECRETARY | INSTRUCTOR | HANDLER


class NoticeMixin(ParkObjectMixin):
    model = Notice
    allowed_roles = NOTICE_ROLES

    def restrict(self, queryset):
        return notices.visible_notices(queryset, self.access)


class NoticeListView(NoticeMixin, ListView):
    template_name = "services/notice_list.html"
    context_object_name = "notices"
    paginate_by = 25

    def get_queryset(self):
        qs = super().get_queryset().order_by("-published_at", "-pk")
        if self.access.sees_whole_park:
            return qs.annotate(
                sent=Count("recipients"), read=Count("recipients", filter=Q(recipients__first_read_at__isnull=False)),
                replied=Count("recipients", filter=Q(recipients__replied_at__isnull=False)),
            )
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.access.sees_whole_park:
            unread = {
                r.notice_id for r in NoticeRecipient.objects.filter(park=self.park, notice__in=context["notices"], first_read_at__isnull=True)
                .filter(Q(user_id=self.request.user.pk) | Q(branch_id__in=self.access.organisation_ids))
            }
            for notice in context["notices"]:
                notice.unread = notice.pk in unread
        return context


class NoticeCreateView(ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.NoticeForm
    extra_context = {"title": "发布通知"}
    success_message = "通知已发布。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "branches": live_party_branches(park=self.park)}

    def perform(self, form):
        return notices.notice_publish(park=self.park, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("services:notice", self.park, self.result.pk)


class NoticeDetailView(NoticeMixin, DetailView):
    template_name = "services/notice_detail.html"
    context_object_name = "notice"

    def get_context_data(self, **kwargs):
        notice = self.object
        mine = notices.recipients_of(notice, self.access)
        context = super().get_context_data(
            fields=list(notice.fields.all()), mine=mine, files=notice.files.filter(recipient__isnull=True),
            open_for_reply=notice.reply_due is None or timezone.localdate() <= notice.reply_due, **kwargs,
        )
        if self.access.sees_whole_park:
            context["recipients"] = notice.recipients.select_related("branch", "user", "read_by", "replied_by").order_by("branch__name", "pk")
        return context


class NoticeReadView(NoticeMixin, View):
    """The read receipt, posted when the notice is shown (htmx on load, or the button without script)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        notices.notice_read(notice=self.get_object(), access=self.access, actor=request.user)
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return redirect_to("services:notice", self.park, self.kwargs["pk"])


class NoticeReplyView(NoticeMixin, ServiceFormView):
    template_name = "services/notice_reply.html"
    success_message = "回复已提交；截止前可以修改。"

    def prepare(self):
        self.notice = self.get_object()
        mine = notices.recipients_of(self.notice, self.access)
        wanted = self.request.GET.get("r") or self.request.POST.get("r")
        self.recipient = next((r for r in mine if str(r.pk) == wanted), mine[0] if mine else None)
        if self.recipient is None:
            raise Http404

    def get_form(self, form_class=None):
        initial = {f"field_{k}": v for k, v in self.recipient.answers.items()}
        data = (self.request.POST, self.request.FILES) if self.request.method == "POST" else (None, None)
        return forms.reply_form(self.notice.fields.all(), *data, initial=initial)

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=self.notice, recipient=self.recipient, **kwargs)

    def perform(self, form):
        return notices.notice_reply(notice=self.notice, recipient=self.recipient, access=self.access, actor=self.request.user,
                                    data=self.request.POST, files=self.request.FILES)

    def get_success_url(self):
        return park_url("services:notice", self.park, self.notice.pk)


class NoticeRemindView(NoticeMixin, ServiceActionView):
    allowed_roles = ADMIN_ONLY

    def prepare(self):
        self.notice = self.get_object()

    def perform(self, data):
        return notices.notice_remind(notice=self.notice, actor=self.request.user)

    def get_success_message(self, sent) -> str:
        return f"已向{sent}人发送提醒。" if sent else "没有需要提醒的接收方（或今天已提醒过）。"

    def get_success_url(self):
        return park_url("services:notice", self.park, self.notice.pk)


class NoticeRepliesExportView(NoticeMixin, View):
    allowed_roles = PARK_STAFF

    def get(self, request, *args, **kwargs):
        notice = self.get_object()
        return download(notices.replies_xlsx(notice), f"{notice.title}回执汇总.xlsx", XLSX)


class NoticeFileView(StoredFileView):
    """A notice's file, or a reply's, only to those who may see the notice."""

    model = NoticeFile
    allowed_roles = NOTICE_ROLES

    def restrict(self, queryset):
        visible = notices.visible_notices(Notice.objects.filter(park=self.park), self.access)
        queryset = queryset.filter(notice__in=visible)
        if not self.access.sees_whole_park:  # a reply's files: only its own recipient's
            queryset = queryset.filter(Q(recipient__isnull=True) | Q(recipient__in=NoticeRecipient.objects.filter(
                Q(user_id=self.access.user_id) | Q(branch_id__in=self.access.organisation_ids))))
        return queryset



# --- 惠企政策 ---------------------------------------------------------------------------------------
POLICY_ROLES = PARK_STAFF | SECRETARY | INSTRUCTOR | HANDLER


class PolicyListView(ParkObjectMixin, ListView):
    model = Policy
    allowed_roles = POLICY_ROLES
    template_name = "services/policy_list.html"
    context_object_name = "policies"
    paginate_by = 20

    def get_queryset(self):
        self.search_form = forms.PolicySearchForm(self.request.GET or None)
        data = self.search_form.cleaned_data if self.search_form.is_valid() else {}
        self.query = data.get("q", "")
        return policies.policy_search(park=self.park, query=self.query, valid_only=data.get("valid_only", False))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(search_form=self.search_form, searched=self.query, **kwargs)
        for policy in context["policies"]:
            policy.marked_title = policies.highlight(policy.title, self.query, width=200)
            policy.snippet = policies.highlight(policy.body, self.query) if self.query else ""
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query"] = params.urlencode()  # kept by the pagination links
        return context


class PolicyDetailView(ParkObjectMixin, DetailView):
    model = Policy
    allowed_roles = POLICY_ROLES
    template_name = "services/policy_detail.html"
    context_object_name = "policy"

    def get_context_data(self, **kwargs):
        return super().get_context_data(files=self.object.files.order_by("pk"), today=timezone.localdate(), **kwargs)


class PolicyFormMixin(ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.PolicyForm
    success_message = "已保存政策。"

    def get_success_url(self):
        return park_url("services:policy", self.park, self.result.pk)


class PolicyCreateView(PolicyFormMixin):
    extra_context = {"title": "添加政策"}

    def perform(self, form):
        return policies.policy_save(park=self.park, actor=self.request.user, **form.cleaned_data)


class PolicyUpdateView(ParkObjectFormMixin, PolicyFormMixin):
    model = Policy
    extra_context = {"title": "修改政策"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form):
        return policies.policy_save(park=self.park, actor=self.request.user, policy=self.object, **form.cleaned_data)


class PolicyFileView(StoredFileView):
    model = PolicyFile
    allowed_roles = POLICY_ROLES



# --- 走访 -------------------------------------------------------------------------------------------
class VisitListView(ParkObjectMixin, ListView):
    """An instructor's to-do (enterprises still to visit this quarter, demands awaiting their word)
    and their visits; for the park office, every instructor's quarter and the enterprises unvisited."""

    model = Visit
    allowed_roles = PARK_STAFF | INSTRUCTOR
    template_name = "services/visits.html"
    context_object_name = "visits"
    paginate_by = 25

    def prepare(self):
        self.instructor = None if self.access.sees_whole_park else visits.instructor_of(self.park, self.request.user)

    def restrict(self, queryset):
        return visits.visible_visits(queryset, self.access, self.request.user)

    def get_queryset(self):
        return super().get_queryset().select_related("instructor", "enterprise", "demand")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        context = super().get_context_data(today=today, **kwargs)
        if self.access.sees_whole_park:
            due = visits.visits_due(park=self.park, on=today)
            context["unvisited"] = [d for d in due if d.visits == 0]
            context["per_instructor"] = (
                Visit.objects.filter(park=self.park, visited_on__gte=quarter_bounds(today.year, quarter_of(today))[0])
                .values("instructor__name").annotate(n=Count("pk")).order_by("instructor__name")
            )
        elif self.instructor is not None:
            context["due"] = [d for d in visits.visits_due(park=self.park, on=today, instructor=self.instructor) if d.owed]
            context["awaiting"] = demands.visible_demands(Demand.objects.filter(park=self.park), self.access).filter(
                state=Demand.State.RESOLVED).select_related("enterprise")[:20]
        return context


class VisitCreateView(ServiceFormView):
    allowed_roles = INSTRUCTOR
    template_name = "form_page.html"
    form_class = forms.VisitForm
    extra_context = {"title": "登记走访"}

    def get_form_kwargs(self):
        instructor = visits.instructor_of(self.park, self.request.user)
        enterprises = visits.assigned_enterprises(instructor, timezone.localdate()) if instructor else Enterprise.objects.none()
        return {**super().get_form_kwargs(), "enterprises": enterprises, "categories": demands.service_settings(self.park).categories,
                "initial": {"visited_on": timezone.localdate(), "enterprise": self.request.GET.get("enterprise")}}

    def perform(self, form):
        return visits.visit_log(park=self.park, access=self.access, actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, visit) -> str:
        return "已登记走访，发现的问题已转为红色代办诉求。" if visit.demand_id else "已登记走访。"

    def get_success_url(self):
        return park_url("services:visits", self.park)


class BundleListView(ParkObjectMixin, ListView):
    model = PolicyBundle
    allowed_roles = POLICY_ROLES
    template_name = "services/bundles.html"
    context_object_name = "bundles"
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().order_by("-pk")


class BundleCreateView(ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.BundleForm
    extra_context = {"title": "新建政策大礼包"}
    success_message = "已保存政策大礼包。"

    def perform(self, form):
        return policies.bundle_save(park=self.park, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("services:bundle", self.park, self.result.pk)


class BundleDetailView(ParkObjectMixin, DetailView):
    model = PolicyBundle
    allowed_roles = POLICY_ROLES
    template_name = "services/bundle_detail.html"
    context_object_name = "bundle"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(policies=policies.bundle_policies(self.object), **kwargs)
        if self.access.is_admin:
            context["send_form"] = forms.BundleSendForm(branches=live_party_branches(park=self.park))
        return context


class BundleSendView(ParkObjectMixin, ServiceActionView):
    model = PolicyBundle
    allowed_roles = ADMIN_ONLY
    form_class = forms.BundleSendForm

    def prepare(self):
        self.bundle = self.get_object()

    def get_form(self):
        return self.form_class(self.request.POST, branches=live_party_branches(park=self.park))

    def perform(self, data):
        return policies.bundle_send(bundle=self.bundle, actor=self.request.user, **data)

    def get_success_message(self, notice) -> str:
        return f"已作为通知发送：{notice.title}。"

    def get_success_url(self):
        return park_url("services:bundle", self.park, self.bundle.pk)
