"""半年一总结 and 一年一行动 through cycle.services: in June some branches nominate a member, a party
worker or themselves for the 七一 commendations and the office decides; in December the office
sets the special action's milestones, secretaries hand in their 述职报告, and the admin and the
inspector rate each one 好 / 较好 / 一般 / 差."""

from datetime import date, timedelta

from cycle.models import (
    AnnualReview,
    HalfYearSummary,
    Nomination,
    Rating,
    SecretaryReport,
)
from cycle.services import (
    milestone_add,
    nomination_decide,
    nomination_propose,
    rating_give,
    secretary_report_submit,
)
from demo.county.clock import Agenda
from demo.county.rhythm import minute
from demo.county.state import ParkWorld
from members.models import Member
from orgs.selectors import live_party_branches

MILESTONES = ["完成党组织覆盖攻坚", "开展书记抓党建述职", "建成党建示范点", "完成党员教育培训全覆盖"]
REASON = {Nomination.Kind.MEMBER: "带头攻坚克难，岗位建功突出", Nomination.Kind.WORKER: "抓党建工作扎实，成效明显",
          Nomination.Kind.ORGANISATION: "组织生活规范，作用发挥明显"}


def plan_nominations(world: ParkWorld, june: date, agenda: Agenda) -> None:
    rng = world.rng
    for branch in live_party_branches(park=world.park, on=june).order_by("pk"):
        user = world.secretaries.get(branch.pk)
        if user is not None and rng.random() < 0.3:
            kind = rng.choices(list(REASON), weights=[6, 2, 2])[0]
            day = june + timedelta(days=rng.randint(2, 17))
            agenda.add(day, minute(world), world.park, lambda b=branch, u=user, k=kind: nominate(world, june, b, u, k))
    agenda.add(june.replace(day=24), 15 * 60, world.park, lambda: decide(world, june))


def nominate(world: ParkWorld, june: date, branch, user, kind: str) -> None:
    summary = HalfYearSummary.objects.get(park=world.park, year=june.year)
    members = Member.objects.filter(park=world.park, branch=branch, stage=Member.Stage.FULL, status=Member.Status.ACTIVE).order_by("pk")
    member = members.filter(post=Member.Post.SECRETARY).first() if kind == Nomination.Kind.WORKER else members.first()
    if kind != Nomination.Kind.ORGANISATION and member is None:
        return
    nomination_propose(summary=summary, actor=user, branch=branch, kind=kind, reason=REASON[kind], member=member)


def decide(world: ParkWorld, june: date) -> None:
    for nomination in Nomination.objects.filter(park=world.park, summary__year=june.year, status=Nomination.Status.PROPOSED).order_by("pk"):
        nomination_decide(nomination=nomination, actor=world.admin, approve=world.rng.random() < 0.7)


def plan_review(world: ParkWorld, december: date, agenda: Agenda) -> None:
    rng = world.rng
    agenda.add(december + timedelta(days=1), 10 * 60, world.park, lambda: milestones(world, december))
    for branch in live_party_branches(park=world.park, on=december).order_by("pk"):
        user = world.secretaries.get(branch.pk)
        if user is not None and rng.random() < world.branch_diligence(branch.pk) + 0.05:
            day = december + timedelta(days=rng.randint(4, 24))
            agenda.add(day, minute(world), world.park, lambda b=branch, u=user: report(world, december, b, u))
    agenda.add(december.replace(day=28), 10 * 60, world.park, lambda: rate(world, december))


def milestones(world: ParkWorld, december: date) -> None:
    review = AnnualReview.objects.get(park=world.park, year=december.year)
    for n, title in enumerate(world.rng.sample(MILESTONES, 3), start=1):
        milestone_add(review=review, actor=world.admin, title=f"{december.year + 1}年：{title}", due_on=date(december.year + 1, 3 * n + 3, 30))


def report(world: ParkWorld, december: date, branch, user) -> None:
    review = AnnualReview.objects.get(park=world.park, year=december.year)
    secretary_report_submit(review=review, actor=user, branch=branch, text=f"{branch.name}{december.year}年度抓党建工作述职报告。")


def rate(world: ParkWorld, december: date) -> None:
    grades = [Rating.Grade.GOOD, Rating.Grade.GOOD, Rating.Grade.FAIR_GOOD, Rating.Grade.FAIR_GOOD, Rating.Grade.FAIR, Rating.Grade.POOR]
    for secretary_report in SecretaryReport.objects.filter(park=world.park, review__year=december.year).select_related("branch").order_by("pk"):
        for evaluator in (world.admin, world.inspector):
            rating_give(report=secretary_report, actor=evaluator, grade=world.rng.choice(grades))
