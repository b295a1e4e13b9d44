"""The member picker: who a search box finds (members.views.MemberPickView) and what each match shows."""

from django.db.models import Q

from core.crypto import id_tail_hash
from core.pickers import ID_TAIL, PickerKind, name_first
from members.models import Member


def describe(member: Member) -> str:
    """Branch and the masked ID's last four: two 周磊 of one park are told apart by them."""
    return f"{member.branch.name} · 身份证尾号{member.id_number[-4:]}"


MEMBER_PICKER = PickerKind(
    model=Member,
    url_name="members:pick",
    noun="党员",
    searched_by="姓名或身份证号后四位",
    describe=describe,
    scopes={
        "all": Q(),
        "roll": Q(status__in=Member.ON_ROLL),  # 在册 and 流动: whom points and the 积分超市 are for
        "active": Q(status=Member.Status.ACTIVE),  # park activities' sign-ups
        "activists": Q(status__in=Member.ON_ROLL, stage=Member.Stage.ACTIVIST),  # the 积分卡
    },
    related=("branch",),
    tail_only=True,
)


def match_members(queryset, q: str):
    """By name (the exact name first), or by the ID number's last four (through their keyed hash)."""
    if ID_TAIL.match(q.upper()):
        return queryset.filter(id_tail_hash=id_tail_hash(q)).order_by("name", "pk")
    return name_first(queryset.filter(name__icontains=q), q)
