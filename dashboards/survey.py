"""The 六个清 survey: each park's six figures frozen on the county's survey days, and two such days
compared park by park.

A snapshot is computed from the records already held — nothing is filled in for it:

- 经营主体 the enterprises in the park on the day (moved in by then, not moved out by then), by
  经济类型, and their list (id, name, credit code) to see which came and went;
- 从业人员 their employees, and the party members (正式, 预备) on the roll who work in them;
- 党组织情况 the organisations live on the day (orgs.selectors.organisation_active_q) by kind and by
  组建方式, and 党组织覆盖率 / 党的工作覆盖率 of those enterprises as orgs.selectors counts them;
- 组织架构 the live organisations as (id, name, kind, parent);
- 党员队伍 the people on the roll (在册, 流动) by stage, gender and education, and their list (id,
  name, branch, stage — never an ID number) to see who was added and who left;
- 党建指导员配备 instructors 在岗, and the enterprises with and without an instructor assigned that day.

Dates held on the records are read as of the day: an enterprise's move in and out, an
organisation's founding, dissolution and end, an instructor's assignment. Members keep their
*current* status and stage only (the history lives in transfer and status records that the survey
does not replay), so the snapshot the daily job takes on the survey day is the faithful one; a
snapshot computed later for a past day (`take_survey --date`) reads the members' statuses and
stages, and the instructors' 在岗 flag, as they are on the day it is computed.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audit.services import audit_record
from core.tenancy.scoping import park_scope
from dashboards.models import DEFAULT_SURVEY_DAYS, SurveySettings, SurveySnapshot
from members.models import Member
from orgs.models import (
    County,
    Enterprise,
    Instructor,
    Organisation,
    Park,
)
from orgs.selectors import (
    CoverageFigures,
    enterprises_with_coverage,
    organisation_active_q,
)

logger = logging.getLogger(__name__)

VERSION = 1  # the shape of SurveySnapshot.data; a new shape gets a new number, old snapshots stay as taken

# The six items (六个清), in the order the county reads them.
ITEMS = (
    ("entities", "经营主体"),
    ("employees", "从业人员"),
    ("organisations", "党组织情况"),
    ("structure", "组织架构"),
    ("members", "党员队伍"),
    ("instructors", "党建指导员配备"),
)
ITEM_LABELS = dict(ITEMS)


# --- When ----------------------------------------------------------------------------------------
def _days_of(settings: SurveySettings | None) -> list[tuple[int, int]]:
    if settings is None:
        return list(DEFAULT_SURVEY_DAYS)
    try:
        return settings.survey_days
    except ValidationError:  # saved around the admin's validation: the county still gets its survey
        logger.error("survey days of county %s unreadable (%r); the defaults apply", settings.county_id, settings.days)
        return list(DEFAULT_SURVEY_DAYS)


def survey_days(county) -> list[tuple[int, int]]:
    """The county's survey days as (month, day), the defaults when it keeps none (one query)."""
    return _days_of(SurveySettings.objects.filter(county=county).first())


def counties_surveying_on(day: date) -> list[County]:
    """The counties for which `day` is a survey day (two queries, whatever the number of counties)."""
    kept = {settings.county_id: settings for settings in SurveySettings.objects.all()}
    return [county for county in County.objects.order_by("pk") if (day.month, day.day) in _days_of(kept.get(county.pk))]


def parks_surveying_on(day: date) -> list[Park]:
    """Every active park of the counties surveying on `day`."""
    counties = counties_surveying_on(day)
    if not counties:
        return []
    return list(Park.objects.filter(county__in=counties, is_active=True).order_by("pk"))


# --- What: computing a park's snapshot ---------------------------------------------------------------
def _rows_by_park(rows) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["park_id"], []).append(row)
    return grouped


def _counts(rows, key: str, keys) -> dict[str, int]:
    counts = {k: 0 for k in keys}
    for row in rows:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return counts


