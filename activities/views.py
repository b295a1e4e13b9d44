"""Pages for branch activities (三会一课, 主题党日), the compliance table, and park activities with
their sign-ups and education points."""

from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from activities import forms, selectors, services
from activities.models import Activity, ActivityKind, Attachment, ParkActivity, SignUp
from activities.rules import kinds_held
from core.http import year_param
from core.periods import ReportPeriod, Span, quarter_of
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
from orgs.models import Organisation
from orgs.selectors import BRANCH_KINDS, writable_branches


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
def period_choices(today: date) -> list[tuple[str, list[ReportPeriod]]]:
    """The periods the list offers: the last 12 months, 8 quarters and 5 years."""
    groups = []
    for span, label, count in ((Span.YEAR, "年度", 5), (Span.QUARTER, "季度", 8), (Span.MONTH, "月度", 12)):
        periods = [ReportPeriod.containing(today, span)]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        groups.append((label, periods))
    return groups


class ActivityListView(BranchScopedMixin, ListView):
    """The 组织生活 list for one period (this year unless chosen), by branch and kind. Its count
    and rows read only the period's activities (index park, held_on), and the page's attendance
    and photo figures only the page's 25 (selectors.turnouts): never the park's whole history."""

    model = Activity
    template_name = "activities/activity_list.html"
    context_object_name = "activities"
    paginate_by = 25

    def get_queryset(self):
        today = self.today()
        visible = Organisation.objects.filter(park=self.park, kind__in=BRANCH_KINDS)
        if not self.access.sees_whole_park:
            visible = visible.filter(pk__in=self.access.organisation_ids)
        self.filter_form = forms.ActivityFilterForm(self.request.GET or None, branches=visible.order_by("name"), today=today)
        data = {}
        if self.filter_form.is_bound:
            self.filter_form.is_valid()
            data = self.filter_form.cleaned_data  # the valid filters apply; an invalid one shows its message
        qs = super().get_queryset()
        if data.get("branch"):
            qs = qs.filter(branch=data["branch"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        self.period = data.get("period") or self.latest_year(qs, today)
        return qs.filter(held_on__gte=self.period.start, held_on__lte=self.period.end).select_related("branch").order_by("-held_on", "-pk")

    @staticmethod
    def latest_year(qs, today: date) -> ReportPeriod:
        """No period chosen: the year of the latest record (one row read by the index), or this year."""
        latest = qs.order_by("-held_on").values_list("held_on", flat=True).first()
        return ReportPeriod.containing(min(latest or today, today), Span.YEAR)

    def get_context_data(self, **kwargs):
        choices = period_choices(self.today())
        context = super().get_context_data(can_write=self.access.has_any(BRANCH_WRITERS), filter_form=self.filter_form,
                                           period=self.period, period_choices=choices,
                                           period_offered=any(self.period in periods for _, periods in choices), **kwargs)
        figures = selectors.turnouts(park=self.park, activity_ids=[a.pk for a in context["activities"]])
        for activity in context["activities"]:
            turnout = figures[activity.pk]
            activity.expected, activity.present, activity.absent, activity.photos = turnout.expected, turnout.present, turnout.absent, turnout.photos
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class ActivityFormMixin(BranchScopedMixin):
    """What recording and correcting a meeting share: the kind chosen (?kind=, or the form's), the
    members offered as 应到 for it (selectors.expected_members) and the form that marks them."""

    model = Activity
    allowed_roles = BRANCH_WRITERS
    template_name = "activities/activity_form.html"
    form_class = forms.ActivityForm

    def choose_kind(self, default: str, current: str | None = None) -> None:
        """`current`: a record's own kind, kept on offer (its branch may have lost its 党小组 since)."""
        shape = selectors.branch_shape(self.branch)
        self.kinds = kinds_held(shape)
        if current and current not in dict(self.kinds):
            self.kinds.append((current, ActivityKind(current).label))
        held = dict(self.kinds)
        fallback = default if default in held else self.kinds[0][0]
        if self.request.method == "POST":  # as posted: the service refuses a kind the branch cannot hold, saying why
            posted = self.request.POST.get("kind", "")
            self.kind = posted if posted in ActivityKind.values else fallback
        else:
            wanted = self.request.GET.get("kind", "")
            self.kind = wanted if wanted in held else fallback

    def offered_rows(self, recorded=()) -> list[tuple]:
        """(member, may_leave_out): the kind's 应到, then anyone the record already names."""
        on = self.activity_day()
        expected = list(selectors.expected_members(park=self.park, branch=self.branch, kind=self.kind, on=on))
        may_leave_out = self.kind == ActivityKind.GROUP
        rows = [(m, may_leave_out) for m in expected]
        seen = {m.pk for m in expected}
        rows += [(m, True) for m in recorded if m.pk not in seen]
        return rows

    def activity_day(self) -> date:
        return self.today()

    def host_choices(self, extra=None):
        ids = Member.objects.filter(park=self.park, branch=self.branch, status__in=Member.ON_ROLL).values("pk")
        hosts = Member.objects.filter(park=self.park).filter(Q(pk__in=ids) | Q(pk=getattr(extra, "pk", None)))
        return hosts.order_by("name")

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        form = kwargs["form"]
        return super().get_context_data(branch=self.branch, kind=self.kind, kind_label=ActivityKind(self.kind).label,
                                        kinds=self.kinds, rows=form.attendance_rows(), **kwargs)


class ActivityCreateView(ActivityFormMixin, ServiceFormView):
    def prepare(self):
        branches = self.my_branches()
        wanted = self.request.GET.get("branch") or self.request.POST.get("branch")
        self.branch = branches.filter(pk=wanted).first() if wanted and wanted.isdigit() else branches.order_by("name").first()
        if self.branch is None:
            raise Http404
        self.branches = branches
        self.choose_kind(ActivityKind.ASSEMBLY)

    def get_initial(self):
        return {"kind": self.kind, "branch": self.branch.pk}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.host_choices(), "rows": self.offered_rows()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(branches=self.branches, title=f"登记组织生活 · {self.branch.name}", **kwargs)

    def perform(self, form):
        attendees, absentees = form.marks()
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


class ActivityUpdateView(ActivityFormMixin, ServiceFormView):
    """修改: the branch's secretary or the park admin, until the park's window closes; after it the
    page says until when it could be corrected, and the service refuses."""

    def prepare(self):
        self.object = self.get_object()  # another branch's or park's: 404
        self.branch = self.object.branch
        self.attendance = list(self.object.attendance.select_related("member").order_by("member__name"))
        self.choose_kind(self.object.kind, current=self.object.kind)
        self.until = services.edit_deadline(self.park, self.object)
        self.closed = self.today() > self.until

    def activity_day(self) -> date:
        return self.object.held_on

    def get_initial(self):
        marks = {}
        for row in self.attendance:
            marks[f"attend_{row.member_id}"] = forms.PRESENT if row.present else forms.ABSENT
            marks[f"reason_{row.member_id}"] = row.absence_reason
        return {"kind": self.kind, "held_on": self.object.held_on, "topic": self.object.topic, "place": self.object.place,
                "host": self.object.host_id, "minutes": self.object.minutes, **marks}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.host_choices(self.object.host),
                "rows": self.offered_rows([row.member for row in self.attendance]),
                "attachments": Attachment.objects.filter(park=self.park, activity=self.object).order_by("-is_photo", "pk")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.object, until=self.until, closed=self.closed,
                                        title=f"修改组织生活 · {self.branch.name}", **kwargs)

    def perform(self, form):
        attendees, absentees = form.marks()
        data = form.cleaned_data
        return services.activity_update(
            park=self.park, actor=self.request.user, activity=self.object, kind=data["kind"], held_on=data["held_on"],
            topic=data["topic"], place=data["place"], host=data["host"], minutes=data["minutes"],
            attendees=attendees, absentees=absentees, photos=data["photos"], files=data["files"],
            remove_attachments=[a.pk for a in data.get("remove_attachments") or ()],
        )

    def get_success_message(self, activity) -> str:
        return f"已修改{activity.get_kind_display()}：{activity.topic}。"

    def get_success_url(self):
        return park_url("activities:detail", self.park, self.object.pk)


class ActivityDeleteView(BranchScopedMixin, ServiceFormView):
    """删除: the park admin, with a reason, while the window is open."""

    model = Activity
    allowed_roles = ADMIN_ONLY
    template_name = "activities/activity_delete.html"
    form_class = forms.ActivityDeleteForm

    def prepare(self):
        self.object = self.get_object()
        self.until = services.edit_deadline(self.park, self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.object, until=self.until, closed=self.today() > self.until,
                                        turnout=selectors.turnouts(park=self.park, activity_ids=[self.object.pk])[self.object.pk],
                                        **kwargs)

    def perform(self, form):
        return services.activity_delete(park=self.park, actor=self.request.user, activity=self.object,
                                        reason=form.cleaned_data["reason"])

    def get_success_message(self, result) -> str:
        return f"已删除{self.object.get_kind_display()}：{self.object.topic}。"

    def get_success_url(self):
        return park_url("activities:list", self.park)


class ActivityDetailView(BranchScopedMixin, DetailView):
    model = Activity
    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def get_context_data(self, **kwargs):
        activity = self.object
        until = services.edit_deadline(self.park, activity)
        open_ = self.today() <= until
        return super().get_context_data(
            attendance=activity.attendance.select_related("member").order_by("-present", "member__name"),
            attachments=activity.attachments.order_by("-is_photo", "pk"),
            turnout=selectors.turnouts(park=self.park, activity_ids=[activity.pk])[activity.pk],
            until=until, window_open=open_,
            can_edit=open_ and self.access.has_any(BRANCH_WRITERS),
            can_delete=open_ and self.access.is_admin,
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
        year = year_param(self.request, today)
        quarter = self.request.GET.get("quarter") or str(quarter_of(today))
        if quarter not in ("1", "2", "3", "4"):
            raise Http404
        quarter = int(quarter)
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        columns, rows = selectors.compliance_matrix(park=self.park, year=year, quarter=quarter, branch_ids=visible, today=today)
        config = selectors.cycle_settings(self.park)
        # The "due soon" box is about today's periods: only on the quarter that holds today, never
        # on a past (or future) quarter's table.
        current = (year, quarter) == (today.year, quarter_of(today))
        due_soon = [
            gap for gap in selectors.compliance_gaps(self.park, today)
            if (gap.end - today).days <= config.reminder_days_before and (visible is None or gap.branch.pk in visible)
        ] if current else []
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
        year = year_param(self.request, timezone.localdate())
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

