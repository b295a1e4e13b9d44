"""Members over the history, through members.services: 转正 on the day the probation ends (a few
extended first), activists and development targets moving on and targets admitted, new
applicants, transfers in, out and between branches, 流动 and back, and now and then 停止党籍 or
去世 — each a record of its own, as the pages make them; a newly owing member's 党费基数 follows."""

from datetime import date, timedelta

from django.utils import timezone

from core.periods import month_end, next_month
from demo.county.clock import Agenda
from demo.county.rhythm import minute
from demo.county.roster import People, payroll_basis
from demo.county.state import ParkWorld
from dues.services import basis_record
from members import services as member_services
from members.models import Member, ProbationExtension
from members.rules import earliest_candidate_on, probation_end
from orgs.models import Coverage, Enterprise
from orgs.selectors import live_party_branches

OUTSIDE = ["县人民医院党委", "外省务工地流动党员党支部", "县教育局机关党委", "原籍村党支部", "市经济开发区党工委"]


def plan_members(world: ParkWorld, month: date, agenda: Agenda) -> None:
    end = month_end(month)
    members = list(Member.objects.filter(park=world.park, status__in=Member.ON_ROLL).order_by("pk"))
    extended = dict(ProbationExtension.objects.filter(park=world.park).values_list("member_id", "months"))
    for member in members:
        _plan_stage(world, member, extended.get(member.pk), month, end, agenda)
        _plan_status(world, member, month, end, agenda)
    if world.rng.random() < 0.6:
        agenda.add(_day(world, month, end), minute(world), world.park, lambda: applicant(world))
    if world.rng.random() < 0.5:
        agenda.add(_day(world, month, end), minute(world), world.park, lambda: transfer_in(world, agenda))


def _day(world: ParkWorld, first: date, last: date) -> date:
    return first + timedelta(days=world.rng.randint(0, (last - first).days))


def _plan_stage(world: ParkWorld, member: Member, extension: int | None, month: date, end: date, agenda: Agenda) -> None:
    rng, pk = world.rng, member.pk
    if member.stage == Member.Stage.PROBATIONARY:
        ends = probation_end(member.joined_on, extension or 0)
        if extension is None and month <= ends - timedelta(days=40) <= end and rng.random() < 0.05:
            agenda.add(ends - timedelta(days=40), minute(world), world.park, lambda: extend(world, pk))
        elif month <= ends <= end:
            agenda.add(ends, minute(world), world.park, lambda: update(world, pk, stage=Member.Stage.FULL, full_on=ends))
    elif member.stage == Member.Stage.CANDIDATE and rng.random() < 0.12:
        day = _day(world, month, end)
        agenda.add(day, minute(world), world.park, lambda: update(world, pk, stage=Member.Stage.PROBATIONARY, joined_on=day))
    elif member.stage == Member.Stage.ACTIVIST and rng.random() < 0.08:
        day = _day(world, month, end)
        if member.activist_on is None or earliest_candidate_on(member.activist_on) <= day:
            agenda.add(day, minute(world), world.park, lambda: update(world, pk, stage=Member.Stage.CANDIDATE, candidate_on=day))
    elif member.stage == Member.Stage.APPLICANT and rng.random() < 0.08:
        day = _day(world, month, end)
        agenda.add(day, minute(world), world.park, lambda: update(world, pk, stage=Member.Stage.ACTIVIST, activist_on=day))


def _plan_status(world: ParkWorld, member: Member, month: date, end: date, agenda: Agenda) -> None:
    rng, pk = world.rng, member.pk
    roll = rng.random()
    if member.post:
        return  # the branch's officers stay (换届 changes them)
    day = _day(world, month, end)
    if roll < 0.002:
        agenda.add(day, minute(world), world.park, lambda: transfer_out(world, pk))
    elif roll < 0.003:
        agenda.add(day, minute(world), world.park, lambda: transfer_within(world, pk))
    elif roll < 0.005:
        status = Member.Status.ACTIVE if member.status == Member.Status.MOBILE else Member.Status.MOBILE
        reason = "返回本地工作" if status == Member.Status.ACTIVE else "外出务工"
        agenda.add(day, minute(world), world.park, lambda: status_change(world, pk, status, reason))
    elif roll < 0.0053:
        if member.birth_date.year < 1965:
            agenda.add(day, minute(world), world.park, lambda: status_change(world, pk, Member.Status.DECEASED, "因病去世"))
    elif roll < 0.0055:
        agenda.add(day, minute(world), world.park, lambda: status_change(world, pk, Member.Status.SUSPENDED, "无正当理由连续六个月不参加组织生活"))


