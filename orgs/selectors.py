"""Reads of the organisation tree, the enterprise roster and party coverage, shared by pages."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.utils import timezone

from orgs.models import (
    Coverage,
    Enterprise,
    InstructorAssignment,
    Organisation,
    OrganisationRow,
)

# Organisations that hold members (党员编入党支部或党总支).
BRANCH_KINDS = (Organisation.Kind.BRANCH, Organisation.Kind.GENERAL_BRANCH)


def organisation_rows(park_ids) -> list[OrganisationRow]:
    """Every organisation of the parks, by park and name, as plain rows (orgs.models.OrganisationRow)."""
    columns = ["id", *OrganisationRow._fields[1:]]
    return [OrganisationRow(*row) for row in
            Organisation.objects.filter(park_id__in=park_ids).order_by("park_id", "name").values_list(*columns)]


def organisation_active_q(on: date, prefix: str = "") -> Q:
    """Organisations that exist on the date: founded, not dissolved, a temporary one not ended
    (Organisation.is_active_on is the same rule on one row)."""
    return (
        (Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": on}))
        & (Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": on}))
        & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on}))
    )


def assignment_active_q(on: date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on)) & Q(instructor__is_active=True)


def branch_ids_with_groups(*, park_ids) -> set[int]:
    """Organisations that have a live 党小组 under them (one query)."""
    return set(
        Organisation.objects.filter(park_id__in=park_ids, kind=Organisation.Kind.GROUP, dissolved_on__isnull=True)
        .values_list("parent_id", flat=True)
    )


def live_branches(*, park, on: date | None = None) -> QuerySet:
    """Organisations that can hold members today: the park's live branches and general branches."""
    return Organisation.objects.filter(park=park, kind__in=BRANCH_KINDS).filter(organisation_active_q(on or timezone.localdate()))


def writable_branches(*, park, access) -> QuerySet:
    """Live branches this user records for: all of them for the park admin, their own for a secretary."""
    branches = live_branches(park=park)
    return branches if access.is_admin else branches.filter(pk__in=access.organisation_ids)


def live_party_branches(*, park, on: date | None = None) -> QuerySet:
    """The park's live 党支部 (branches proper) on the date: who gets a notice, a report, an assessment."""
    return Organisation.objects.filter(park=park).filter(live_branch_q(on or timezone.localdate()))


def live_branch_q(on: date) -> Q:
    """Live 党支部 (branches proper: the units that hold 三会一课 and are assessed) on the date."""
    return Q(kind=Organisation.Kind.BRANCH) & organisation_active_q(on)


def active_enterprises(*, park) -> QuerySet:
    return Enterprise.objects.filter(park=park, status=Enterprise.Status.ACTIVE)


def enterprise_present_q(on: date) -> Q:
    """Enterprises in the park on the date: moved in by then (or no date kept), and not yet moved
    out (an enterprise marked 迁出 with no date is out)."""
    return (Q(moved_in_on__isnull=True) | Q(moved_in_on__lte=on)) & (
        Q(status=Enterprise.Status.ACTIVE) | Q(moved_out_on__gt=on))


def enterprises_with_coverage(*, parks, on: date | None = None) -> QuerySet:
    """Enterprises of the parks present on the day, each annotated org_covered and has_instructor
    (one query)."""
    on = on or timezone.localdate()
    covered = Coverage.objects.filter(enterprise=OuterRef("pk")).filter(organisation_active_q(on, "organisation__"))
    instructed = InstructorAssignment.objects.filter(enterprise=OuterRef("pk")).filter(assignment_active_q(on))
    return Enterprise.objects.filter(park__in=parks).filter(enterprise_present_q(on)).annotate(
        org_covered=Exists(covered), has_instructor=Exists(instructed)
    )


@dataclass(frozen=True)
class CoverageFigures:
    """党组织覆盖率 and 党的工作覆盖率 of one park. Every active enterprise should be covered."""

    enterprises: int
    org_covered: int
    work_covered: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def org_rate(self) -> float | None:
        return self._rate(self.org_covered, self.enterprises)

    @property
    def work_rate(self) -> float | None:
        return self._rate(self.work_covered, self.enterprises)

    @property
    def uncovered(self) -> int:
        return self.enterprises - self.org_covered


