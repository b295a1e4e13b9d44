"""Pages of the 四个一 cycle: the monthly work list and its tasks, monthly reports, the cycle and its
settings, the half-year nominations, the annual review, and each user's notifications."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.views.generic import DetailView, ListView, TemplateView
from django_celery_beat.models import PeriodicTask

from activities.selectors import cycle_settings
from activities.views import BranchScopedMixin
from core.periods import month_start, previous_month
from core.roles import (
    ADMIN_ONLY,
    ALL_ROLES,
    BRANCH_WRITERS,
    PARK_STAFF,
    SCORERS,
    SECRETARY,
)
from core.tenancy.views import (
    ParkObjectFormMixin,
    ParkObjectMixin,
    ServiceActionView,
    ServiceFormView,
    park_url,
)
from cycle import forms, services
from cycle.deadlines import deadline_state, late_days_at, policies_of, report_deadline
from cycle.models import (
    AnnualReview,
    DeadlinePolicy,
    HalfYearSummary,
    InspectionRound,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    Notification,
    Rating,
    SecretaryReport,
    TaskAssignment,
    TaskTemplate,
    WorkTask,
)
from cycle.notifications import notifications_mark_read
from cycle.selectors import (
    BoardWindow,
    board_assignments,
    board_tasks,
    late_report_branches,
)
from cycle.tasks import cycle_all_parks
from members.models import Member
from orgs.tasks import dissolve_ended_branches_all_parks


# --- 月工作清单 -------------------------------------------------------------------------------------
class TaskBoardView(BranchScopedMixin, TemplateView):
    """月工作清单: this month's work list and what is still open, by default; older work lists by
    month or year. A page of rows at a time, in a fixed number of queries whatever the history."""

    template_name = "cycle/tasks.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.today()
        board_filter = forms.TaskBoardFilterForm(self.request.GET or None)
        window = board_filter.window() if board_filter.is_valid() else BoardWindow()
        page_number = self.request.GET.get("page")
        if self.access.sees_whole_park:
            rows = board_tasks(park=self.park, window=window, today=today)
        else:
            rows = board_assignments(park=self.park, branch_ids=self.access.organisation_ids, window=window, today=today)
        page = Paginator(rows, self.paginate_by).get_page(page_number)
        params = self.request.GET.copy()
        params.pop("page", None)
        task_policy = policies_of(self.park)[DeadlinePolicy.Kind.TASK]
        context.update(
            board_filter=board_filter, window=window, page_obj=page, paginator=page.paginator, is_paginated=page.has_other_pages(),
            query=params.urlencode(), today=today, closes=task_policy == DeadlinePolicy.Policy.CLOSE,
        )
        if self.access.sees_whole_park:
            context["tasks"] = page.object_list
        else:
            context["assignments"] = page.object_list
        if self.access.is_admin:
            meeting = MonthlyMeeting.objects.filter(park=self.park).order_by("-month").first()
            context["meeting"] = meeting
            if meeting is not None:
                context["task_form"] = forms.TaskForm(
                    templates=TaskTemplate.objects.filter(park=self.park),
                    initial={"deadline": meeting.month.replace(day=cycle_settings(self.park).task_deadline_day)},
                )
        return context


class TaskAddView(ParkObjectFormMixin, ServiceFormView):
    model = MonthlyMeeting
    allowed_roles = ADMIN_ONLY
    template_name = "cycle/task_form.html"
    form_class = forms.TaskForm
    success_message = "已添加任务。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "templates": TaskTemplate.objects.filter(park=self.park)}

    def perform(self, form):
        data = form.cleaned_data
        return services.task_add(
            meeting=self.object, actor=self.request.user, title=data["title"], deadline=data["deadline"],
            description=data["description"], template=data["template"], save_as_template=data["save_as_template"],
        )

    def get_success_url(self):
        return park_url("cycle:tasks", self.park)


class TaskPublishView(ParkObjectMixin, ServiceActionView):
    model = WorkTask
    allowed_roles = ADMIN_ONLY

    def prepare(self):
        self.task = self.get_object()

    def perform(self, data):
        return services.task_publish(task=self.task, actor=self.request.user)

    def get_success_message(self, created) -> str:
        return f"已下发“{self.task.title}”到 {created} 个党支部。"

    def get_success_url(self):
        return park_url("cycle:tasks", self.park)


class TaskCompleteView(BranchScopedMixin, ParkObjectFormMixin, ServiceFormView):
    model = TaskAssignment
    allowed_roles = BRANCH_WRITERS
    template_name = "cycle/task_complete.html"
    form_class = forms.TaskCompleteForm

    def get_context_data(self, **kwargs):
        state = deadline_state(self.park, DeadlinePolicy.Kind.TASK, self.object.task.deadline, self.today())
        return super().get_context_data(deadline=state, **kwargs)

    def perform(self, form):
        return services.task_complete(
            assignment=self.object, actor=self.request.user, note=form.cleaned_data["note"], evidence=form.cleaned_data["evidence"]
        )

    def get_success_message(self, assignment) -> str:
        return f"已完成“{assignment.task.title}”。"

    def get_success_url(self):
        return park_url("cycle:tasks", self.park)


# --- 月报告 ---------------------------------------------------------------------------------------
class ReportListView(BranchScopedMixin, TemplateView):
    template_name = "cycle/reports.html"

    def get_context_data(self, **kwargs):
        today = self.today()
        last_month = previous_month(today)
        due_day = cycle_settings(self.park).report_due_day
        reports = list(self.restrict(MonthlyReport.objects.filter(park=self.park)).select_related("branch", "submitted_by")[:60])
        for report in reports:
            report.days_late = late_days_at(report_deadline(report.month, due_day), report.submitted_at)
        context = super().get_context_data(
            reports=reports, last_month=last_month,
            deadline=deadline_state(self.park, DeadlinePolicy.Kind.REPORT, report_deadline(last_month, due_day), today),
            this_month_deadline=deadline_state(self.park, DeadlinePolicy.Kind.REPORT, report_deadline(month_start(today), due_day), today),
            **kwargs,
        )
        if self.access.sees_whole_park:
            context["late"] = late_report_branches(self.park, last_month)
        if self.access.has_any(BRANCH_WRITERS):
            context["form"] = forms.ReportForm(branches=self.my_branches(), initial={"month": last_month})
        return context


class ReportFileView(BranchScopedMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "cycle/report_form.html"
    form_class = forms.ReportForm
    success_message = "月报告已报送。"

    def get_context_data(self, **kwargs):
        due_day = cycle_settings(self.park).report_due_day
        today = self.today()
        return super().get_context_data(
            deadline=deadline_state(self.park, DeadlinePolicy.Kind.REPORT, report_deadline(previous_month(today), due_day), today),
            due_day=due_day, **kwargs,
        )

    def get_success_message(self, report) -> str:
        late = late_days_at(report_deadline(report.month, cycle_settings(self.park).report_due_day), report.submitted_at)
        return f"月报告已报送（逾期 {late} 天）。" if late else self.success_message

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "branches": self.my_branches()}

    def perform(self, form):
        return services.report_file(park=self.park, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("cycle:reports", self.park)


# --- The cycle and its settings --------------------------------------------------------------------
class CycleView(ServiceFormView):
    """The rhythm's records and schedule for everyone who works it; the settings form for the admin."""

    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "cycle/cycle.html"
    form_class = forms.CycleSettingsForm
    success_message = "四个一设置已保存，提醒时间已更新。"

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": cycle_settings(self.park), "park": self.park}

    def get_context_data(self, **kwargs):
        schedule = PeriodicTask.objects.filter(
            Q(name=services.reminder_task_name(self.park)) | Q(task__in=[cycle_all_parks.name, dissolve_ended_branches_all_parks.name])
        ).select_related("crontab")
        return super().get_context_data(
            meetings=MonthlyMeeting.objects.filter(park=self.park).order_by("-month")[:12],
            rounds=InspectionRound.objects.filter(park=self.park)[:8],
            summaries=HalfYearSummary.objects.filter(park=self.park).order_by("-year")[:3],
            reviews=AnnualReview.objects.filter(park=self.park).order_by("-year")[:3],
            schedule=[(self.job_label(t), t) for t in schedule],
            **kwargs,
        )

    def job_label(self, task) -> str:
        """The beat entry as the office knows it: the park's own entry is named with the park's code
        (unique across parks), the platform's entries by their Chinese names (CELERY_BEAT_SCHEDULE)."""
        return "本园区四个一提醒" if task.name == services.reminder_task_name(self.park) else task.name

    def perform(self, form):
        rhythm, policies = form.split()
        with transaction.atomic():  # both or neither
            services.deadline_policies_update(park=self.park, actor=self.request.user, policies=policies)
            return services.cycle_settings_update(park=self.park, actor=self.request.user, **rhythm)

    def get_success_url(self):
        return park_url("cycle:cycle", self.park)


