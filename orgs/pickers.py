"""The enterprise picker: which enterprises a search box finds (orgs.views.EnterprisePickView) and
what each match shows."""

from django.db.models import Q

from core.pickers import PickerKind, name_first
from orgs.models import Enterprise


def describe(enterprise: Enterprise) -> str:
    """The zone and the credit code's last six: two 华源 of one park are told apart by them."""
    zone = enterprise.zone.name if enterprise.zone_id else "未分片区"
    return f"{zone} · 信用代码尾号{enterprise.credit_code[-6:]}"


ENTERPRISE_PICKER = PickerKind(
    model=Enterprise,
    url_name="orgs:enterprise_pick",
    noun="企业",
    searched_by="企业名称或信用代码",
    describe=describe,
    scopes={"all": Q(), "active": Q(status=Enterprise.Status.ACTIVE)},
    related=("zone",),
)


def match_enterprises(queryset, q: str):
    return name_first(queryset.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper())), q)
