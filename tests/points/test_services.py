"""Member points: attendance earns once, the store never overdraws, stars and activists' cards."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from activities import services as activity_services
from activities.models import ActivityKind, Attendance
from core.tenancy.scoping import park_scope
from members.models import Member
from points import services as points_services
from points.models import PointBalance, Redemption, StarCategory, StoreItem
from tests.members.factories import MemberFactory
from tests.points.factories import StoreItemFactory

pytestmark = pytest.mark.django_db


class TestPoints:
    def test_attendance_earns_points_once(self, world, in_park):
        member = MemberFactory(park=world.park, branch=world.branch)
        activity_services.activity_record(park=world.park, actor=world.secretary, branch=world.branch, kind=ActivityKind.COMMITTEE,
                                          held_on=date(2026, 11, 2), topic="支委会", attendees=[member])
        assert points_services.balance_of(park=world.park, member=member) == 2
        assert points_services.points_for_attendance(park=world.park, attendances=list(Attendance.objects.all())) == 0
        assert points_services.balance_of(park=world.park, member=member) == 2

    def test_a_meetings_points_are_credited_in_one_query_added_to_what_members_had(self, world, in_park):
        members = [MemberFactory(park=world.park, branch=world.branch) for _ in range(12)]
        points_services.points_add(park=world.park, actor=None, member=members[0], category=StarCategory.CARE, points=5, reason="志愿服务",
                                   month=date(2026, 11, 1))
        activity = activity_services.activity_record(park=world.park, actor=world.secretary, branch=world.branch, kind=ActivityKind.THEME_DAY,
                                                     held_on=date(2026, 11, 2), topic="主题党日", attendees=members[:1])
        attendances = Attendance.objects.bulk_create([Attendance(park=world.park, activity=activity, member=m, present=True) for m in members[1:]])
        with CaptureQueriesContext(connection) as queries:
            assert points_services.points_for_attendance(park=world.park, attendances=attendances) == 11
        assert len([q for q in queries.captured_queries if "pointbalance" in q["sql"]]) == 1
        assert points_services.balance_of(park=world.park, member=members[0]) == 7
        assert {points_services.balance_of(park=world.park, member=m) for m in members[1:]} == {2}

    def test_redeeming_never_goes_below_zero_or_out_of_stock(self, world, in_park):
        member = MemberFactory(park=world.park, branch=world.branch)
        points_services.points_add(park=world.park, actor=world.secretary, member=member, category=StarCategory.CARE, points=10, reason="志愿服务", month=date(2026, 11, 1))
        item = StoreItemFactory(park=world.park, name="党史读本", cost=8, stock=1)
        points_services.redeem(park=world.park, actor=world.secretary, member=member, item=item)
        with pytest.raises(ValidationError) as exc:
            points_services.redeem(park=world.park, actor=world.secretary, member=member, item=item)
        assert exc.value.messages == ["积分不足：当前2分，兑换需要8分。"]
        points_services.points_add(park=world.park, actor=world.secretary, member=member, category=StarCategory.CARE, points=10, reason="再服务", month=date(2026, 11, 1))
        with pytest.raises(ValidationError) as exc:
            points_services.redeem(park=world.park, actor=world.secretary, member=member, item=item)
        assert exc.value.messages == ["“党史读本”已兑完。"]
        assert points_services.balance_of(park=world.park, member=member) == 12  # the failed one gave the points back

    def test_stars_are_chosen_from_the_quarters_points(self, world, in_park):
        member = MemberFactory(park=world.park, branch=world.branch)
        points_services.points_add(park=world.park, actor=None, member=member, category=StarCategory.STUDY, points=12, reason="学习", month=date(2026, 8, 1))
        assert points_services.stars_select(park=world.park, year=2026, quarter=3, bar=10) == 1
        assert points_services.stars_select(park=world.park, year=2026, quarter=3, bar=10) == 0

    def test_activist_card(self, world, in_park):
        activist = MemberFactory(park=world.park, branch=world.branch, stage=Member.Stage.ACTIVIST, joined_on=None, full_on=None)
        card = points_services.activist_card_save(park=world.park, actor=None, member=activist, year=2026, quarter=4,
                                                  political=25, discipline=24, solidarity=20, performance=23)
        assert card.total == 92
        with pytest.raises(ValidationError):
            points_services.activist_card_save(park=world.park, actor=None, member=activist, year=2026, quarter=4,
                                               political=26, discipline=24, solidarity=20, performance=23)


@pytest.mark.django_db(transaction=True)
def test_two_redemptions_at_the_same_moment_spend_the_balance_once(world):
    with park_scope(world.park):
        member = MemberFactory(park=world.park, branch=world.branch)
        points_services.points_add(park=world.park, actor=None, member=member, category=StarCategory.CARE, points=10, reason="志愿服务", month=date(2026, 11, 1))
        item = StoreItemFactory(park=world.park, name="纪念徽章", cost=8, stock=5)
    barrier, outcomes = threading.Barrier(2), []

    def attempt():
        try:
            with park_scope(world.park):
                barrier.wait()
                points_services.redeem(park=world.park, actor=None, member=member, item=item)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "积分不足：当前2分，兑换需要8分。"]
    with scopes_disabled():
        assert PointBalance.objects.get(member=member).balance == 2
        assert Redemption.objects.count() == 1
        assert StoreItem.objects.get(pk=item.pk).stock == 4
