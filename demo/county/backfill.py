"""The fast route for the records a county makes by the ten thousand — meetings with their attendance,
work-list tasks done, monthly reports, 党费 payments. One service call each would take hours here
(see benchmarks/README.md), so they are kept as planned and written a batch at a time: each record
checked by the service's own checks (activity_errors, task_complete_errors, report_errors,
check_paid_on, check_lines_payable), its derived data made by the platform's set-wise functions
(points_for_attendance), its audit entry built as the service builds it (audit_entry), and its
time the moment it happened, as the clock would have stamped it one at a time.

A batch is written on the 8th of a month (the reports due by the 5th are in before any 定档) and on
its last day; during the last weeks of the history, when the reminder jobs run, every day.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Case, Value, When
from django.utils import timezone

from activities.models import Activity, ActivityKind, Attendance
from activities.services import activity_errors
from audit.models import AuditEntry
from audit.services import audit_entry
from cycle.models import MonthlyReport, TaskAssignment
from cycle.services import report_errors, task_complete_errors
from dues.models import DuesLine, DuesPayment
from dues.services import check_lines_payable, check_paid_on
from members.models import Member
from orgs.models import Organisation
from orgs.selectors import BRANCH_KINDS, organisation_active_q
from points.services import points_for_attendance


def moment(day: date, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


@dataclass
class Backlog:
    """What a park's people have done and not yet been written: (day, minute, …) per record."""

    last_day: date
    meetings: list = field(default_factory=list)  # (day, minute, branch id, kind, topic, place, absence reasons)
    completions: list = field(default_factory=list)  # (day, minute, assignment id, actor, note)
    reports: list = field(default_factory=list)  # (day, minute, branch, month, actor, text, changes)
    payments: list = field(default_factory=list)  # (day, minute, sheet id, line ids, method, actor)

    def add(self, kind: str, item: tuple) -> None:
        if item[0] <= self.last_day:  # what would happen after the history's last day never does
            getattr(self, kind).append(item)

    def take(self, kind: str, day: date) -> list:
        items = getattr(self, kind)
        due = sorted((i for i in items if i[0] <= day), key=lambda i: (i[0], i[1]))
        setattr(self, kind, [i for i in items if i[0] > day])
        return due


class Refused(RuntimeError):
    """A planned record the service's checks refuse: the generator and the rules disagree."""


def refuse_on(errors, what: str) -> None:
    if errors:
        raise Refused(f"{what}: {errors}")


def flush(world, day: date) -> dict[str, int]:
    backlog = world.backlog
    return {
        "meetings": write_meetings(world, backlog.take("meetings", day), day),
        "completions": write_completions(world, backlog.take("completions", day)),
        "reports": write_reports(world, backlog.take("reports", day)),
        "payments": write_payments(world, backlog.take("payments", day), day),
    }


def stamp(model, objects: list, name: str, moments: list[datetime]) -> None:
    """Give each written row the moment it happened (auto_now_add stamped the batch's): one UPDATE."""
    set_columns(model, [(obj.pk, at) for obj, at in zip(objects, moments)], [name])


def set_columns(model, rows: list[tuple], names: list[str]) -> None:
    """UPDATE … FROM (VALUES …): each row (pk, value, …) sets the named columns of its row, in one
    statement for the batch (bulk_update's CASE per row is slow to build for thousands of rows)."""
    if not rows:
        return
    table, fields = model._meta.db_table, [model._meta.get_field(n) for n in names]
    casts = [f.db_type(connection) for f in fields]
    columns = ", ".join(f'"{f.column}" = v.c{n}' for n, f in enumerate(fields))
    values = ", ".join("(%s, " + ", ".join(f"%s::{cast}" for cast in casts) + ")" for _ in rows)
    aliases = ", ".join(f"c{n}" for n in range(len(fields)))
    params = [value for row in rows for value in (row[0], *(f.get_db_prep_value(v, connection) for f, v in zip(fields, row[1:])))]
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" AS t SET {columns} FROM (VALUES {values}) AS v(id, {aliases}) WHERE t."id" = v.id', params)


def write_audit(entries: list[tuple[AuditEntry, datetime]]) -> None:
    made = AuditEntry.objects.bulk_create([entry for entry, _ in entries], batch_size=2000)
    stamp(AuditEntry, made, "created_at", [at for _, at in entries])


# --- 三会一课 and 主题党日 ---------------------------------------------------------------------------
def _live(park, items) -> set[tuple[int, date]]:
    """(branch, day) pairs where the branch could hold a meeting (activities' _live_branch): one
    query, a column per day saying whether each branch was live that day (organisation_active_q)."""
    ids, days = {item[2] for item in items}, sorted({item[0] for item in items})
    columns = {f"d{n}": Case(When(organisation_active_q(day), then=Value(True)), default=Value(False), output_field=BooleanField())
               for n, day in enumerate(days)}
    rows = Organisation.objects.filter(park=park, pk__in=ids, kind__in=BRANCH_KINDS).annotate(**columns).values("pk", *columns)
    return {(row["pk"], day) for row in rows for n, day in enumerate(days) if row[f"d{n}"]}


def _attendance(world, kind: str, members: list, reasons: list[str]):
    people = [m for m in members if m.post] if kind == ActivityKind.COMMITTEE else members
    absent = {m: reasons[n % len(reasons)] for n, m in enumerate(people) if (m.pk * 7 + n) % 13 == 0}
    return [m for m in people if m not in absent], absent


