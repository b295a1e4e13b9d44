"""The API's wall, tested on every park endpoint the URL conf has (discovered, not listed by hand):
another park's URL and another park's object are 404 for every role's token; the county viewer's
and a read-only token's writes are refused."""

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from assessment.models import PayoutBatch, PayoutLine, StarLevel
from core.roles import Role
from cycle.models import InspectionRound
from services.models import Visit
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.api.helpers import bearer
from tests.assessment.factories import PayoutBatchFactory
from tests.cycle.factories import MonthlyReportFactory
from tests.members.factories import MemberFactory
from tests.orgs.factories import EnterpriseFactory, InstructorFactory
from tests.tenancy import test_isolation as pages


def _once(build, model):
    """The park's existing row of the model, or a new one: some rows are one a quarter."""
    def get(world):
        with scopes_disabled():
            found = model.objects.filter(park=world.park).first()
        return found or build(world)
    return get


_round = _once(pages._round, InspectionRound)
_batch = _once(lambda w: PayoutBatchFactory(assessment__round=_round(w)), PayoutBatch)


def _star(world):
    return StarLevel.objects.create(park=world.park, branch=world.branch, level=3, previous_level=2, rule="测试")


def _allowance(world):
    batch = _batch(world)
    member = MemberFactory(park=world.park, branch=world.branch)
    return PayoutLine.objects.create(park=world.park, batch=batch, branch=world.branch, member=member, post="secretary",
                                     member_name=member.name, branch_name=world.branch.name, level=3, months=3, monthly=100, amount=300)


def _visit(world):
    instructor = InstructorFactory(park=world.park, user=world.instructor_user)
    return Visit.objects.create(park=world.park, instructor=instructor, enterprise=EnterpriseFactory(park=world.park),
                                visited_on=timezone.localdate(), met="张经理", topics="用工")


# basename → how to build one object of the park (for its detail URL and actions)
OBJECTS = {
    "organisation": lambda w: w.branch,
    "member": pages._member,
    "enterprise": lambda w: EnterpriseFactory(park=w.park),
    "activity": pages._activity,
    "task": pages._task_assignment,
    "report": lambda w: MonthlyReportFactory(park=w.park, branch=w.branch),
    "notification": None,
    "todo": None,
    "demand": pages._demand,
    "notice": pages._notice,
    "visit": _visit,
    "star": _star,
    "allowance": _allowance,
    "batch": _batch,
    "round": _round,
}


def api_park_urls() -> list[str]:
    """Every URL name of the API under /api/v1/p/<park>/ ("api:demand-list", "api:demand-act", …)."""
    names = []

    def walk(patterns, namespace, under_park):
        for p in patterns:
            has_park = under_park or "park" in p.pattern.regex.groupindex
            if isinstance(p, URLPattern):
                if has_park and namespace == "api" and "format" not in p.pattern.regex.groupindex:
                    names.append(f"api:{p.name}")
            else:
                walk(p.url_patterns, p.namespace or namespace, has_park)

    walk(get_resolver().url_patterns, None, False)
    return sorted(set(names))


NAMES = api_park_urls()


def basename(name: str) -> str:
    return name.split(":")[1].split("-")[0]


def takes_id(name: str) -> bool:
    return not name.endswith("-list") and OBJECTS[basename(name)] is not None


def api_url(name: str, world, obj=None) -> str:
    if not takes_id(name):
        return reverse(name, args=[world.park.code])
    return reverse(name, args=[world.park.code, obj.pk])


def test_every_api_park_url_is_in_the_matrix():
    assert NAMES, "no API URL found"
    assert sorted({basename(n) for n in NAMES}) == sorted(OBJECTS)
    for name in NAMES:
        assert name.endswith("-list") or name == f"api:{basename(name)}" or OBJECTS[basename(name)] is not None, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_parks_endpoint_is_404_for_every_role(client, world, other, name, method):
    build = OBJECTS[basename(name)]
    obj = build(other) if takes_id(name) else None
    path = api_url(name, other, obj)
    handler = UserFactory()  # 承办部门, the one park role the shared world has no user for
    RoleAssignmentFactory(user=handler, role=Role.HANDLER, county=world.park.county, park=world.park)
    for user in (world.admin, world.inspector, world.secretary, world.instructor_user, handler):
        response = getattr(client, method)(path, **bearer(user))
        assert response.status_code == 404, (user.username, name, response.content[:200])
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in NAMES if takes_id(n)])
def test_other_parks_object_under_own_park_is_404(client, world, other, name):
    """Park A's URL with park B's id: the object looks missing (a method the endpoint lacks is 405)."""
    path = api_url(name, world, OBJECTS[basename(name)](other))
    headers = bearer(world.admin)
    statuses = {client.get(path, **headers).status_code, client.post(path, {}, content_type="application/json", **headers).status_code}
    assert 404 in statuses and statuses <= {404, 405}, (name, statuses)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_county_viewer_and_read_only_token_writes_are_refused(client, world, county_viewer, name):
    build = OBJECTS[basename(name)]
    obj = build(world) if takes_id(name) else None
    path = api_url(name, world, obj)
    for headers in (bearer(county_viewer), bearer(world.admin, read_only=True)):
        response = client.post(path, {}, content_type="application/json", **headers)
        assert response.status_code == 403, (name, response.content[:200])
        assert "detail" in response.json()


@pytest.mark.django_db
def test_county_viewer_reads_the_park_and_the_county_figures(client, world, other, county_viewer):
    headers = bearer(county_viewer)
    assert client.get(reverse("api:member-list", args=[world.park.code]), **headers).status_code == 200
    response = client.get(reverse("api:county_figures", args=[world.park.county.code]), **headers)
    assert response.status_code == 200
    assert {row["park"] for row in response.json()} == {world.park.code, other.park.code}
    # a park user is not the county's viewer
    assert client.get(reverse("api:county_figures", args=[world.park.county.code]), **bearer(world.admin)).status_code == 404