def compute_snapshots(*, parks, day: date) -> dict[int, dict]:
    """Each park's snapshot data for the day, in four queries whatever the number of parks.

    Runs inside a scope that covers the parks (take_snapshots opens one)."""
    park_ids = [park.pk for park in parks]
    enterprises = _rows_by_park(
        enterprises_with_coverage(parks=park_ids, on=day)
        .order_by("name", "pk")
        .values("id", "park_id", "name", "credit_code", "ownership", "employees", "org_covered", "has_instructor")
    )
    kind_order = {kind: i for i, kind in enumerate(Organisation.Kind.values)}
    organisations = _rows_by_park(
        sorted(
            Organisation.objects.filter(park_id__in=park_ids)
            .filter(organisation_active_q(day))
            .values("id", "park_id", "name", "kind", "formation", "parent_id"),
            key=lambda row: (kind_order.get(row["kind"], len(kind_order)), row["name"], row["id"]),
        )
    )
    members = _rows_by_park(
        Member.objects.filter(park_id__in=park_ids, status__in=Member.ON_ROLL)
        .order_by("name", "pk")
        .values("id", "park_id", "name", "stage", "gender", "education", "enterprise_id", "branch__name")
    )
    instructors = dict(
        Instructor.objects.filter(park_id__in=park_ids, is_active=True)
        .order_by()
        .values("park_id")
        .annotate(n=Count("pk"))
        .values_list("park_id", "n")
    )
    return {
        park.pk: _snapshot(
            park,
            enterprises.get(park.pk, []),
            organisations.get(park.pk, []),
            members.get(park.pk, []),
            instructors.get(park.pk, 0),
        )
        for park in parks
    }


def _snapshot(park, enterprises, organisations, members, instructors: int) -> dict:
    present = {row["id"] for row in enterprises}
    coverage = CoverageFigures(
        enterprises=len(enterprises),
        org_covered=sum(1 for row in enterprises if row["org_covered"]),
        work_covered=sum(1 for row in enterprises if row["org_covered"] or row["has_instructor"]),
    )
    with_instructor = sum(1 for row in enterprises if row["has_instructor"])
    party = [row for row in members if row["stage"] in Member.PARTY_STAGES]
    return {
        "version": VERSION,
        "park": {"id": park.pk, "code": park.code, "name": park.name},
        "entities": {
            "total": len(enterprises),
            "by_ownership": _counts(enterprises, "ownership", Enterprise.Ownership.values),
            "list": [{"id": row["id"], "name": row["name"], "credit_code": row["credit_code"]} for row in enterprises],
        },
        "employees": {
            "total": sum(row["employees"] for row in enterprises),
            "party_members": sum(1 for row in party if row["enterprise_id"] in present),
        },
        "organisations": {
            "total": len(organisations),
            "by_kind": _counts(organisations, "kind", Organisation.Kind.values),
            # 组建方式 is recorded for branches; committees carry none and are not counted here.
            "by_formation": _counts([row for row in organisations if row["formation"]], "formation", Organisation.Formation.values),
            "coverage": {
                "enterprises": coverage.enterprises,
                "org_covered": coverage.org_covered,
                "work_covered": coverage.work_covered,
                "org_rate": coverage.org_rate,
                "work_rate": coverage.work_rate,
            },
        },
        "structure": [
            {"id": row["id"], "name": row["name"], "kind": row["kind"], "parent_id": row["parent_id"]} for row in organisations
        ],
        "members": {
            "total": len(members),
            "party_members": len(party),
            "by_stage": _counts(members, "stage", Member.Stage.values),
            "by_gender": _counts(members, "gender", Member.Gender.values),
            "by_education": _counts(members, "education", [*Member.Education.values, ""]),
            "list": [
                {"id": row["id"], "name": row["name"], "branch": row["branch__name"], "stage": row["stage"]} for row in members
            ],
        },
        "instructors": {
            "active": instructors,
            "enterprises_with": with_instructor,
            "enterprises_without": len(enterprises) - with_instructor,
        },
    }


def take_snapshots(*, day: date, county=None, parks=None, actor=None) -> int:
    """Take the day's snapshot of each park (the county's active parks, or those given) that has
    none yet; returns how many were taken.

    Idempotent: one snapshot per (park, day) by a unique constraint and get_or_create, each taken
    with its audit entry in one transaction — a rerun, or a run killed halfway and run again, ends
    as one clean run. A snapshot already taken is never recomputed. Queries: one for those taken,
    four to compute every missing one, then a few per park to store it and its audit entry."""
    if (county is None) == (parks is None):
        raise TypeError("take_snapshots needs a county or a list of parks")
    if parks is None:
        parks = Park.objects.filter(county=county, is_active=True).order_by("pk")
    parks = list(parks)
    if not parks:
        return 0
    created = 0
    with park_scope(parks):
        taken = set(SurveySnapshot.objects.filter(park__in=parks, taken_on=day).values_list("park_id", flat=True))
        missing = [park for park in parks if park.pk not in taken]
        if not missing:
            return 0
        data = compute_snapshots(parks=missing, day=day)
        for park in missing:
            with transaction.atomic():
                snapshot, new = SurveySnapshot.objects.get_or_create(park=park, taken_on=day, defaults={"data": data[park.pk]})
                if new:
                    figures = snapshot.data
                    audit_record(
                        park=park, actor=actor, action="survey.snapshot", target=snapshot,
                        changes={
                            "taken_on": [None, day.isoformat()],
                            "enterprises": [None, figures["entities"]["total"]],
                            "organisations": [None, figures["organisations"]["total"]],
                            "members": [None, figures["members"]["total"]],
                        },
                    )
                    created += 1
    return created


