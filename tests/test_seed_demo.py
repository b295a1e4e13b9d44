"""The demo data: the seed parks' figures, and a second run changes nothing."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment, User
from core.roles import Role
from core.tenancy.scoping import park_scope
from imports.models import ImportJob
from members.models import Member
from orgs.models import Enterprise, Organisation, Park, Zone
from orgs.selectors import coverage_summary
from services.models import Demand, Notice, Policy, PolicyBundle, Visit


@pytest.mark.django_db
def test_seed_demo_builds_the_seed_parks_and_is_idempotent(demo, capsys):
    """`demo` is what seed_demo made of an empty database (tests/demo_data.py); a second run adds nothing."""
    with scopes_disabled():
        yutai, zongyang = Park.objects.get(code="yutai"), Park.objects.get(code="zongyang")
        assert Zone.objects.filter(park=yutai).count() == 3
        assert Enterprise.objects.filter(park=yutai).count() == 44
        assert Organisation.objects.filter(park=yutai, kind="branch").count() == 26
        assert Enterprise.objects.filter(park=zongyang).count() == 51
        assert Organisation.objects.filter(park=zongyang, kind="branch").count() == 34
        assert Organisation.objects.filter(park=zongyang, kind="branch", formation="joint").count() == 3
        assert Member.objects.filter(park=yutai).count() == 180
        assert Member.objects.filter(park=zongyang).count() == 203
        # the members came through the roster import: one applied import job per park
        assert ImportJob.objects.filter(kind="members", status="applied").count() == 2
        # every branch's secretary is a member of it, as 书记
        secretaries = Member.objects.filter(park=yutai, post="secretary")
        assert secretaries.count() == 26
        assert all(m.name == m.branch.secretary_name for m in secretaries.select_related("branch"))
        roles = set(RoleAssignment.objects.values_list("role", flat=True))
        snapshot = {m: m.objects.count() for m in (Enterprise, Organisation, Zone, RoleAssignment, User, Member, ImportJob)}
    assert roles == set(Role.values)
    with park_scope(yutai):
        assert coverage_summary(park=yutai).org_rate == 100.0
    with park_scope(zongyang):
        assert coverage_summary(park=zongyang).uncovered == 8
    with park_scope(yutai):  # services to enterprises, shaped like the seeds' figures: most demands closed
        demands = Demand.objects.filter(park=yutai)
        assert demands.count() == 60 and demands.filter(state=Demand.State.CLOSED).count() > 40
        assert set(demands.values_list("state", flat=True)) >= {Demand.State.CLOSED, Demand.State.RESOLVED, Demand.State.IN_PROGRESS}
        assert Policy.objects.filter(park=yutai).count() == 20 and Notice.objects.filter(park=yutai).count() == 3
        assert [b.items.count() for b in PolicyBundle.objects.filter(park=yutai)] == [4]
        assert Visit.objects.filter(park=yutai).exists()

    call_command("seed_demo")
    again = capsys.readouterr().out
    assert "seed_demo: 0 objects created" in again
    assert "yutai_admin" in again and "hongfan2026" in again  # the demo's sign-ins, printed every time
    with scopes_disabled():
        assert {m: m.objects.count() for m in snapshot} == snapshot