# --- 半年一总结 -----------------------------------------------------------------------------------
class HalfYearMixin(BranchScopedMixin):
    model = HalfYearSummary

    def restrict(self, queryset):
        return queryset  # the summary is the park's; nominations below are narrowed by branch

    def nomination_form(self, data=None):
        branches = self.my_branches()
        return forms.NominationForm(data, branches=branches, members=Member.objects.filter(park=self.park, branch__in=branches), park=self.park)

    def deadline(self):
        return deadline_state(self.park, DeadlinePolicy.Kind.NOMINATION, self.object.nominations_due, self.today())


class HalfYearView(HalfYearMixin, DetailView):
    template_name = "cycle/halfyear.html"
    context_object_name = "summary"

    def get_context_data(self, **kwargs):
        nominations = Nomination.objects.filter(park=self.park, summary=self.object).select_related("summary", "branch", "member")
        if not self.access.sees_whole_park:
            nominations = nominations.filter(branch_id__in=self.access.organisation_ids)
        deadline = self.deadline()
        context = super().get_context_data(nominations=nominations, deadline=deadline, **kwargs)
        if self.access.has_any(BRANCH_WRITERS) and deadline.accepts:
            context["form"] = self.nomination_form()
        return context


class NominationCreateView(HalfYearMixin, ParkObjectFormMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"
    success_message = "已提交推荐。"
    extra_context = {"title": "七一评优推荐"}

    def get_context_data(self, **kwargs):
        state = self.deadline()
        return super().get_context_data(lead=f"{state.rule}。{state.status}", **kwargs)

    def get_form(self, form_class=None):
        return self.nomination_form(self.request.POST if self.request.method == "POST" else None)

    def perform(self, form):
        return services.nomination_propose(summary=self.object, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("cycle:halfyear", self.park, self.object.pk)


class NominationDecideView(ParkObjectMixin, ServiceActionView):
    model = Nomination
    allowed_roles = ADMIN_ONLY
    form_class = forms.NominationDecisionForm

    def prepare(self):
        self.nomination = self.get_object()

    def perform(self, data):
        return services.nomination_decide(nomination=self.nomination, actor=self.request.user, approve=data["approve"])

    def get_success_message(self, nomination) -> str:
        return f"推荐{nomination.get_status_display()}。"

    def get_success_url(self):
        return park_url("cycle:halfyear", self.park, self.nomination.summary_id)


# --- 一年一行动 and 述职评议 -------------------------------------------------------------------------
class ReviewMixin(BranchScopedMixin):
    model = AnnualReview

    def restrict(self, queryset):
        return queryset  # the review is the park's; reports below are narrowed by branch


class ReviewView(ReviewMixin, DetailView):
    template_name = "cycle/review.html"
    context_object_name = "review"

    def get_context_data(self, **kwargs):
        reports = SecretaryReport.objects.filter(park=self.park, review=self.object).select_related("branch").prefetch_related("ratings")
        if not self.access.sees_whole_park:
            reports = reports.filter(branch_id__in=self.access.organisation_ids)
        results = []
        for report in reports:
            tally = {grade: 0 for grade in Rating.Grade.values}
            mine = None
            for rating in report.ratings.all():
                tally[rating.grade] += 1
                if rating.evaluator_id == self.request.user.pk:
                    mine = rating.grade
            results.append((report, tally, mine))
        context = super().get_context_data(
            results=results, grades=Rating.Grade.choices, milestones=self.object.milestones.all(),
            can_rate=self.access.has_any(SCORERS), **kwargs,
        )
        if self.access.has_any(BRANCH_WRITERS):
            context["report_form"] = forms.SecretaryReportForm(branches=self.my_branches())
        if self.access.is_admin:
            context["milestone_form"] = forms.MilestoneForm()
        return context


class MilestoneAddView(ReviewMixin, ParkObjectFormMixin, ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.MilestoneForm
    success_message = "已添加专项行动任务。"
    extra_context = {"title": "添加专项行动任务"}

    def perform(self, form):
        return services.milestone_add(review=self.object, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("cycle:review", self.park, self.object.pk)


class SecretaryReportSubmitView(ReviewMixin, ParkObjectFormMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"
    form_class = forms.SecretaryReportForm
    success_message = "已提交述职报告。"
    extra_context = {"title": "提交述职报告"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "branches": self.my_branches()}

    def perform(self, form):
        return services.secretary_report_submit(review=self.object, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("cycle:review", self.park, self.object.pk)


class RatingGiveView(ParkObjectMixin, ServiceActionView):
    model = SecretaryReport
    allowed_roles = SCORERS
    form_class = forms.RatingForm
    success_message = "已评议。"

    def prepare(self):
        self.report = self.get_object()

    def perform(self, data):
        return services.rating_give(report=self.report, actor=self.request.user, grade=data["grade"])

    def get_success_url(self):
        return park_url("cycle:review", self.park, self.report.review_id)


# --- Notifications -------------------------------------------------------------------------------
class NotificationListView(ParkObjectMixin, ListView):
    model = Notification
    allowed_roles = ALL_ROLES
    template_name = "cycle/notifications.html"
    context_object_name = "notifications"
    paginate_by = 50

    def restrict(self, queryset):
        return queryset.filter(user=self.request.user)


class NotificationsReadView(ServiceActionView):
    allowed_roles = ALL_ROLES

    def perform(self, data):
        return notifications_mark_read(park=self.park, user=self.request.user)

    def get_success_url(self):
        return park_url("cycle:notifications", self.park)

