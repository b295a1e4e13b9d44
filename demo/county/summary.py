"""The generated county in figures: one line per kind of record, with the states that matter."""

from django.db.models import Count, F, Q
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment, User
from activities.models import Activity, Attendance
from assessment.models import (
    ItemScore,
    PayoutBatch,
    PayoutLine,
    RoundAssessment,
    StarLevel,
)
from audit.models import AuditEntry
from cycle.models import (
    AnnualReview,
    HalfYearSummary,
    InspectionRound,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    Notification,
    Rating,
    SecretaryReport,
    TaskAssignment,
    WorkTask,
)
from dues.models import DuesBasis, DuesLine, DuesPayment, DuesSheet, LedgerEntry
from imports.models import ImportJob
from members.models import (
    Member,
    MemberTransfer,
    PostTerm,
    ProbationExtension,
    StatusChange,
)
from orgs.models import (
    County,
    Enterprise,
    Instructor,
    InstructorAssignment,
    Organisation,
    Park,
    Zone,
)
from points.models import MemberStar, PointEntry
from services.demands import OPEN_STATES
from services.models import (
    Demand,
    DemandEvent,
    Notice,
    NoticeRecipient,
    Policy,
    PolicyBundle,
    Visit,
)


def _by(model, field: str) -> str:
    counts = model.objects.values(field).annotate(n=Count("pk")).order_by(field)
    labels = dict(model._meta.get_field(field).flatchoices)
    return ", ".join(f"{labels.get(row[field], row[field])} {row['n']:,}" for row in counts)


def _demands(last_day) -> str:
    open_ = Demand.objects.filter(state__in=OPEN_STATES)
    return (f"closed {Demand.objects.filter(state=Demand.State.CLOSED).count():,}, open {open_.count():,}, "
            f"overdue {open_.filter(due_on__lt=last_day).count():,}, escalated {Demand.objects.filter(escalated_on__isnull=False).count():,}")


def kinds(last_day) -> list[tuple[str, object, str]]:
    """(label, model, detail) for every kind of record the generator makes."""
    done = TaskAssignment.objects.filter(status=TaskAssignment.Status.DONE)
    late = done.filter(completed_at__date__gt=F("task__deadline")).count()
    recipients = NoticeRecipient.objects.aggregate(read=Count("pk", filter=Q(first_read_at__isnull=False)),
                                                   replied=Count("pk", filter=Q(replied_at__isnull=False)))
    return [
        ("counties", County, ""), ("parks", Park, ""), ("zones", Zone, ""),
        ("enterprises", Enterprise, _by(Enterprise, "ownership") + "; " + _by(Enterprise, "status")),
        ("organisations", Organisation, _by(Organisation, "kind") + f"; dissolved {Organisation.objects.filter(dissolved_on__isnull=False).count():,}"),
        ("members", Member, _by(Member, "stage") + "; " + _by(Member, "status")),
        ("member transfers", MemberTransfer, _by(MemberTransfer, "kind")), ("status changes", StatusChange, ""),
        ("probation extensions", ProbationExtension, ""), ("post terms", PostTerm, ""),
        ("instructors", Instructor, ""), ("instructor assignments", InstructorAssignment, ""),
        ("users", User, ""), ("role assignments", RoleAssignment, _by(RoleAssignment, "role")),
        ("activities (三会一课)", Activity, _by(Activity, "kind")), ("attendance", Attendance, ""),
        ("point entries", PointEntry, ""), ("member stars", MemberStar, ""),
        ("monthly meetings", MonthlyMeeting, ""), ("work-list tasks", WorkTask, ""),
        ("task assignments", TaskAssignment, f"done {done.count():,} (late {late:,}), open {TaskAssignment.objects.exclude(pk__in=done).count():,}"),
        ("monthly reports", MonthlyReport, ""), ("notifications", Notification, ""),
        ("inspection rounds", InspectionRound, f"finalised {RoundAssessment.objects.filter(status='final').count():,}"),
        ("item scores", ItemScore, ""), ("star levels", StarLevel, _by(StarLevel, "level")),
        ("payout batches", PayoutBatch, _by(PayoutBatch, "status")), ("payout lines", PayoutLine, ""),
        ("half-year summaries", HalfYearSummary, ""), ("nominations", Nomination, _by(Nomination, "status")),
        ("annual reviews", AnnualReview, ""), ("secretary reports", SecretaryReport, ""), ("ratings", Rating, ""),
        ("demands", Demand, _demands(last_day)), ("demand events", DemandEvent, ""), ("visits", Visit, ""),
        ("notices", Notice, ""), ("notice recipients", NoticeRecipient, f"read {recipients['read']:,}, replied {recipients['replied']:,}"),
        ("policies", Policy, ""), ("policy bundles", PolicyBundle, ""),
        ("dues bases", DuesBasis, ""), ("dues sheets", DuesSheet, ""), ("dues lines", DuesLine, ""),
        ("dues payments", DuesPayment, ""), ("ledger entries", LedgerEntry, _by(LedgerEntry, "kind")),
        ("import jobs", ImportJob, ""), ("audit entries", AuditEntry, ""),
    ]


def summary_lines(last_day) -> list[str]:
    with scopes_disabled():
        return [f"{label:<24}{model.objects.count():>10,}" + (f"  ({detail})" if detail else "") for label, model, detail in kinds(last_day)]