def coverage_by_park(*, parks, on: date | None = None) -> dict[int, CoverageFigures]:
    """Coverage figures for each park, in one query whatever the number of parks and enterprises."""
    rows = (
        enterprises_with_coverage(parks=parks, on=on)
        .order_by()
        .values("park_id")
        .annotate(
            total=Count("pk"),
            org=Count("pk", filter=Q(org_covered=True)),
            work=Count("pk", filter=Q(org_covered=True) | Q(has_instructor=True)),
        )
    )
    figures = {p if isinstance(p, int) else p.pk: CoverageFigures(0, 0, 0) for p in parks}
    for row in rows:
        figures[row["park_id"]] = CoverageFigures(row["total"], row["org"], row["work"])
    return figures


def coverage_summary(*, park, on: date | None = None) -> CoverageFigures:
    return coverage_by_park(parks=[park], on=on)[park.pk]


def uncovered_enterprises(*, park, on: date | None = None) -> QuerySet:
    """Active enterprises no party organisation covers, each annotated `zone_peers`: how many
    uncovered enterprises share its zone (one query; members.selectors adds who works there)."""
    return (
        enterprises_with_coverage(parks=[park], on=on)
        .filter(org_covered=False)
        .select_related("zone")
        .annotate(zone_peers=Window(Count("pk"), partition_by=[F("zone_id")]))
        .order_by("zone__name", "name")
    )


@dataclass
class TreeNode:
    organisation: Organisation
    depth: int
    children: list


def organisation_tree(*, park, visible_ids=None) -> list[TreeNode]:
    """The park's organisations as a forest, one query; `visible_ids` keeps only those subtrees.

    Each organisation carries `unit_count`, the number of enterprises it covers.
    """
    organisations = list(
        Organisation.objects.filter(park=park)
        .annotate(unit_count=Count("coverage"))
        .order_by("name")
    )
    nodes = {o.pk: TreeNode(o, 0, []) for o in organisations}
    roots = []
    for organisation in organisations:
        node = nodes[organisation.pk]
        parent = nodes.get(organisation.parent_id)
        if parent is not None and (visible_ids is None or organisation.parent_id in visible_ids):
            parent.children.append(node)
        elif visible_ids is None or organisation.pk in visible_ids:
            roots.append(node)
    kind_order = list(Organisation.Kind.values)
    roots.sort(key=lambda n: (kind_order.index(n.organisation.kind), n.organisation.name))

    def set_depth(node, depth):
        node.depth = depth
        node.children.sort(key=lambda n: (kind_order.index(n.organisation.kind), n.organisation.name))
        for child in node.children:
            set_depth(child, depth + 1)

    for root in roots:
        set_depth(root, 0)
    return roots


def flatten_tree(roots: list[TreeNode]) -> list[TreeNode]:
    out, stack = [], list(reversed(roots))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def enterprise_list(*, park, filters: dict, on: date | None = None) -> QuerySet:
    """The roster page's rows: search by name or credit code, filters by zone, status, coverage."""
    on = on or timezone.localdate()
    covered = Coverage.objects.filter(enterprise=OuterRef("pk")).filter(organisation_active_q(on, "organisation__"))
    qs = (
        Enterprise.objects.filter(park=park)
        .select_related("zone")
        .annotate(org_covered=Exists(covered))
        .order_by("name", "pk")
    )
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    if zone := filters.get("zone"):
        qs = qs.filter(zone=zone)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if industry := filters.get("industry"):
        qs = qs.filter(industry=industry)
    if filters.get("covered") == "yes":
        qs = qs.filter(org_covered=True)
    elif filters.get("covered") == "no":
        qs = qs.filter(org_covered=False)
    return qs


def visible_enterprises(queryset: QuerySet, access) -> QuerySet:
    """Narrow enterprises to what the user's roles in the park let them see.

    Park-wide roles see all; a branch secretary the enterprises their organisations cover; an
    instructor those assigned to them now.
    """
    if access.sees_whole_park:
        return queryset
    from core.roles import Role

    visible = Q(pk__in=[])
    if Role.BRANCH_SECRETARY in access.roles:
        visible |= Exists(
            Coverage.objects.filter(enterprise=OuterRef("pk"), organisation_id__in=access.organisation_ids)
        )
    if Role.INSTRUCTOR in access.roles:
        visible |= Exists(
            InstructorAssignment.objects.filter(enterprise=OuterRef("pk"), instructor__user=access.user_id).filter(
                assignment_active_q(timezone.localdate())
            )
        )
    return queryset.filter(visible)