def computed_later(snapshot: SurveySnapshot) -> bool:
    """Computed after its survey day (a backfill): members' statuses are those of that later day."""
    return timezone.localdate(snapshot.created_at) > snapshot.taken_on


# --- Comparing two days ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One number of a snapshot: the item it belongs to, its label, and where it sits in the data."""

    item: str
    label: str
    path: tuple[str, ...]

    def value(self, data: dict | None):
        if data is None:
            return None
        value = data
        for key in self.path:
            if not isinstance(value, dict):
                return None
            value = value.get(key, 0)  # a category added after the snapshot was taken: none then
        return value


def figures() -> list[Figure]:
    """Every number of a snapshot, item by item (the labels read the models' choices)."""
    out = [Figure("entities", "企业总数", ("entities", "total"))]
    out += [Figure("entities", str(label), ("entities", "by_ownership", key)) for key, label in Enterprise.Ownership.choices]
    out += [
        Figure("employees", "职工人数", ("employees", "total")),
        Figure("employees", "其中党员", ("employees", "party_members")),
        Figure("organisations", "党组织总数", ("organisations", "total")),
    ]
    out += [Figure("organisations", str(label), ("organisations", "by_kind", key)) for key, label in Organisation.Kind.choices]
    out += [Figure("organisations", str(label), ("organisations", "by_formation", key)) for key, label in Organisation.Formation.choices]
    out += [
        Figure("organisations", "党组织覆盖企业", ("organisations", "coverage", "org_covered")),
        Figure("organisations", "党组织覆盖率（%）", ("organisations", "coverage", "org_rate")),
        Figure("organisations", "党的工作覆盖企业", ("organisations", "coverage", "work_covered")),
        Figure("organisations", "党的工作覆盖率（%）", ("organisations", "coverage", "work_rate")),
        Figure("members", "在册人数", ("members", "total")),
        Figure("members", "党员（正式、预备）", ("members", "party_members")),
    ]
    out += [Figure("members", str(label), ("members", "by_stage", key)) for key, label in Member.Stage.choices]
    out += [Figure("members", str(label), ("members", "by_gender", key)) for key, label in Member.Gender.choices]
    out += [Figure("members", str(label), ("members", "by_education", key)) for key, label in Member.Education.choices]
    out += [
        Figure("members", "学历未填", ("members", "by_education", "")),
        Figure("instructors", "在岗指导员", ("instructors", "active")),
        Figure("instructors", "已配备指导员的企业", ("instructors", "enterprises_with")),
        Figure("instructors", "未配备指导员的企业", ("instructors", "enterprises_without")),
    ]
    return out


