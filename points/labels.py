"""The names of the points app's audit entries as the member page shows them (audit.labels)."""

from audit.labels import register
from points.models import StarCategory


def register_labels() -> None:
    register(actions={"points.add": "记录积分", "store.redeem": "积分超市兑换", "activist.card": "入党积极分子积分卡"})
    register(action="points.add", fields={"category": "类别", "points": "积分"}, values={"category": StarCategory.choices})
    register(action="store.redeem", fields={"item": "兑换物品", "points": "积分"})
    register(action="activist.card", fields={"total": "总分"})
