"""Pages for branch activities (三会一课, 主题党日), the compliance table, and park activities with
their sign-ups and education points."""

from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from activities import forms, selectors, services
from activities.models import Activity, Attachment, ParkActivity, SignUp
from core.periods import quarter_of
from core.roles import ADMIN_ONLY, BRANCH_WRITERS, PARK_STAFF, SECRETARY
from core.tenancy.scoping import branch_rows
from core.tenancy.views import (
    ParkObjectMixin,
    ServiceActionView,
    ServiceFormView,
    StoredFileView,
    park_url,
)
from members.models import Member
from orgs.selectors import writable_branches


class BranchScopedMixin(ParkObjectMixin):
    """Rows that belong to a branch: park-wide roles see all, a branch secretary their own."""

    allowed_roles = PARK_STAFF | SECRETARY
    branch_field = "branch_id"

    def restrict(self, queryset):
        return branch_rows(queryset, self.access, self.branch_field)

    def my_branches(self):
        """Branches this user writes for: all live ones for a park admin, their own for a secretary."""
        return writable_branches(park=self.park, access=self.access)

    def today(self) -> date:
        return timezone.localdate()


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


class ActivityCreateView(BranchScopedMixin, ServiceFormView):
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
        self.members = list(Member.objects.filter(park=self.park, branch=self.branch, status__in=Member.ON_ROLL).order_by("name"))

    def get_form_kwargs(self):
        members = Member.objects.filter(park=self.park, pk__in=[m.pk for m in self.members])
        return {**super().get_form_kwargs(), "members": members}

    def get_context_data(self, **kwargs):
        marks = {m.pk: (self.request.POST.get(f"attend_{m.pk}", "present"), self.request.POST.get(f"reason_{m.pk}", "")) for m in self.members}
        rows = [(m, *marks[m.pk]) for m in self.members]
        return super().get_context_data(branch=self.branch, branches=self.branches, rows=rows, **kwargs)

    def perform(self, form):
        attendees, absentees = [], {}
        for member in self.members:
            mark = self.request.POST.get(f"attend_{member.pk}", "")
            if mark == "present":
                attendees.append(member)
            elif mark == "absent":
                absentees[member] = self.request.POST.get(f"reason_{member.pk}", "")
        data = form.cleaned_data
        return services.activity_record(
            park=self.park, actor=self.request.user, branch=self.branch, kind=data["kind"], held_on=data["held_on"],
            topic=data["topic"], place=data["place"], host=data["host"], minutes=data["minutes"],
            attendees=attendees, absentees=absentees, photos=data["photos"], files=data["files"],
        )

    def get_success_message(self, activity) -> str:
        return f"已登记{activity.get_kind_display()}：{activity.topic}。"

    def get_success_url(self):
        return park_url("activities:detail", self.park, self.result.pk)


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


class AttachmentView(StoredFileView):
    """An attachment's file, only to those who may see what it is attached to."""

    model = Attachment
    allowed_roles = PARK_STAFF | SECRETARY

    def restrict(self, queryset):
        if self.access.sees_whole_park:
            return queryset
        mine = self.access.organisation_ids
        return queryset.filter(Q(activity__branch_id__in=mine) | Q(task__branch_id__in=mine))



class ComplianceView(BranchScopedMixin, TemplateView):
    template_name = "activities/compliance.html"

    def get_context_data(self, **kwargs):
        today = self.today()
        try:
            year = int(self.request.GET.get("year") or today.year)
            quarter = int(self.request.GET.get("quarter") or quarter_of(today))
        except ValueError:
            raise Http404 from None
        if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
            raise Http404
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        columns, rows = selectors.compliance_matrix(park=self.park, year=year, quarter=quarter, branch_ids=visible, today=today)
        config = selectors.cycle_settings(self.park)
        due_soon = [
            gap for gap in selectors.compliance_gaps(self.park, today)
            if (gap.end - today).days <= config.reminder_days_before and (visible is None or gap.branch.pk in visible)
        ]
        return super().get_context_data(
            columns=columns, rows=rows, year=year, quarter=quarter, due_soon=due_soon,
            gaps=sum(cell.gap for _, cells in rows for cell in cells), quarters=[1, 2, 3, 4], **kwargs,
        )


# --- Park activities and education points --------------------------------------------------------
class ParkActivityListView(ParkObjectMixin, ListView):
    model = ParkActivity
    allowed_roles = PARK_STAFF | SECRETARY
    template_name = "activities/park_activities.html"
    context_object_name = "activities"

    def get_queryset(self):
        return super().get_queryset().annotate(signed=Count("signups"), came=Count("signups", filter=Q(signups__attended=True)))[:50]

    def get_context_data(self, **kwargs):
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        context = super().get_context_data(
            year=year,
            totals=selectors.education_totals(park=self.park, year=year) if visible is None else None,
            points=selectors.member_points(park=self.park, year=year, branch_ids=visible)[:100],
            **kwargs,
        )
        if self.access.is_admin:
            context.setdefault("form", forms.ParkActivityForm())
        return context


class ParkActivityCreateView(ServiceFormView):
    allowed_roles = ADMIN_ONLY
    template_name = "form_page.html"
    form_class = forms.ParkActivityForm
    success_message = "已发布园区活动。"
    extra_context = {"title": "发布园区活动"}

    def perform(self, form):
        return services.park_activity_create(park=self.park, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return park_url("activities:park_activities", self.park)


class ParkActivityMixin(ParkObjectMixin):
    model = ParkActivity
    allowed_roles = PARK_STAFF | SECRETARY

    def signup_members(self):
        members = Member.objects.filter(park=self.park, status=Member.Status.ACTIVE)
        return members if self.access.is_admin else members.filter(branch_id__in=self.access.organisation_ids)


class ParkActivityDetailView(ParkActivityMixin, DetailView):
    template_name = "activities/park_activity.html"
    context_object_name = "activity"

    def get_context_data(self, **kwargs):
        signups = SignUp.objects.filter(park=self.park, activity=self.object).select_related("member", "member__branch").order_by("member__name")
        if not self.access.sees_whole_park:
            signups = signups.filter(member__branch_id__in=self.access.organisation_ids)
        context = super().get_context_data(signups=signups, **kwargs)
        if self.access.has_any(BRANCH_WRITERS):
            context.setdefault("form", forms.SignUpForm(members=self.signup_members(), park=self.park))
        return context


class SignUpCreateView(ParkActivityMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS
    template_name = "form_page.html"
    form_class = forms.SignUpForm
    extra_context = {"title": "报名参加园区活动"}

    def prepare(self):
        self.activity = self.get_object()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.signup_members(), "park": self.park}

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.activity, **kwargs)

    def perform(self, form):
        return services.park_activity_signup(activity=self.activity, actor=self.request.user, member=form.cleaned_data["member"])

    def get_success_message(self, signup) -> str:
        return f"已为{signup.member.name}报名。"

    def get_success_url(self):
        return park_url("activities:park_activity", self.park, self.activity.pk)


class AttendanceMarkView(ParkObjectMixin, ServiceActionView):
    """A park admin marks one sign-up as attended (with volunteer hours) or not."""

    model = SignUp
    allowed_roles = ADMIN_ONLY

    def prepare(self):
        self.signup = self.get_object()

    form_class = forms.AttendanceForm

    def perform(self, data):
        return services.park_activity_attendance(
            signup=self.signup, actor=self.request.user, attended=data["attended"], volunteer_hours=data["hours"] or 0
        )

    def get_success_url(self):
        return park_url("activities:park_activity", self.park, self.signup.activity_id)