def _add(into: dict, data: dict) -> None:
    for key, value in data.items():
        if isinstance(value, dict):
            _add(into.setdefault(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + value


def county_total(datas: list[dict]) -> dict | None:
    """The parks' snapshots of one day added up (counts summed, rates recomputed from the sums);
    None when no park has one."""
    if not datas:
        return None
    total: dict = {}
    for data in datas:
        _add(total, {key: data.get(key, {}) for key, _ in ITEMS if isinstance(data.get(key), dict)})
    coverage = total.setdefault("organisations", {}).setdefault("coverage", {})
    figures_ = CoverageFigures(coverage.get("enterprises", 0), coverage.get("org_covered", 0), coverage.get("work_covered", 0))
    coverage["org_rate"], coverage["work_rate"] = figures_.org_rate, figures_.work_rate
    return total


@dataclass(frozen=True)
class Change:
    before: int | float | None
    after: int | float | None

    @property
    def delta(self):
        if self.before is None or self.after is None:
            return None
        delta = self.after - self.before
        return round(delta, 1) if isinstance(delta, float) else delta

    @property
    def delta_text(self) -> str:
        """'+2', '-1.5', '0'; empty when a side is missing."""
        delta = self.delta
        if delta is None:
            return ""
        return f"+{delta}" if delta > 0 else str(delta)


@dataclass(frozen=True)
class ListChange:
    """Who or what came and went between two days; None on both sides when a day has no snapshot."""

    added: list[dict] | None
    removed: list[dict] | None


def _diff(before: list[dict] | None, after: list[dict] | None) -> ListChange:
    if before is None or after is None:
        return ListChange(None, None)
    before_ids = {row["id"] for row in before}
    after_ids = {row["id"] for row in after}
    return ListChange(
        added=[row for row in after if row["id"] not in before_ids],
        removed=[row for row in before if row["id"] not in after_ids],
    )


def _reparented(before: list[dict] | None, after: list[dict] | None) -> list[dict] | None:
    """Organisations live on both days whose higher organisation changed (调整隶属)."""
    if before is None or after is None:
        return None
    names = {row["id"]: row["name"] for row in (*before, *after)}
    was = {row["id"]: row["parent_id"] for row in before}
    return [
        {**row, "parent_before": names.get(was[row["id"]], ""), "parent_after": names.get(row["parent_id"], "")}
        for row in after
        if row["id"] in was and was[row["id"]] != row["parent_id"]
    ]


def _list(data: dict | None, *path):
    if data is None:
        return None
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, list) else []


@dataclass
class Comparison:
    """One park's (or the county's) six items on two days: every figure before → after, and what
    came and went. `before` is None when the earlier day has no snapshot (e.g. a single survey)."""

    label: str
    park: Park | None
    before: dict | None
    after: dict | None
    changes: list[tuple[Figure, Change]] = field(default_factory=list)
    enterprises: ListChange = ListChange(None, None)  # added: 迁入, removed: 迁出
    organisations: ListChange = ListChange(None, None)  # added: 新建, removed: 撤销
    members: ListChange = ListChange(None, None)  # added: 新增, removed: 减少
    reparented: list[dict] | None = None

    def changes_of(self, item: str) -> list[tuple[Figure, Change]]:
        return [(figure, change) for figure, change in self.changes if figure.item == item]


def compare(before: dict | None, after: dict | None, *, label: str = "", park=None) -> Comparison:
    """Two snapshots of one park (either may be None), figure by figure and list by list."""
    return Comparison(
        label=label,
        park=park,
        before=before,
        after=after,
        changes=[(figure, Change(figure.value(before), figure.value(after))) for figure in figures()],
        enterprises=_diff(_list(before, "entities", "list"), _list(after, "entities", "list")),
        organisations=_diff(_list(before, "structure"), _list(after, "structure")),
        members=_diff(_list(before, "members", "list"), _list(after, "members", "list")),
        reparented=_reparented(_list(before, "structure"), _list(after, "structure")),
    )


def _joined(parks: list[Comparison], attr: str, side: str) -> list[dict] | None:
    lists = [
        [{**row, "park": comparison.label} for row in getattr(getattr(comparison, attr), side)]
        for comparison in parks
        if getattr(getattr(comparison, attr), side) is not None
    ]
    return [row for rows in lists for row in rows] if lists else None


def compare_county(parks, before: dict[int, dict], after: dict[int, dict]) -> tuple[list[Comparison], Comparison]:
    """Each park's comparison (before/after: park id → snapshot data of each day), and the county's
    total: figures summed over the parks that have a snapshot that day, the lists joined."""
    rows = [compare(before.get(park.pk), after.get(park.pk), label=park.name, park=park) for park in parks]
    total = compare(
        county_total([before[park.pk] for park in parks if park.pk in before]),
        county_total([after[park.pk] for park in parks if park.pk in after]),
        label="全县合计",
    )
    total.enterprises = ListChange(_joined(rows, "enterprises", "added"), _joined(rows, "enterprises", "removed"))
    total.organisations = ListChange(_joined(rows, "organisations", "added"), _joined(rows, "organisations", "removed"))
    total.members = ListChange(_joined(rows, "members", "added"), _joined(rows, "members", "removed"))
    moved = [[{**row, "park": c.label} for row in c.reparented] for c in rows if c.reparented is not None]
    total.reparented = [row for rows_ in moved for row in rows_] if moved else None
    return rows, total
