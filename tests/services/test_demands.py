"""红色代办 (services.demands): the loop's table, who may take each step, colours and 督办, figures."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access import park_access
from core.roles import Role
from cycle.jobs import job_monthly_meeting
from cycle.models import Notification, WorkTask
from services import demands, policies
from services.jobs import job_demand_supervision
from services.models import Demand, DemandEvent, DemandPolicy, Department, Policy
from services.selectors import demand_figures
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.orgs.factories import CoverageFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
State = Demand.State
TODAY = date(2026, 11, 21)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def loop(world, in_park):
    """An enterprise covered by the secretary's branch, a department with its own account."""
    enterprise = CoverageFactory(organisation=world.branch, enterprise=EnterpriseFactory(park=world.park, name="甲科技有限公司")).enterprise
    handler = UserFactory(username="jingfaju")
    RoleAssignmentFactory(user=handler, role=Role.HANDLER, county=world.park.county, park=world.park)
    department = Department.objects.create(park=world.park, name="经发局", user=handler)
    return enterprise, department, handler


def access(world, user):
    return park_access(user, world.park)


def raise_demand(world, enterprise, user=None):
    user = user or world.secretary
    return demands.demand_raise(park=world.park, access=access(world, user), actor=user, enterprise=enterprise,
                                category="用工招聘", description="急需招聘焊工20名")


def act(world, demand, user, action, **kw):
    return demands.demand_act(demand=demand, access=access(world, user), actor=user, action=action, today=TODAY, **kw)


def test_the_whole_loop_with_a_rejection_leaves_every_step_on_the_timeline(world, loop):
    enterprise, department, handler = loop
    demand = raise_demand(world, enterprise)
    act(world, demand, world.admin, "dispatch", department=department, due_on=TODAY + timedelta(days=10))
    act(world, demand, handler, "progress", note="已对接人社局招聘会")
    act(world, demand, handler, "resolve", note="推荐应聘者12名")
    act(world, demand, world.secretary, "reject", note="到岗仅3人，仍缺焊工")
    act(world, demand, handler, "resolve", note="再推荐10名，已到岗8人")
    demand = act(world, demand, world.secretary, "confirm")
    assert demand.state == State.CLOSED and demand.closed_at is not None
    steps = list(DemandEvent.objects.filter(demand=demand).values_list("action", "from_state", "to_state"))
    assert steps == [
        ("raise", "", "raised"), ("dispatch", "raised", "dispatched"), ("progress", "dispatched", "in_progress"),
        ("resolve", "in_progress", "resolved"), ("reject", "resolved", "returned"), ("resolve", "returned", "resolved"),
        ("confirm", "resolved", "closed"),
    ]


@pytest.mark.parametrize("state, action", sorted(demands.TRANSITIONS))
def test_every_allowed_move_of_the_table(world, loop, state, action):
    enterprise, department, handler = loop
    demand = raise_demand(world, enterprise)
    Demand.objects.filter(pk=demand.pk).update(state=state, department=department, due_on=TODAY + timedelta(days=5))
    to_state, who = demands.TRANSITIONS[(state, action)]
    user = world.admin if demands.ADMIN in who else handler if demands.HANDLER in who else world.secretary
    kw = {"note": "说明"} if demands.ACTIONS[action].needs == "note" else {}
    if demands.ACTIONS[action].needs == "department":
        kw = {"department": department, "due_on": TODAY + timedelta(days=7)}
    assert act(world, Demand.objects.get(pk=demand.pk), user, action, **kw).state == to_state


@pytest.mark.parametrize("state", State.values)
def test_a_move_the_table_does_not_have_names_the_current_state(world, loop, state):
    enterprise, department, handler = loop
    demand = raise_demand(world, enterprise)
    Demand.objects.filter(pk=demand.pk).update(state=state)
    illegal = next(code for code in demands.ACTIONS if (state, code) not in demands.TRANSITIONS)
    with pytest.raises(ValidationError) as refused:
        act(world, Demand.objects.get(pk=demand.pk), world.admin, illegal, note="x")
    label = State(state).label
    assert refused.value.messages == [f"该诉求当前为“{label}”，不能{demands.ACTIONS[illegal].label}。"]


