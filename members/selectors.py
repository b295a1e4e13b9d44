"""Reads of the member roster shared by pages and exports."""

from django.db.models import Q, QuerySet

from members.models import Member
from services.crypto import id_hash
from services.validators import normalize_id_number


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
