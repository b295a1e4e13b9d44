"""Member points: 星级党员 points (from attendance and entered by secretaries), the quarter's stars,
the 积分超市 ledger, and the activists' 积分卡."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.periods import month_start, quarter_bounds
from members.models import Member
from points.models import (
    ATTENDANCE_POINTS,
    CARD_DIMENSION_MAX,
    ActivistCard,
    MemberStar,
    PointBalance,
    PointEntry,
    Redemption,
    StarCategory,
    StoreItem,
)

MSG_BALANCE = _("积分不足：当前%(balance)s分，兑换需要%(cost)s分。")
MSG_STOCK = _("“%(name)s”已兑完。")
MSG_CARD = _("各项得分应在0到%(max)s之间。")
MSG_NOT_ACTIVIST = _("积分卡只适用于入党积极分子。")
MSG_POINTS = _("积分应为1到100之间的整数。")

def _credit(park, member_points: dict[int, int]) -> None:
    """Add earned points to members' balances (upsert, one query). Rows are written in member order,
    so two meetings crediting the same members at once lock them in the same order."""
    if not member_points:
        return
    rows = sorted(member_points.items())
    table = PointBalance._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (park_id, member_id, balance) VALUES {', '.join(['(%s, %s, %s)'] * len(rows))} "
            f"ON CONFLICT (park_id, member_id) DO UPDATE SET balance = {table}.balance + EXCLUDED.balance",
            [value for member_id, points in rows for value in (park.pk, member_id, points)],
        )


def points_for_attendance(*, park, attendances) -> int:
    """Points for members present at a meeting; an attendance earns once (unique constraint)."""
    present = [a for a in attendances if a.present]
    if not present:
        return 0
    existing = set(PointEntry.objects.filter(park=park, attendance__in=present).values_list("attendance_id", flat=True))
    meetings = {a.activity_id: a.activity for a in present}
    reasons = {pk: f"参加{meeting.get_kind_display()}：{meeting.topic}"[:200] for pk, meeting in meetings.items()}
    new = [
        PointEntry(park=park, member_id=a.member_id, month=month_start(a.activity.held_on), category=StarCategory.STUDY,
                   points=ATTENDANCE_POINTS, reason=reasons[a.activity_id], attendance=a)
        for a in present if a.pk not in existing
    ]
    PointEntry.objects.bulk_create(new)
    earned = defaultdict(int)
    for entry in new:
        earned[entry.member_id] += entry.points
    _credit(park, earned)
    return len(new)


MSG_REVERSE_BALANCE = _("“%(name)s”的积分余额为%(balance)s分，不足以撤回参加会议所得的%(points)s分（积分已在积分超市兑换）。")


def points_reverse_attendance(*, park, actor, attendances, reason: str) -> int:
    """Take back the points the given attendances earned, each by a new entry of the opposite
    amount naming the one it reverses (the entry itself is never edited or deleted), and take them
    off the members' balances. Refused, with the member named, where a balance has been spent
    below what would be taken back. Returns the number of entries reversed; an entry is reversed
    once. The caller holds the transaction."""
    earned = list(
        PointEntry.objects.filter(park=park, attendance__in=list(attendances), reverses__isnull=True, reversed_by__isnull=True)
        .select_related("member").order_by("member_id", "pk")
    )
    if not earned:
        return 0
    reasons = {entry.pk: f"撤回：{entry.reason}（{reason}）"[:200] for entry in earned}
    PointEntry.objects.bulk_create([
        PointEntry(park=park, member_id=entry.member_id, month=entry.month, category=entry.category, points=-entry.points,
                   reason=reasons[entry.pk], reverses=entry, entered_by=actor)
        for entry in earned
    ])
    taken = defaultdict(int)
    for entry in earned:
        taken[entry.member_id] += entry.points
    names = {entry.member_id: entry.member.name for entry in earned}
    for member_id, points in sorted(taken.items()):  # in member order, as _credit locks them
        # Conditional, as redeem: never below zero, even when a redemption races.
        if not PointBalance.objects.filter(park=park, member_id=member_id, balance__gte=points).update(balance=F("balance") - points):
            balance = PointBalance.objects.filter(park=park, member_id=member_id).values_list("balance", flat=True).first() or 0
            raise ValidationError(str(MSG_REVERSE_BALANCE % {"name": names[member_id], "balance": balance, "points": points}))
    return len(earned)


@transaction.atomic
def points_add(*, park, actor, member: Member, category: str, points: int, reason: str, month: date) -> PointEntry:
    if member.park_id != park.pk:
        raise ValidationError({"member": ["党员不属于本园区。"]})
    if not 1 <= int(points) <= 100:
        raise ValidationError({"points": [str(MSG_POINTS)]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["请填写事由。"]})
    entry = PointEntry.objects.create(park=park, member=member, month=month_start(month), category=category,
                                      points=points, reason=reason.strip()[:200], entered_by=actor)
    _credit(park, {member.pk: int(points)})
    audit_record(park=park, actor=actor, action="points.add", target=member, changes={"category": [None, category], "points": [None, points]})
    return entry


def balance_of(*, park, member: Member) -> int:
    return PointBalance.objects.filter(park=park, member=member).values_list("balance", flat=True).first() or 0


@transaction.atomic
def redeem(*, park, actor, member: Member, item: StoreItem) -> Redemption:
    """Spend points on a store item. Conditional updates keep balance and stock from going below
    zero even when two redemptions race (and a CHECK constraint backs the balance)."""
    if member.park_id != park.pk or item.park_id != park.pk:
        raise ValidationError("党员或物品不属于本园区。")
    spent = PointBalance.objects.filter(park=park, member=member, balance__gte=item.cost).update(balance=F("balance") - item.cost)
    if not spent:
        raise ValidationError(MSG_BALANCE % {"balance": balance_of(park=park, member=member), "cost": item.cost})
    taken = StoreItem.objects.filter(park=park, pk=item.pk, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        raise ValidationError(MSG_STOCK % {"name": item.name})  # rolls the balance back with it
    redemption = Redemption.objects.create(park=park, member=member, item=item, points=item.cost, created_by=actor)
    audit_record(park=park, actor=actor, action="store.redeem", target=member, changes={"item": [None, item.name], "points": [None, item.cost]})
    return redemption


def stars_select(*, park, year: int, quarter: int, bar: int) -> int:
    """星级党员 of a quarter: each category where a member's points reach the park's bar. Idempotent."""
    start, end = quarter_bounds(year, quarter)
    rows = (
        PointEntry.objects.filter(park=park, month__gte=start, month__lte=end)
        .values("member_id", "category").annotate(total=Sum("points")).filter(total__gte=bar).order_by()
    )
    before = MemberStar.objects.filter(park=park, year=year, quarter=quarter).count()
    MemberStar.objects.bulk_create(
        [MemberStar(park=park, member_id=r["member_id"], year=year, quarter=quarter, category=r["category"], points=r["total"]) for r in rows],
        ignore_conflicts=True,
    )
    chosen = MemberStar.objects.filter(park=park, year=year, quarter=quarter).count() - before
    if chosen:  # chosen by the quarter's job: no person acted
        audit_record(park=park, actor=None, action="member_stars.select", target=park,
                     changes={"quarter": [None, f"{year}Q{quarter}"], "stars": [None, chosen], "bar": [None, bar]})
    return chosen


@transaction.atomic
def activist_card_save(*, park, actor, member: Member, year: int, quarter: int, **scores) -> ActivistCard:
    if member.park_id != park.pk or member.stage != Member.Stage.ACTIVIST:
        raise ValidationError({"member": [str(MSG_NOT_ACTIVIST)]})
    if any(not 0 <= int(v) <= CARD_DIMENSION_MAX for v in scores.values()):
        raise ValidationError({"__all__": [str(MSG_CARD % {"max": CARD_DIMENSION_MAX})]})
    card, _ = ActivistCard.objects.update_or_create(park=park, member=member, year=year, quarter=quarter, defaults=scores)
    audit_record(park=park, actor=actor, action="activist.card", target=member, changes={"total": [None, card.total]})
    return card


@transaction.atomic
def activist_cards_publish(*, park, actor, year: int, quarter: int, branch_ids) -> int:
    count = ActivistCard.objects.filter(park=park, year=year, quarter=quarter, member__branch_id__in=branch_ids, published=False).update(published=True)
    if count:
        audit_record(park=park, actor=actor, action="activist.publish", target=park, changes={"quarter": [None, f"{year}Q{quarter}"], "cards": [None, count]})
    return count


@transaction.atomic
def store_item_create(*, park, actor, **data) -> StoreItem:
    item = StoreItem(park=park, **data)
    item.full_clean()
    item.save()
    audit_record(park=park, actor=actor, action="store.item", target=item, changes={"name": [None, item.name]})
    return item