def write_meetings(world, items: list, today: date) -> int:
    if not items:
        return 0
    park = world.park
    live = _live(park, items)
    ids = {item[2] for item in items}
    branches = Organisation.objects.in_bulk(ids)
    members = defaultdict(list)
    for m in Member.objects.filter(park=park, branch_id__in=ids, status__in=Member.ON_ROLL, stage__in=("full", "probationary")).order_by("pk"):
        members[m.branch_id].append(m)
    rows = []
    for day, minute, branch_id, kind, topic, place, reasons in items:
        attendees, absent = _attendance(world, kind, members[branch_id], reasons)
        if (branch_id, day) not in live or not attendees:
            continue  # dissolved, or emptied, since it was planned
        host = next((m for m in attendees if m.post == Member.Post.SECRETARY), None)
        values = {"topic": topic, "place": place, "minutes": "会议按议程进行，形成会议纪要。"}
        refuse_on(activity_errors(park=park, branch=branches[branch_id], held_on=day, values=values, host=host, attendees=attendees,
                                  absentees=absent, today=today, live=True), f"meeting of {branch_id} on {day}")
        activity = Activity(park=park, branch_id=branch_id, kind=kind, held_on=day, host=host,
                            created_by=world.secretaries.get(branch_id), **values)
        rows.append((activity, attendees, absent, moment(day, minute)))
    activities = Activity.objects.bulk_create([a for a, *_ in rows], batch_size=2000)
    stamp(Activity, activities, "created_at", [at for *_, at in rows])
    attendance = Attendance.objects.bulk_create(
        [Attendance(park=park, activity=a, member=m, present=True) for a, present, _, _ in rows for m in present]
        + [Attendance(park=park, activity=a, member=m, present=False, absence_reason=r) for a, _, absent, _ in rows for m, r in absent.items()],
        batch_size=5000,
    )
    points_for_attendance(park=park, attendances=attendance)
    write_audit([(audit_entry(park=park, actor=a.created_by, action="activity.record", target=a,
                              changes={"kind": [None, a.kind], "held_on": [None, a.held_on.isoformat()], "attendees": [None, len(present)]}), at)
                 for a, present, _, at in rows])
    return len(rows)


# --- 月工作清单: tasks done ---------------------------------------------------------------------------
def write_completions(world, items: list) -> int:
    if not items:
        return 0
    assignments = TaskAssignment.objects.select_related("task", "branch").in_bulk({item[2] for item in items})
    done, entries = [], []
    for day, minute, assignment_id, actor, note in items:
        assignment = assignments[assignment_id]
        refuse_on(task_complete_errors(assignment, note), f"task {assignment_id}")
        at = moment(day, minute)
        assignment.status, assignment.note = TaskAssignment.Status.DONE, note
        assignment.completed_at, assignment.completed_by = at, actor
        done.append(assignment)
        entries.append((audit_entry(park=world.park, actor=actor, action="task.complete", target=assignment.task,
                                    changes={"branch": [None, assignment.branch.name]}), at))
    set_columns(TaskAssignment, [(a.pk, a.status, a.note, a.completed_at, a.completed_by_id) for a in done],
                ["status", "note", "completed_at", "completed_by"])
    write_audit(entries)
    return len(done)


# --- 月报告 ---------------------------------------------------------------------------------------
def write_reports(world, items: list) -> int:
    if not items:
        return 0
    rows = []
    for day, minute, branch, month, actor, text, changes in items:
        refuse_on(report_errors(park=world.park, branch=branch, month=month, activities=text), f"report of {branch.pk} for {month}")
        rows.append((MonthlyReport(park=world.park, branch=branch, month=month, activities=text, member_changes=changes, problems="",
                                   submitted_by=actor), moment(day, minute)))
    reports = MonthlyReport.objects.bulk_create([r for r, _ in rows], batch_size=2000)
    stamp(MonthlyReport, reports, "submitted_at", [at for _, at in rows])
    write_audit([(audit_entry(park=world.park, actor=r.submitted_by, action="report.file", target=r.branch,
                              changes={"month": [None, f"{r.month:%Y-%m}"]}), at) for r, at in rows])
    return len(rows)


# --- 党费 payments ----------------------------------------------------------------------------------
def write_payments(world, items: list, today: date) -> int:
    if not items:
        return 0
    lines = DuesLine.objects.select_related("member", "sheet").in_bulk({pk for item in items for pk in item[3]})
    payments, paid, entries = [], [], []
    for day, minute, sheet_id, line_ids, method, actor in items:
        group = sorted((lines[pk] for pk in line_ids), key=lambda line: (line.member.name, line.pk))
        try:
            check_paid_on(sheet=group[0].sheet, paid_on=day, today=today)
            check_lines_payable(group, paid_on=day)
        except ValidationError as exc:
            raise Refused(f"payments on sheet {sheet_id}: {exc.messages}") from None
        made = [DuesPayment(park=world.park, line=line, amount=line.due - line.paid, paid_on=day, method=method, recorded_by=actor)
                for line in group]
        for line in group:
            line.paid = line.due
        at = moment(day, minute)
        payments += [(p, at) for p in made]
        paid += group
        entries.append((audit_entry(park=world.park, actor=actor, action="dues.pay", target=group[0].sheet, changes={
            "members": [None, len(group)], "amount": [None, str(sum(p.amount for p in made))], "paid_on": [None, day.isoformat()],
            "method": [None, method]}), at))
    written = DuesPayment.objects.bulk_create([p for p, _ in payments], batch_size=5000)
    stamp(DuesPayment, written, "recorded_at", [at for _, at in payments])
    set_columns(DuesLine, [(line.pk, line.paid) for line in paid], ["paid"])
    write_audit(entries)
    return len(written)
