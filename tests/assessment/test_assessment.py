"""Rubrics, scoring, star levels, the 红星津贴 and member points: the rules the seeds describe."""

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from cycle.models import InspectionRound
from assessment import levels, payouts, rubrics, scoring
from points import services as points_services
from assessment.models import AssessmentSettings, PayoutBatch, PayoutLine, RubricItem, StarLevel
from points.models import PointBalance, Redemption, StoreItem
from assessment.paysheet import pay_sheet_xlsx
from assessment.rubrics import parse_rubric_text, rubric_errors
from core.tenancy.scoping import park_scope
from members.models import PostTerm
from orgs.models import Coverage
from tests.members.factories import MemberFactory
from tests.orgs.factories import EnterpriseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def items(total=100, veto=True):
    rows = [{"dimension": "组织生活好", "title": "三会一课", "max_points": Decimal(total - 40), "is_veto": False, "measure": ""},
            {"dimension": "领导班子好", "title": "班子健全", "max_points": Decimal("40"), "is_veto": False, "measure": ""}]
    if veto:
        rows.append({"dimension": "一票否决", "title": "重大事故", "max_points": Decimal("0"), "is_veto": True, "measure": ""})
    return rows


def open_round(park, year=2026, quarter=3):
    return InspectionRound.objects.create(park=park, year=year, quarter=quarter, opens_on=date(year, 3 * quarter, 1),
                                          self_assessment_due=date(year, 3 * quarter, 15), inspection_due=date(year, 3 * quarter, 28))


def branch_with_enterprise(world, name):
    branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation="single", name=name)
    Coverage.objects.create(park=world.park, organisation=branch, enterprise=EnterpriseFactory(park=world.park))
    return branch


def score(assessment, branch, points: dict, veto=False):
    """Inspector scores by item title."""
    by_title = {i.title: i for i in RubricItem.objects.filter(rubric=assessment.rubric)}
    entries = {by_title[t]: (Decimal(p), "", False, None) for t, p in points.items()}
    if veto:
        entries[by_title["重大事故"]] = (None, "事故", True, None)
    scoring.scores_save(assessment=assessment, branch=branch, actor=None, entries=entries, as_inspector=True)


class TestRubric:
    def test_a_rubric_not_summing_to_100_is_refused(self, world, in_park):
        assert rubric_errors(items(total=95)) == ["各评分项目分值合计应为100分，当前为95分。"]
        with pytest.raises(ValidationError):
            rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(total=95))
        assert rubrics.rubric_publish(park=world.park, actor=world.admin, items=items()).version == 1

    def test_veto_items_carry_no_points_and_titles_are_unique(self, world):
        bad = items() + [{"dimension": "x", "title": "班子健全", "max_points": Decimal("1"), "is_veto": False, "measure": ""}]
        bad[2]["max_points"] = Decimal("5")
        errors = rubric_errors(bad)
        assert any("一票否决项，不计分值" in e for e in errors) and any("重名" in e for e in errors)

    def test_text_form(self):
        parsed, errors = parse_rubric_text("组织生活好｜三会一课｜60｜自动:三会一课\n领导班子好|班子健全|40分\n一票否决｜重大事故")
        assert errors == [] and rubric_errors(parsed) == []
        assert [p["measure"] for p in parsed] == ["meetings", "", ""]
        assert parse_rubric_text("没有分隔")[1]

    def test_a_new_version_applies_to_rounds_opened_after_it(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        q1 = rubrics.round_assessment(inspection_round=open_round(world.park, quarter=1))
        revised = items(veto=False) + [{"dimension": "一票否决", "title": "严重违纪", "max_points": Decimal("0"), "is_veto": True, "measure": ""}]
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=revised, published_on=date(2026, 4, 1))
        q2 = rubrics.round_assessment(inspection_round=open_round(world.park, quarter=2))
        assert (q1.rubric.version, q2.rubric.version) == (1, 2)
        assert rubrics.round_assessment(inspection_round=q1.round).rubric.version == 1  # kept


