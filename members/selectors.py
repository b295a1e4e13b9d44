"""Reads of the member roster shared by pages and exports."""

from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.crypto import id_hash
from core.validators import normalize_id_number
from members.development import DEVELOPING, Due, Publicity, next_due
from members.documents import default_template
from members.models import (
    DevelopmentSettings,
    DevelopmentStep,
    DocumentTemplate,
    Holiday,
    Member,
    ProbationExtension,
)
from orgs.models import Enterprise
from orgs.rules import coverage_suggestions
from orgs.selectors import uncovered_enterprises


def member_list(*, park, filters: dict) -> QuerySet:
    """Search by name or phone, or by a whole ID number (matched through its keyed hash, given as
    `idh` by the search form's redirect or computed here from `q`)."""
    qs = Member.objects.filter(park=park).select_related("branch", "enterprise").order_by("branch__name", "name", "pk")
    if idh := filters.get("idh"):
        qs = qs.filter(id_hash=idh)
    elif q := (filters.get("q") or "").strip():
        if number := whole_id_number(q):
            qs = qs.filter(id_hash=id_hash(number))
        else:
            qs = qs.filter(Q(name__icontains=q) | Q(phone__startswith=q))
    if branch := filters.get("branch"):
        qs = qs.filter(branch=branch)
    if stage := filters.get("stage"):
        qs = qs.filter(stage=stage)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    return qs


def whole_id_number(q: str) -> str:
    """The search text as a whole ID number (normalised), or "" when it is not one: the list
    matches such a number through its keyed hash and never puts it in a URL."""
    number = normalize_id_number(q)
    return number if len(number) == 18 else ""


def visible_members(queryset: QuerySet, access) -> QuerySet:
    """Park-wide roles see the whole roster; a branch secretary their own organisations' members."""
    if access.sees_whole_park:
        return queryset
    return queryset.filter(branch_id__in=access.organisation_ids)


def coverage_gaps(*, park, on: date | None = None) -> list[Enterprise]:
    """Uncovered enterprises, each with `full_members` working there and the `suggestions` of the
    form that would fit it (orgs.rules.coverage_suggestions). One query."""
    full_members = (
        Member.objects.filter(enterprise=OuterRef("pk"), stage=Member.Stage.FULL, status__in=Member.ON_ROLL)
        .order_by().values("enterprise").annotate(n=Count("pk")).values("n")
    )
    gaps = list(uncovered_enterprises(park=park, on=on).annotate(full_members=Coalesce(Subquery(full_members), 0)))
    for enterprise in gaps:
        enterprise.suggestions = coverage_suggestions(
            has_instructor=enterprise.has_instructor,
            full_members=enterprise.full_members,
            has_peers=enterprise.zone_id is not None and enterprise.zone_peers > 1,
        )
    return gaps


# --- 发展党员 ----------------------------------------------------------------------------------------
def working_calendar() -> tuple[set, set]:
    """(holidays off, weekend days worked) from the calendar table: one small query."""
    holidays, workdays = set(), set()
    for day, worked in Holiday.objects.values_list("day", "workday"):
        (workdays if worked else holidays).add(day)
    return holidays, workdays


def development_settings(park) -> DevelopmentSettings:
    """The park's 发展党员 settings, or the defaults (unsaved) when it has set none."""
    return DevelopmentSettings.objects.filter(park=park).first() or DevelopmentSettings(park=park)


def publicity_rule(park) -> Publicity:
    """The park's 公示: its number of working days (a setting) on the working-day calendar."""
    holidays, workdays = working_calendar()
    return Publicity(development_settings(park).publicity_days, frozenset(holidays), frozenset(workdays))


def steps_done(*, park, member_ids) -> dict[int, dict[str, date]]:
    """member id → {step code: date} of the steps recorded; one query."""
    found: dict[int, dict[str, date]] = {pk: {} for pk in member_ids}
    for member_id, step, on in DevelopmentStep.objects.filter(park=park, member_id__in=list(member_ids)).values_list("member_id", "step", "on"):
        found[member_id][step] = on
    return found


def development_due(*, park, branch_ids=None, limit: int = 200) -> list[tuple[Member, Due]]:
    """Who waits for which step of the procedure, and by when: people in development (applicant to
    probationary) with a step on record, soonest deadline first; bounded."""
    people = Member.objects.filter(park=park, stage__in=DEVELOPING, status__in=Member.ON_ROLL).select_related("branch")
    if branch_ids is not None:
        people = people.filter(branch_id__in=list(branch_ids))
    people = list(people.filter(pk__in=DevelopmentStep.objects.filter(park=park).values("member_id")).order_by("pk")[:limit])
    done = steps_done(park=park, member_ids=[m.pk for m in people])
    extensions = dict(ProbationExtension.objects.filter(park=park, member__in=people).values_list("member_id", "months"))
    publicity = publicity_rule(park)
    rows = []
    for member in people:
        due = next_due(done[member.pk], publicity=publicity, extension_months=extensions.get(member.pk, 0))
        if due is not None:
            rows.append((member, due))
    rows.sort(key=lambda row: (row[1].end or date.max, row[1].start or date.min, row[0].name))
    return rows


def document_templates(*, park) -> dict:
    """kind → the park's latest uploaded template (DocumentTemplate); one query."""
    found = {}
    for stored in DocumentTemplate.objects.filter(park=park).order_by("kind", "-uploaded_at", "-pk"):
        found.setdefault(stored.kind, stored)
    return found


def document_template(*, park, kind: str) -> bytes:
    """The template a document is filled from: the park's own, or the built-in one."""
    stored = DocumentTemplate.objects.filter(park=park, kind=kind).order_by("-uploaded_at", "-pk").first()
    if stored is None:
        return default_template(kind)
    with stored.file.open("rb") as handle:
        return handle.read()