def _member(world: ParkWorld, pk: int) -> Member | None:
    member = Member.objects.filter(park=world.park, pk=pk).select_related("branch").first()
    return member if member is not None and member.status in Member.ON_ROLL else None


def update(world: ParkWorld, pk: int, **data) -> None:
    member = _member(world, pk)
    if member is None:
        return
    member_services.member_update(member=member, actor=world.admin, **data)
    if data.get("stage") == Member.Stage.PROBATIONARY:
        _basis_later(world, member)


def extend(world: ParkWorld, pk: int) -> None:
    member = _member(world, pk)
    if member is not None and member.stage == Member.Stage.PROBATIONARY:
        member_services.probation_extend(member=member, actor=world.admin, decided_on=world_today(), months=6,
                                         reason="支部大会讨论认为需继续教育考察")


def status_change(world: ParkWorld, pk: int, status: str, reason: str) -> None:
    member = Member.objects.filter(park=world.park, pk=pk).first()
    if member is not None and member.status in Member.ON_ROLL and member.status != status and not member.post:
        member_services.member_status_change(member=member, actor=world.admin, status=status, on=world_today(), reason=reason)


def transfer_out(world: ParkWorld, pk: int, external: str | None = None) -> None:
    member = _member(world, pk)
    if member is not None:
        member_services.member_transfer_out(member=member, actor=world.admin, on=world_today(),
                                            external_organisation=external or world.rng.choice(OUTSIDE), note="工作调动")


def transfer_within(world: ParkWorld, pk: int, to_branch=None) -> None:
    member = _member(world, pk)
    branches = [b for b in live_party_branches(park=world.park, on=world_today()).order_by("pk") if member and b.pk != member.branch_id]
    if member is not None and branches:
        member_services.member_transfer_within(member=member, actor=world.admin, to_branch=to_branch or world.rng.choice(branches),
                                               on=world_today(), note="岗位调整")


def people(world: ParkWorld) -> People:
    if world.people is None:
        known = set(Member.objects.filter(park=world.park).values_list("pk", flat=True))
        world.people = People(world.rng, world.plan.region, world_today())
        world.people.serial = 100 + len(known)  # past the roster's serials
    world.people.today = world_today()
    return world.people


def _branch_and_unit(world: ParkWorld):
    branches = list(live_party_branches(park=world.park, on=world_today()).order_by("pk"))
    branch = world.rng.choice(branches)
    units = list(Enterprise.objects.filter(park=world.park, status=Enterprise.Status.ACTIVE,
                                           pk__in=Coverage.objects.filter(organisation=branch).values("enterprise_id")).order_by("pk"))
    return branch, (world.rng.choice(units) if units else None)


def applicant(world: ParkWorld) -> None:
    """Someone hands in an application (入党申请书) and the branch puts them on its roll."""
    branch, unit = _branch_and_unit(world)
    who = people(world).draw(branch=branch.name, enterprise="", stage="applicant")
    member_services.member_create(park=world.park, actor=world.admin, id_number=who.id_number, name=who.name, gender=who.gender,
                                  branch=branch, enterprise=unit, stage=Member.Stage.APPLICANT, applied_on=world_today())


def transfer_in(world: ParkWorld, agenda: Agenda) -> None:
    branch, unit = _branch_and_unit(world)
    who = people(world).draw(branch=branch.name, enterprise="", stage="full")
    member = member_services.member_transfer_in(
        park=world.park, actor=world.admin, external_organisation=world.rng.choice(OUTSIDE), on=world_today(), note="新入职",
        id_number=who.id_number, name=who.name, gender=who.gender, branch=branch, enterprise=unit, stage=Member.Stage.FULL,
        joined_on=who.joined_on, full_on=who.full_on)
    _basis_later(world, member)


def _basis_later(world: ParkWorld, member: Member) -> None:
    """The branch records the newly owing member's 党费基数 from next month, early in that month."""
    first = next_month(world_today())
    world.agenda.add(first + timedelta(days=2), minute(world), world.park, lambda: basis(world, member.pk, first))


def basis(world: ParkWorld, pk: int, first: date) -> None:
    member = _member(world, pk)
    if member is None or member.stage not in (Member.Stage.PROBATIONARY, Member.Stage.FULL):
        return
    category, base, agreed = payroll_basis(world.rng)
    basis_record(park=world.park, actor=world.admin, member=member, category=category, effective_from=first, base=base, agreed=agreed)


def world_today() -> date:
    return timezone.localdate()
