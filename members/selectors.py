"""Reads of the member roster shared by pages and exports."""

from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.crypto import id_hash
from core.validators import normalize_id_number
from members.models import Member
from orgs.models import Enterprise
from orgs.rules import coverage_suggestions
from orgs.selectors import uncovered_enterprises


def member_list(*, park, filters: dict) -> QuerySet:
    """Search by name or phone, or by a whole ID number (matched through its keyed hash)."""
    qs = Member.objects.filter(park=park).select_related("branch", "enterprise").order_by("branch__name", "name", "pk")
    if q := (filters.get("q") or "").strip():
        number = normalize_id_number(q)
        if len(number) == 18:
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
