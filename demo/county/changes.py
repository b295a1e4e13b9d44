"""The park's roster and tree changing over the history, through orgs.services and members.services:
enterprises moving in (and being assigned an instructor) and moving out (their members transferred
out, their own branch dissolved or a joint branch covering one unit fewer, their instructor's
assignment ended); the 临时党支部's members leaving when its project ends (the daily job then
dissolves it); an instructor leaving and their enterprises reassigned; a branch's 换届 when its
term ends, sometimes with a new secretary."""

from datetime import date, timedelta

from django.utils import timezone

from demo.county import membership
from demo.county.clock import Agenda
from demo.county.rhythm import minute
from demo.county.state import ParkWorld
from members import services as member_services
from members.models import Member
from members.rules import add_years
from orgs import services as org_services
from orgs.models import (
    Coverage,
    Enterprise,
    Instructor,
    InstructorAssignment,
    Organisation,
)
from orgs.rules import TERM_YEARS
from orgs.selectors import assignment_active_q, live_party_branches


def today() -> date:
    return timezone.localdate()


def plan_changes(world: ParkWorld, month: date, end: date, agenda: Agenda) -> None:
    for k, unit in enumerate(world.plan.enterprises):
        if unit.arrives and month <= unit.moved_in_on <= end:
            agenda.add(unit.moved_in_on, 9 * 60, world.park, lambda k=k: arrive(world, k, agenda))
        if unit.leaves_on and month <= unit.leaves_on <= end:
            agenda.add(unit.leaves_on, 15 * 60, world.park, lambda k=k: leave(world, k))
    for org in world.plan.organisations:
        if org.ends_on and month <= org.ends_on <= end:
            agenda.add(org.ends_on, 11 * 60, world.park, lambda name=org.name: project_ends(world, name))
    for branch in live_party_branches(park=world.park, on=month).filter(elected_on__isnull=False).order_by("pk"):
        ends = add_years(branch.elected_on, TERM_YEARS)
        if month <= ends <= end:
            agenda.add(ends - timedelta(days=world.rng.randint(0, 10)), minute(world), world.park, lambda pk=branch.pk: election(world, pk))


def arrive(world: ParkWorld, k: int, agenda: Agenda) -> None:
    unit = world.plan.enterprises[k]
    enterprise = org_services.enterprise_create(park=world.park, actor=world.admin, zone=world.zones[unit.zone], **unit.row())
    world.enterprises[k] = enterprise
    instructors = list(Instructor.objects.filter(park=world.park, is_active=True).order_by("pk"))
    if instructors and world.rng.random() < 0.6:
        day = today() + timedelta(days=world.rng.randint(14, 45))
        instructor = world.rng.choice(instructors)
        agenda.add(day, minute(world), world.park, lambda: assign(world, instructor.pk, enterprise.pk))


def assign(world: ParkWorld, instructor_id: int, enterprise_id: int) -> None:
    instructor = Instructor.objects.get(park=world.park, pk=instructor_id)
    enterprise = Enterprise.objects.get(park=world.park, pk=enterprise_id)
    if instructor.is_active and enterprise.status == Enterprise.Status.ACTIVE:
        org_services.instructor_assign(park=world.park, actor=world.admin, instructor=instructor, enterprise=enterprise, starts_on=today())


def leave(world: ParkWorld, k: int) -> None:
    """迁出: the members working there leave with it; its organisations are wound up first."""
    enterprise = world.enterprises[k]
    if enterprise is None:
        return
    for pk in Member.objects.filter(park=world.park, enterprise=enterprise, status__in=Member.ON_ROLL).order_by("pk").values_list("pk", flat=True):
        membership.transfer_out(world, pk, external="企业迁往地党组织")
    covering = Coverage.objects.filter(park=world.park, enterprise=enterprise).order_by("organisation_id").values_list("organisation_id", flat=True)
    for pk in list(covering):
        organisation = Organisation.objects.get(park=world.park, pk=pk)
        if organisation.dissolved_on is None:
            _uncover(world, organisation, enterprise)
    for assignment in InstructorAssignment.objects.filter(park=world.park, enterprise=enterprise, ends_on__isnull=True):
        org_services.instructor_assignment_end(assignment=assignment, actor=world.admin, ends_on=today())
    org_services.enterprise_update(enterprise=enterprise, actor=world.admin, status=Enterprise.Status.MOVED_OUT, moved_out_on=today())