def test_each_side_takes_only_its_own_steps(world, loop):
    enterprise, department, handler = loop
    demand = raise_demand(world, enterprise)
    with pytest.raises(ValidationError) as not_yours:
        act(world, demand, handler, "dispatch", department=department, due_on=TODAY + timedelta(days=5))
    assert not_yours.value.messages == ["您不能对该诉求派单。"]
    act(world, demand, world.admin, "dispatch", department=department, due_on=TODAY + timedelta(days=5))
    act(world, demand, handler, "resolve", note="已办")
    with pytest.raises(ValidationError):  # 销号 is the enterprise's, not the park's
        act(world, demand, world.admin, "confirm")
    assert [a.code for a in demands.allowed_actions(Demand.objects.get(pk=demand.pk), access(world, world.secretary))] == ["confirm", "reject"]


def test_a_department_sees_only_what_was_sent_to_it(client, world, loop):
    enterprise, department, handler = loop
    mine, other = raise_demand(world, enterprise), raise_demand(world, enterprise)
    act(world, mine, world.admin, "dispatch", department=department, due_on=TODAY + timedelta(days=5))
    elsewhere = Department.objects.create(park=world.park, name="住建局")
    act(world, other, world.admin, "dispatch", department=elsewhere, due_on=TODAY + timedelta(days=5))
    client.force_login(handler)
    listed = client.get(reverse("services:demands", args=[world.park.code])).context["demands"]
    assert [d.pk for d in listed] == [mine.pk]
    assert client.get(reverse("services:demand", args=[world.park.code, other.pk])).status_code == 404
    assert client.get(reverse("services:demand", args=[world.park.code, mine.pk])).status_code == 200


def test_a_resolution_cites_library_policies_and_the_timeline_keeps_them_after_a_rejection(client, world, loop):
    enterprise, department, handler = loop
    for title in ("稳岗补贴申领指南", "科技型企业融资服务办法"):
        policies.policy_save(park=world.park, actor=world.admin, title=title, body="正文", level=Policy.Level.MUNICIPAL)
    demand = raise_demand(world, enterprise)
    act(world, demand, world.admin, "dispatch", department=department, due_on=TODAY + timedelta(days=10))
    with pytest.raises(ValidationError) as unknown:
        act(world, demand, handler, "resolve", note="已办", policy_titles="稳岗补贴申领指南\n不存在的政策")
    assert unknown.value.message_dict == {"policy_titles": ["第2行“不存在的政策”不是政策库里的政策名称。"]}
    assert Demand.objects.get(pk=demand.pk).state == State.DISPATCHED and not DemandPolicy.objects.filter(park=world.park).exists()

    client.force_login(handler)
    url = reverse("services:demand_act", args=[world.park.code, demand.pk, "resolve"])
    client.post(url, {"note": "已对接人社局", "policy_titles": "《科技型企业融资服务办法》\n稳岗补贴申领指南"})
    cited = DemandPolicy.objects.filter(park=world.park, demand=demand).select_related("policy")
    assert [c.policy.title for c in cited] == ["科技型企业融资服务办法", "稳岗补贴申领指南"]
    page = client.get(reverse("services:demand", args=[world.park.code, demand.pk])).content.decode()
    assert "所附政策" in page and "《科技型企业融资服务办法》" in page

    act(world, demand, world.secretary, "reject", note="补贴标准不适用")
    act(world, demand, handler, "resolve", note="已协调社保局")
    assert not DemandPolicy.objects.filter(park=world.park, demand=demand).exists()
    first = DemandEvent.objects.filter(park=world.park, demand=demand, action="resolve").order_by("at", "pk").first()
    assert first.note == "已对接人社局\n附政策：《科技型企业融资服务办法》《稳岗补贴申领指南》"


