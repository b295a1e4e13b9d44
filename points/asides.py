"""The activist's 积分卡 beside the decision to make them a development target (members.asides)."""

from members.asides import step_aside
from points.models import ActivistCard

SHOWN_QUARTERS = 4  # the year of cultivation before 确定发展对象 (细则 Art. 13)


@step_aside("candidate")
def activist_cards(*, park, member) -> list[tuple[str, str]]:
    cards = ActivistCard.objects.filter(park=park, member=member).order_by("-year", "-quarter")[:SHOWN_QUARTERS]
    lines = [(f"{card.year}年第{card.quarter}季度积分卡", f"{card.total} 分" + ("" if card.published else "（未公示）")) for card in cards]
    return lines or [("入党积极分子积分卡", "尚无记录")]
