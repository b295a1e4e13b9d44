"""A small park for the coverage tests of orgs (the figures) and members (the gap list)."""

from datetime import date

from orgs.models import Enterprise, Organisation
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
    ZoneFactory,
)


def build_small_park(world):
    """Eight active enterprises and one moved out:

    - e0, e1 covered by a live branch; e2 by a dissolved branch (not covered); e3 by a temporary
      branch that ended (not covered)
    - e2 has an instructor (work-covered); e4 had one whose assignment ended (not work-covered)
    - e5, e6 uncovered in the same zone; e7 uncovered alone in no zone; e8 moved out (not counted)
    """
    park = world.park
    zone = ZoneFactory(park=park, name="东区")
    e = [EnterpriseFactory(park=park, zone=zone if i in (5, 6) else None, name=f"企业{i}") for i in range(8)]
    EnterpriseFactory(park=park, status=Enterprise.Status.MOVED_OUT, moved_out_on=date(2025, 1, 1))
    live = OrganisationFactory(park=park, parent=world.work_committee, formation=Organisation.Formation.JOINT)
    CoverageFactory(organisation=live, enterprise=e[0])
    CoverageFactory(organisation=live, enterprise=e[1])
    gone = OrganisationFactory(park=park, parent=world.work_committee, dissolved_on=date(2026, 1, 1))
    CoverageFactory(organisation=gone, enterprise=e[2])
    ended = OrganisationFactory(park=park, parent=world.work_committee, formation=Organisation.Formation.TEMPORARY, ends_on=date(2026, 6, 30))
    CoverageFactory(organisation=ended, enterprise=e[3])
    instructor = InstructorFactory(park=park)
    InstructorAssignmentFactory(instructor=instructor, enterprise=e[2], starts_on=date(2025, 1, 1))
    InstructorAssignmentFactory(instructor=instructor, enterprise=e[4], starts_on=date(2025, 1, 1), ends_on=date(2026, 1, 1))
    return e