def _uncover(world: ParkWorld, organisation: Organisation, enterprise: Enterprise) -> None:
    remaining = [e for e in organisation.enterprises.all().order_by("pk") if e.pk != enterprise.pk]
    keeps = organisation.formation == Organisation.Formation.FALLBACK or (organisation.formation == Organisation.Formation.JOINT and len(remaining) >= 2)
    if keeps:
        org_services.organisation_update(organisation=organisation, actor=world.admin, enterprises=remaining)
        return
    for child in organisation.children.filter(dissolved_on__isnull=True).order_by("pk"):
        _wind_up(world, child)
    _wind_up(world, organisation)


def _wind_up(world: ParkWorld, organisation: Organisation) -> None:
    """Its remaining members go to another branch of the park, then it is dissolved (撤销)."""
    others = [b for b in live_party_branches(park=world.park, on=today()).order_by("-formation", "pk")
              if b.pk != organisation.pk and b.parent_id != organisation.pk]
    fallback = next((b for b in others if b.formation == Organisation.Formation.FALLBACK), others[0] if others else None)
    for member in Member.objects.filter(park=world.park, branch=organisation, status__in=Member.ON_ROLL).order_by("pk"):
        if member.post:  # an officer of the old branch is an ordinary member of the new one
            member_services.member_update(member=member, actor=world.admin, post="")
        if fallback is not None:
            membership.transfer_within(world, member.pk, to_branch=fallback)
    org_services.organisation_update(organisation=organisation, actor=world.admin, dissolved_on=today())


def project_ends(world: ParkWorld, name: str) -> None:
    """The project's 临时党支部 ends: its members go back to their own organisations."""
    branch = Organisation.objects.filter(park=world.park, name=name).first()
    for pk in Member.objects.filter(park=world.park, branch=branch, status__in=Member.ON_ROLL).order_by("pk").values_list("pk", flat=True):
        membership.transfer_out(world, pk, external="原单位党组织")


def instructor_leaves(world: ParkWorld) -> None:
    """One instructor goes back to their unit; their enterprises go to the others from tomorrow."""
    instructors = list(Instructor.objects.filter(park=world.park, is_active=True).order_by("pk"))
    if len(instructors) < 2:
        return
    leaving, others = instructors[0], instructors[1:]
    day = today()
    for n, assignment in enumerate(InstructorAssignment.objects.filter(park=world.park, instructor=leaving).filter(assignment_active_q(day))
                                   .select_related("enterprise").order_by("pk")):
        org_services.instructor_assignment_end(assignment=assignment, actor=world.admin, ends_on=day)
        org_services.instructor_assign(park=world.park, actor=world.admin, instructor=others[n % len(others)],
                                       enterprise=assignment.enterprise, starts_on=day + timedelta(days=1))
    org_services.instructor_update(instructor=leaving, actor=world.admin, is_active=False)


def election(world: ParkWorld, branch_id: int) -> None:
    """换届: a new term from today; a third of the time the branch elects a new secretary."""
    branch = Organisation.objects.get(park=world.park, pk=branch_id)
    if branch.dissolved_on:
        return
    data = {"elected_on": today()}
    if world.rng.random() < 0.35:
        officers = Member.objects.filter(park=world.park, branch=branch, status=Member.Status.ACTIVE, stage=Member.Stage.FULL).order_by("pk")
        old = officers.filter(post=Member.Post.SECRETARY).first()
        new = officers.filter(post="").first()
        if old is not None and new is not None:
            member_services.member_update(member=old, actor=world.admin, post="")
            member_services.member_update(member=new, actor=world.admin, post=Member.Post.SECRETARY)
            data["secretary_name"] = new.name
    org_services.organisation_update(organisation=branch, actor=world.admin, **data)