class TestStarLevels:
    @pytest.mark.parametrize(
        "score, vetoed, previous, max_change, expected",
        [
            (Decimal("95"), False, 4, 1, 5),
            (Decimal("95"), False, 2, 1, 3),  # largest change: one star up
            (Decimal("95"), False, 2, 0, 5),  # 0: no limit
            (Decimal("40"), False, 5, 1, 4),  # one star down
            (Decimal("95"), True, 2, 1, 2),  # veto cap 2
            (Decimal("95"), True, 5, 1, 4),  # capped at 2, then at most one down
            (Decimal("72"), False, 3, 1, 3),
        ],
    )
    def test_rules(self, score, vetoed, previous, max_change, expected):
        settings = AssessmentSettings(max_change=max_change, veto_cap=2)
        level, rule = levels.apply_rules(score=score, vetoed=vetoed, previous=previous, settings=settings)
        assert level == expected
        assert rule.startswith("得分")

    def test_finalise_sets_levels_with_history_and_reasons(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        strong, vetoed = branch_with_enterprise(world, "甲支部"), branch_with_enterprise(world, "乙支部")
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        score(assessment, strong, {"三会一课": 58, "班子健全": 38})
        score(assessment, vetoed, {"三会一课": 60, "班子健全": 40}, veto=True)
        finalised, batch = levels.round_finalise(inspection_round=assessment.round, actor=world.admin)
        set_levels = {s.branch_id: s for s in StarLevel.objects.filter(assessment=assessment)}
        assert (set_levels[strong.pk].level, set_levels[strong.pk].previous_level, set_levels[strong.pk].score) == (4, 3, Decimal("96.0"))
        assert "每季度最多升降1星" in set_levels[strong.pk].rule
        assert (set_levels[vetoed.pk].level, "一票否决" in set_levels[vetoed.pk].rule) == (2, True)
        with pytest.raises(ValidationError):  # a finalised round is read-only
            score(assessment, strong, {"三会一课": 10})
        with pytest.raises(ValidationError):
            levels.round_finalise(inspection_round=assessment.round, actor=world.admin)

    def test_scores_out_of_range_are_refused(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        with pytest.raises(ValidationError) as exc:
            score(assessment, world.branch, {"三会一课": 61})
        assert exc.value.messages == ["“三会一课”的得分应在0到60之间。"]

    def test_finalisation_query_count_does_not_grow_with_branches(self, world, other):
        def run(w, n):
            with park_scope(w.park):
                rubrics.rubric_publish(park=w.park, actor=None, items=items(), published_on=date(2026, 1, 1))
                for k in range(n):
                    branch = branch_with_enterprise(w, f"{w.park.code}支部{k}")
                    MemberFactory(park=w.park, branch=branch, post="secretary")
                    PostTerm.objects.create(park=w.park, member=MemberFactory(park=w.park, branch=branch), branch=branch, post="secretary")
                assessment = rubrics.round_assessment(inspection_round=open_round(w.park))
                for branch in OrganisationFactory._meta.model.objects.filter(park=w.park, kind="branch")[:3]:
                    score(assessment, branch, {"三会一课": 50, "班子健全": 30})
                with CaptureQueriesContext(connection) as ctx:
                    finalised = levels.finalise_rounds(assessments=[assessment], actor=None)
                    payouts.draft_payouts(assessments=[assessment], actor=None)
            return len(ctx.captured_queries), len(finalised.levels)

        small, large = run(world, 3), run(other, 30)
        assert small[0] == large[0]
        assert (small[1], large[1]) == (4, 31)  # the fixture's own branch too


class TestPayouts:
    def make(self, world, start=None, end=None, level_points=(60, 40)):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        branch = branch_with_enterprise(world, "甲支部")
        secretary = MemberFactory(park=world.park, branch=branch, post="secretary", name="王书记")
        PostTerm.objects.create(park=world.park, member=secretary, branch=branch, post="secretary", started_on=start, ended_on=end)
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        score(assessment, branch, {"三会一课": level_points[0], "班子健全": level_points[1]})
        AssessmentSettings.objects.create(park=world.park, max_change=0)
        _, batch = levels.round_finalise(inspection_round=assessment.round, actor=world.admin)
        return batch, assessment

    @pytest.mark.parametrize(
        "start, end, months",
        [
            (None, None, Decimal("3.00")),
            (date(2026, 8, 1), None, Decimal("2.00")),
            (date(2026, 8, 17), None, Decimal("1.48")),  # 15 of August's 31 days, then September
            (None, date(2026, 7, 15), Decimal("0.48")),  # 15 of July's 31 days
        ],
    )
    def test_months_served_pro_rata(self, start, end, months):
        assert payouts.months_served(date(2026, 7, 1), date(2026, 9, 30), start, end) == months

    def test_batch_amounts_are_exact_and_drafting_twice_makes_one(self, world, in_park):
        batch, assessment = self.make(world, start=date(2026, 8, 17))
        line = PayoutLine.objects.get(batch=batch)
        assert (line.level, line.months, line.monthly, line.amount) == (5, Decimal("1.48"), Decimal("300.00"), Decimal("444.00"))
        assert batch.total == Decimal("444.00")
        payouts.draft_payouts(assessments=[assessment], actor=world.admin)
        assert PayoutBatch.objects.count() == 1 and PayoutLine.objects.count() == 1

    def test_approved_batch_is_immutable(self, world, in_park):
        batch, assessment = self.make(world)
        for status in ("checked", "approved"):
            batch = payouts.batch_transition(batch=batch, actor=world.admin, to=status)
        assert [e.to_status for e in batch.events.all()] == ["checked", "approved"]
        with pytest.raises(ValidationError):
            payouts.batch_recompute(batch=batch, actor=world.admin)
        with pytest.raises(ValidationError):
            payouts.batch_transition(batch=batch, actor=world.admin, to="draft")
        payouts.draft_payouts(assessments=[assessment], actor=world.admin)  # a redraft leaves it alone
        assert PayoutLine.objects.get(batch=batch).amount == Decimal("900.00")
        # …and the database itself refuses, whatever code tries
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            PayoutLine.objects.filter(batch=batch).update(amount=Decimal("1"))
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            PayoutLine.objects.filter(batch=batch).delete()
        payouts.batch_transition(batch=batch, actor=world.admin, to="paid")

    def test_pay_sheet_total_row_matches_the_decimal_total(self, world, in_park):
        batch, _ = self.make(world, start=date(2026, 8, 17))
        second = branch_with_enterprise(world, "乙支部")  # not scored: no level this round, no line
        assert second
        sheet = load_workbook(io.BytesIO(pay_sheet_xlsx(batch))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[1][:4] == ("序号", "园区", "党支部", "所在企业") and rows[1][-1] == "领取人签字"
        total_row = next(r for r in rows if r[0] == "合计")
        amounts = [Decimal(str(r[9])) for r in rows[2:] if isinstance(r[0], int)]
        assert Decimal(str(total_row[9])) == batch.total == sum(amounts)
        assert any(r[0] == "审批记录：" for r in rows)


class TestPoints:
    def test_attendance_earns_points_once(self, world, in_park):
        from activities import services as activity_services

        member = MemberFactory(park=world.park, branch=world.branch)
        activity_services.activity_record(park=world.park, actor=world.secretary, branch=world.branch, kind="committee",
                                          held_on=date(2026, 11, 2), topic="支委会", attendees=[member])
        assert points_services.balance_of(park=world.park, member=member) == 2
        from activities.models import Attendance

        assert points_services.points_for_attendance(park=world.park, attendances=list(Attendance.objects.all())) == 0
        assert points_services.balance_of(park=world.park, member=member) == 2

    def test_redeeming_never_goes_below_zero_or_out_of_stock(self, world, in_park):
        member = MemberFactory(park=world.park, branch=world.branch)
        points_services.points_add(park=world.park, actor=world.secretary, member=member, category="care", points=10, reason="志愿服务", month=date(2026, 11, 1))
        item = StoreItem.objects.create(park=world.park, name="党史读本", cost=8, stock=1)
        points_services.redeem(park=world.park, actor=world.secretary, member=member, item=item)
        with pytest.raises(ValidationError) as exc:
            points_services.redeem(park=world.park, actor=world.secretary, member=member, item=item)
        assert exc.value.messages == ["积分不足：当前2分，兑换需要8分。"]
        points_services.points_add(park=world.park, actor=world.secretary, member=member, category="care", points=10, reason="再服务", month=date(2026, 11, 1))
        with pytest.raises(ValidationError) as exc:
            points_services.redeem(park=world.park, actor=world.secretary, member=member, item=item)
        assert exc.value.messages == ["“党史读本”已兑完。"]
        assert points_services.balance_of(park=world.park, member=member) == 12  # the failed one gave the points back

    def test_stars_are_chosen_from_the_quarters_points(self, world, in_park):
        member = MemberFactory(park=world.park, branch=world.branch)
        points_services.points_add(park=world.park, actor=None, member=member, category="study", points=12, reason="学习", month=date(2026, 8, 1))
        assert points_services.stars_select(park=world.park, year=2026, quarter=3, bar=10) == 1
        assert points_services.stars_select(park=world.park, year=2026, quarter=3, bar=10) == 0

    def test_activist_card(self, world, in_park):
        activist = MemberFactory(park=world.park, branch=world.branch, stage="activist", joined_on=None, full_on=None)
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
        points_services.points_add(park=world.park, actor=None, member=member, category="care", points=10, reason="志愿服务", month=date(2026, 11, 1))
        item = StoreItem.objects.create(park=world.park, name="纪念徽章", cost=8, stock=5)
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


def test_county_recalculation_task_finalises_every_parks_round(world, other):
    from assessment.tasks import finalise_county

    for w in (world, other):
        with park_scope(w.park):
            rubrics.rubric_publish(park=w.park, actor=None, items=items(), published_on=date(2026, 1, 1))
            rubrics.round_assessment(inspection_round=open_round(w.park))
    assert finalise_county.apply(args=[world.park.county_id, 2026, 3]).get() == 2
    assert finalise_county.apply(args=[world.park.county_id, 2026, 3]).get() == 0  # nothing left open
    with scopes_disabled():
        assert PayoutBatch.objects.count() == 2