def test_colours_and_supervision_once(world, loop):
    enterprise, department, handler = loop
    settings = demands.service_settings(world.park)
    due = {"blue": TODAY + timedelta(days=3), "none": TODAY + timedelta(days=4), "yellow": TODAY - timedelta(days=7), "red": TODAY - timedelta(days=8)}
    made = {}
    for name, due_on in due.items():
        made[name] = raise_demand(world, enterprise)
        Demand.objects.filter(pk=made[name].pk).update(state=State.DISPATCHED, department=department, due_on=due_on)
    colours = {name: demands.colour_of(Demand.objects.get(pk=d.pk), settings=settings, today=TODAY) for name, d in made.items()}
    assert colours == {"blue": "blue", "none": "", "yellow": "yellow", "red": "red"}
    for colour in ("blue", "yellow", "red"):
        assert set(Demand.objects.filter(demands.colour_q(colour, settings=settings, today=TODAY)).values_list("pk", flat=True)) == {made[colour].pk}
    assert job_demand_supervision(world.park, TODAY) == 2  # yellow and red
    assert job_demand_supervision(world.park, TODAY) == 0  # once
    assert Notification.objects.filter(user=world.admin, key__startswith="demand-overdue:").count() == 2
    # the next monthly meeting opens on 1 December: the two go on its work list, once
    december = date(2026, 12, 1)
    job_monthly_meeting(world.park, december)
    assert job_demand_supervision(world.park, december) == 2 + 4  # the other two are overdue by now (escalated), and all four listed
    assert job_demand_supervision(world.park, december) == 0
    tasks = WorkTask.objects.filter(park=world.park, meeting__month=december)
    assert tasks.count() == 4 and all(t.title.startswith("督办") and "甲科技有限公司" in t.title for t in tasks)  # titles are NFKC-normalised


def test_figures_against_hand_computed_values_in_a_fixed_number_of_queries(world, loop):
    enterprise, department, handler = loop

    def demand_closed_after(days, category="用工招聘"):
        raised = datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)
        return Demand(park=world.park, enterprise=enterprise, category=category, description="x", raised_at=raised,
                      state=State.CLOSED, department=department, closed_at=raised + timedelta(days=days))

    Demand.objects.bulk_create([demand_closed_after(d) for d in (2, 4, 6, 8, 30)] + [demand_closed_after(10, "融资贷款")])
    Demand.objects.bulk_create([
        Demand(park=world.park, enterprise=enterprise, category="融资贷款", description="x", raised_at=datetime(2026, 5, 1, tzinfo=SHANGHAI),
               state=State.DISPATCHED, department=department, due_on=TODAY - timedelta(days=1)),
        Demand(park=world.park, enterprise=enterprise, category="其他", description="x", raised_at=datetime(2026, 6, 1, tzinfo=SHANGHAI)),
    ])

    def figures():
        with CaptureQueriesContext(connection) as ctx:
            result = demand_figures(park=world.park, start=date(2026, 1, 1), end=date(2026, 12, 31), today=TODAY)
        return result, len(ctx.captured_queries)

    (total, by_category, by_department), queries = figures()
    assert (total.raised, total.closed, total.overdue, total.closure_rate) == (8, 6, 1, 75.0)
    assert (total.median_days, total.p90_days) == (7.0, 20.0)  # 2 4 6 8 10 30: median 7; p90 = 10 + 0.5 × 20
    assert {f.label: (f.raised, f.closed) for f in by_category} == {"其他": (1, 0), "用工招聘": (5, 5), "融资贷款": (2, 1)}
    assert {f.label: f.raised for f in by_department} == {"经发局": 7, "未派单": 1}
    Demand.objects.bulk_create([demand_closed_after(3) for _ in range(1000)])
    (big, *_), more_queries = figures()
    assert big.raised == 1008 and more_queries == queries == 3
