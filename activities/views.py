"""Pages for branch activities, compliance, the monthly work list and reports, the cycle, the
half-year and annual reviews, park activities and points, and the notification list."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.models import Role
from activities import forms, selectors, services
from activities.models import (
    Activity,
    AnnualReview,
    Attachment,
    CycleSettings,
    HalfYearSummary,
    InspectionRound,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    Notification,
    ParkActivity,
    SecretaryReport,
    SignUp,
    TaskAssignment,
    TaskTemplate,
    WorkTask,
)
from members.models import Member
from members.services import live_branches
from services import cycle
from services.forms import add_service_errors
from services.http import content_disposition
from services.tenancy.views import ADMIN_ONLY, ALL_ROLES, PARK_STAFF, ParkObjectFormMixin, ParkObjectMixin, ParkViewMixin

SECRETARY = frozenset({Role.BRANCH_SECRETARY})
BRANCH_WRITERS = frozenset({Role.PARK_ADMIN, Role.BRANCH_SECRETARY})
EVALUATORS = frozenset({Role.PARK_ADMIN, Role.INSPECTOR})


class BranchScopedMixin(ParkObjectMixin):
    """Rows that belong to a branch: park-wide roles see all, a branch secretary their own."""

    allowed_roles = PARK_STAFF | SECRETARY
    branch_field = "branch_id"

    def restrict(self, queryset):
        if self.access.sees_whole_park:
            return queryset
        return queryset.filter(**{f"{self.branch_field}__in": self.access.organisation_ids})

    def my_branches(self):
        """Branches this user writes for: all live ones for a park admin, their own for a secretary."""
        branches = live_branches(park=self.park)
        return branches if self.access.is_admin else branches.filter(pk__in=self.access.organisation_ids)

    def today(self) -> date:
        return timezone.localdate()


def redirect_to(name, park, *args):
    return HttpResponseRedirect(reverse(name, args=[park.code, *args]))


# --- 三会一课 -------------------------------------------------------------------------------------
class ActivityListView(BranchScopedMixin, ListView):
    model = Activity
    template_name = "activities/activity_list.html"
    context_object_name = "activities"
    paginate_by = 25

    def get_queryset(self):
        qs = (
            super()
            .get_queryset()
            .select_related("branch")
            .annotate(
                present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
                photos=Count("attachments", filter=Q(attachments__is_photo=True), distinct=True),
            )
            .order_by("-held_on", "-pk")
        )
        if kind := self.request.GET.get("kind"):
            qs = qs.filter(kind=kind)
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_write=self.access.has_any(BRANCH_WRITERS), **kwargs)


class ActivityCreateView(BranchScopedMixin, FormView):
    model = Activity
    allowed_roles = BRANCH_WRITERS
    template_name = "activities/activity_form.html"
    form_class = forms.ActivityForm

    def prepare(self):
        branches = self.my_branches()
        wanted = self.request.GET.get("branch") or self.request.POST.get("branch")
        self.branch = branches.filter(pk=wanted).first() if wanted and wanted.isdigit() else branches.order_by("name").first()
        if self.branch is None:
            raise Http404
        self.branches = branches
        self.members = list(Member.objects.filter(park=self.park, branch=self.branch, status__in=["active", "mobile"]).order_by("name"))

    def get_form_kwargs(self):
        members = Member.objects.filter(park=self.park, pk__in=[m.pk for m in self.members])
        return {**super().get_form_kwargs(), "members": members}

    def get_context_data(self, **kwargs):
        marks = {m.pk: (self.request.POST.get(f"attend_{m.pk}", "present"), self.request.POST.get(f"reason_{m.pk}", "")) for m in self.members}
        rows = [(m, *marks[m.pk]) for m in self.members]
        return super().get_context_data(branch=self.branch, branches=self.branches, rows=rows, **kwargs)

    def form_valid(self, form):
        by_pk = {m.pk: m for m in self.members}
        attendees, absentees = [], {}
        for pk, member in by_pk.items():
            mark = self.request.POST.get(f"attend_{pk}", "")
            if mark == "present":
                attendees.append(member)
            elif mark == "absent":
                absentees[member] = self.request.POST.get(f"reason_{pk}", "")
        data = form.cleaned_data
        try:
            activity = services.activity_record(
                park=self.park, actor=self.request.user, branch=self.branch, kind=data["kind"], held_on=data["held_on"],
                topic=data["topic"], place=data["place"], host=data["host"], minutes=data["minutes"],
                attendees=attendees, absentees=absentees, photos=data["photos"], files=data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已登记{activity.get_kind_display()}：{activity.topic}。")
        return redirect_to("activities:detail", self.park, activity.pk)


class ActivityDetailView(BranchScopedMixin, DetailView):
    model = Activity
    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def get_context_data(self, **kwargs):
        activity = self.object
        return super().get_context_data(
            attendance=activity.attendance.select_related("member").order_by("-present", "member__name"),
            attachments=activity.attachments.order_by("-is_photo", "pk"),
            **kwargs,
        )


class AttachmentView(ParkObjectMixin, View):
    """An attachment's file, only to those who may see what it is attached to."""

    model = Attachment
    allowed_roles = PARK_STAFF | SECRETARY

    def restrict(self, queryset):
        if self.access.sees_whole_park:
            return queryset
        mine = self.access.organisation_ids
        return queryset.filter(Q(activity__branch_id__in=mine) | Q(task__branch_id__in=mine))

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition(attachment.name, inline=attachment.is_photo)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ComplianceView(BranchScopedMixin, TemplateView):
    template_name = "activities/compliance.html"

    def get_context_data(self, **kwargs):
        today = self.today()
        try:
            year = int(self.request.GET.get("year") or today.year)
            quarter = int(self.request.GET.get("quarter") or (today.month - 1) // 3 + 1)
        except ValueError:
            raise Http404 from None
        if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
            raise Http404
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        columns, rows = selectors.compliance_matrix(park=self.park, year=year, quarter=quarter, branch_ids=visible, today=today)
        config = cycle.settings_for(self.park)
        due_soon = [
            gap for gap in cycle.compliance_gaps(self.park, today)
            if (gap.end - today).days <= config.reminder_days_before and (visible is None or gap.branch.pk in visible)
        ]
        return super().get_context_data(
            columns=columns, rows=rows, year=year, quarter=quarter, due_soon=due_soon,
            gaps=sum(cell.gap for _, cells in rows for cell in cells), quarters=[1, 2, 3, 4], **kwargs,
        )


# --- 月工作清单 -------------------------------------------------------------------------------------
class TaskBoardView(BranchScopedMixin, TemplateView):
    template_name = "activities/tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = TaskAssignment.objects.filter(park=self.park).select_related("task", "branch")
        if not self.access.sees_whole_park:
            assignments = assignments.filter(branch_id__in=self.access.organisation_ids)
            context["assignments"] = assignments.order_by("status", "task__deadline")
        meetings = MonthlyMeeting.objects.filter(park=self.park).order_by("-month")[:3]
        tasks = (
            WorkTask.objects.filter(park=self.park, meeting__in=list(meetings))
            .annotate(total=Count("assignments"), done=Count("assignments", filter=Q(assignments__status="done")))
            .order_by("deadline")
        )
        context.update(meetings=meetings, tasks=tasks, today=self.today())
        if self.access.is_admin and meetings:
            context["task_form"] = forms.TaskForm(
                templates=TaskTemplate.objects.filter(park=self.park),
                initial={"deadline": meetings[0].month.replace(day=cycle.settings_for(self.park).task_deadline_day)},
            )
        return context


class TaskAddView(ParkObjectFormMixin, FormView):
    model = MonthlyMeeting
    allowed_roles = ADMIN_ONLY
    template_name = "activities/task_form.html"
    form_class = forms.TaskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "templates": TaskTemplate.objects.filter(park=self.park)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.task_add(meeting=self.object, actor=self.request.user, title=data["title"], deadline=data["deadline"],
                              description=data["description"], template=data["template"], save_as_template=data["save_as_template"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已添加任务。")
        return redirect_to("activities:tasks", self.park)


class TaskPublishView(ParkObjectMixin, View):
    model = WorkTask
    allowed_roles = ADMIN_ONLY

    def post(self, request, *args, **kwargs):
        task = self.get_object()
        created = services.task_publish(task=task, actor=request.user)
        messages.success(request, f"已下发“{task.title}”到 {created} 个党支部。")
        return redirect_to("activities:tasks", self.park)


class TaskCompleteView(BranchScopedMixin, ParkObjectFormMixin, FormView):
    model = TaskAssignment
    allowed_roles = BRANCH_WRITERS
    template_name = "activities/task_complete.html"
    form_class = forms.TaskCompleteForm

    def form_valid(self, form):
        try:
            services.task_complete(assignment=self.object, actor=self.request.user, note=form.cleaned_data["note"],
                                   evidence=form.cleaned_data["evidence"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已完成“{self.object.task.title}”。")
        return redirect_to("activities:tasks", self.park)


# --- 月报告 ---------------------------------------------------------------------------------------
class ReportListView(BranchScopedMixin, TemplateView):
    template_name = "activities/reports.html"

    def get_context_data(self, **kwargs):
        today = self.today()
        last_month = cycle.month_start(cycle.month_start(today) - timedelta(days=1))
        reports = self.restrict(MonthlyReport.objects.filter(park=self.park)).select_related("branch", "submitted_by")[:60]
        context = super().get_context_data(reports=reports, last_month=last_month, **kwargs)
        if self.access.sees_whole_park:
            context["late"] = cycle.late_report_branches(self.park, last_month)
        if self.access.has_any(BRANCH_WRITERS):
            context["form"] = forms.ReportForm(branches=self.my_branches(), initial={"month": last_month})
        return context


class ReportFileView(BranchScopedMixin, FormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "activities/report_form.html"
    form_class = forms.ReportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "branches": self.my_branches()}

    def form_valid(self, form):
        try:
            services.report_file(park=self.park, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "月报告已报送。")
        return redirect_to("activities:reports", self.park)


# --- The cycle and its settings --------------------------------------------------------------------
class CycleView(ParkViewMixin, FormView):
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "activities/cycle.html"
    form_class = forms.CycleSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": cycle.settings_for(self.park)}

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from django_celery_beat.models import PeriodicTask

        schedule = PeriodicTask.objects.filter(
            Q(name=services.reminder_task_name(self.park)) | Q(task__in=["activities.tasks.cycle_all_parks", "orgs.tasks.dissolve_ended_branches_all_parks"])
        ).select_related("crontab")
        return super().get_context_data(
            meetings=MonthlyMeeting.objects.filter(park=self.park).order_by("-month")[:12],
            rounds=InspectionRound.objects.filter(park=self.park)[:8],
            summaries=HalfYearSummary.objects.filter(park=self.park).order_by("-year")[:3],
            reviews=AnnualReview.objects.filter(park=self.park).order_by("-year")[:3],
            schedule=schedule,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.cycle_settings_update(park=self.park, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "四个一设置已保存，提醒时间已更新。")
        return redirect_to("activities:cycle", self.park)


# --- 半年一总结 -----------------------------------------------------------------------------------
class HalfYearView(BranchScopedMixin, DetailView):
    model = HalfYearSummary
    template_name = "activities/halfyear.html"
    context_object_name = "summary"

    def restrict(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        nominations = Nomination.objects.filter(park=self.park, summary=self.object).select_related("branch", "member")
        if not self.access.sees_whole_park:
            nominations = nominations.filter(branch_id__in=self.access.organisation_ids)
        context = super().get_context_data(nominations=nominations, **kwargs)
        if self.access.has_any(BRANCH_WRITERS):
            branches = self.my_branches()
            context["form"] = forms.NominationForm(branches=branches, members=Member.objects.filter(park=self.park, branch__in=branches))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.access.has_any(BRANCH_WRITERS):
            raise PermissionDenied
        if "decide" in request.POST:
            if not self.access.is_admin:
                raise PermissionDenied
            nomination = get_object_or_404(Nomination.objects.filter(park=self.park, summary=self.object), pk=request.POST.get("decide"))
            try:
                services.nomination_decide(nomination=nomination, actor=request.user, approve=request.POST.get("approve") == "1")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            return redirect_to("activities:halfyear", self.park, self.object.pk)
        branches = self.my_branches()
        form = forms.NominationForm(request.POST, branches=branches, members=Member.objects.filter(park=self.park, branch__in=branches))
        if form.is_valid():
            try:
                services.nomination_propose(summary=self.object, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已提交推荐。")
                return redirect_to("activities:halfyear", self.park, self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))


# --- 一年一行动 and 述职评议 -------------------------------------------------------------------------
class ReviewView(BranchScopedMixin, DetailView):
    model = AnnualReview
    template_name = "activities/review.html"
    context_object_name = "review"

    def restrict(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        reports = SecretaryReport.objects.filter(park=self.park, review=self.object).select_related("branch").prefetch_related("ratings")
        if not self.access.sees_whole_park:
            reports = reports.filter(branch_id__in=self.access.organisation_ids)
        results = []
        for report in reports:
            tally = {grade: 0 for grade, _ in forms.Rating.Grade.choices}
            mine = None
            for rating in report.ratings.all():
                tally[rating.grade] += 1
                if rating.evaluator_id == self.request.user.pk:
                    mine = rating.grade
            results.append((report, tally, mine))
        context = super().get_context_data(
            results=results, grades=forms.Rating.Grade.choices, milestones=self.object.milestones.all(),
            can_rate=self.access.has_any(EVALUATORS), **kwargs,
        )
        if self.access.has_any(BRANCH_WRITERS):
            context.setdefault("report_form", forms.SecretaryReportForm(branches=self.my_branches()))
        if self.access.is_admin:
            context.setdefault("milestone_form", forms.MilestoneForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = review = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "rate" and self.access.has_any(EVALUATORS):
                report = get_object_or_404(SecretaryReport.objects.filter(park=self.park, review=review), pk=request.POST.get("report"))
                form = forms.RatingForm(request.POST)
                if form.is_valid():
                    services.rating_give(report=report, actor=request.user, grade=form.cleaned_data["grade"])
            elif action == "report" and self.access.has_any(BRANCH_WRITERS):
                form = forms.SecretaryReportForm(request.POST, branches=self.my_branches())
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(report_form=form))
                services.secretary_report_submit(review=review, actor=request.user, **form.cleaned_data)
            elif action == "milestone" and self.access.is_admin:
                form = forms.MilestoneForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(milestone_form=form))
                services.milestone_add(review=review, actor=request.user, **form.cleaned_data)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect_to("activities:review", self.park, review.pk)


# --- Park activities and education points --------------------------------------------------------
class ParkActivityListView(ParkObjectMixin, FormView):
    model = ParkActivity
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "activities/park_activities.html"
    form_class = forms.ParkActivityForm

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() else timezone.localdate().year
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        return super().get_context_data(
            activities=self.get_queryset().annotate(signed=Count("signups"), came=Count("signups", filter=Q(signups__attended=True)))[:50],
            year=year,
            totals=selectors.education_totals(park=self.park, year=year) if visible is None else None,
            points=selectors.member_points(park=self.park, year=year, branch_ids=visible)[:100],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.park_activity_create(park=self.park, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已发布园区活动。")
        return redirect_to("activities:park_activities", self.park)


class ParkActivityDetailView(ParkObjectMixin, DetailView):
    model = ParkActivity
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "activities/park_activity.html"
    context_object_name = "activity"

    def signup_members(self):
        members = Member.objects.filter(park=self.park, status="active")
        return members if self.access.is_admin else members.filter(branch_id__in=self.access.organisation_ids)

    def get_context_data(self, **kwargs):
        signups = SignUp.objects.filter(park=self.park, activity=self.object).select_related("member", "member__branch").order_by("member__name")
        if not self.access.sees_whole_park:
            signups = signups.filter(member__branch_id__in=self.access.organisation_ids)
        context = super().get_context_data(signups=signups, **kwargs)
        if self.access.has_any(BRANCH_WRITERS):
            context.setdefault("form", forms.SignUpForm(members=self.signup_members()))
        return context

    def post(self, request, *args, **kwargs):
        self.object = activity = self.get_object()
        if not self.access.has_any(BRANCH_WRITERS):
            raise PermissionDenied
        try:
            if "attendance" in request.POST:
                if not self.access.is_admin:
                    raise PermissionDenied
                signup = get_object_or_404(SignUp.objects.filter(park=self.park, activity=activity), pk=request.POST["attendance"])
                services.park_activity_attendance(
                    signup=signup, actor=request.user, attended=request.POST.get("attended") == "1",
                    volunteer_hours=request.POST.get("hours") or 0,
                )
            else:
                form = forms.SignUpForm(request.POST, members=self.signup_members())
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                services.park_activity_signup(activity=activity, actor=request.user, member=form.cleaned_data["member"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except ValueError:
            messages.error(request, "志愿服务时长应为数字。")
        return redirect_to("activities:park_activity", self.park, activity.pk)


# --- Notifications -------------------------------------------------------------------------------
class NotificationListView(ParkObjectMixin, ListView):
    model = Notification
    allowed_roles = ALL_ROLES
    template_name = "activities/notifications.html"
    context_object_name = "notifications"
    paginate_by = 50

    def restrict(self, queryset):
        return queryset.filter(user=self.request.user)

    def post(self, request, *args, **kwargs):
        self.get_queryset().filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect_to("activities:notifications", self.park)
