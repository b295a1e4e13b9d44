"""The API against its own contract: schemathesis generates requests for every operation of the
schema (a bounded number each) and sends each with every role's token, on a seeded park. No answer
may be a 5xx, break the documented schema, status codes, headers or content type; and no route of
the URL conf may be missing from the schema."""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from rest_framework.schemas.generators import EndpointEnumerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from core.roles import Role
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.api.helpers import bearer
from tests.api.test_isolation import OBJECTS

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 5
CONFIG = schemathesis.Config.from_dict({
    # Valid requests by the schema: DRF parses leniently, so "negative" data it accepts is no fault.
    # The callers' tokens are sent by the test, not invented by schemathesis.
    "generation": {"mode": "positive", "max-examples": EXAMPLES, "database": "none", "with-security-parameters": False},
    "phases": {"examples": {"enabled": True}, "fuzzing": {"enabled": True}, "coverage": {"enabled": False},
               "stateful": {"enabled": False}},
})
# The operations in groups, so that pytest-xdist spreads them over the workers.
GROUPS = ["令牌", "组织与党员", "三会一课", "四个一", "服务企业", "星级与津贴", "县级"]


@pytest.fixture
def api_schema(db):
    """The schema, loaded from the app in-process. As django.test.Client does, the request signals
    must not close the database connection: the test's transaction lives on it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def seeded(world, other, county_viewer, in_park, settings, tmp_path):
    """One object of every kind in the park (and in the other park), and a token for every role."""
    settings.MEDIA_ROOT = str(tmp_path)  # uploads are files, which no rollback removes
    ids = {name: build(world).pk for name, build in OBJECTS.items() if build}
    for build in OBJECTS.values():
        if build:
            build(other)
    handler = UserFactory(username="handler")  # 承办部门: the one park role the shared world has no user for
    RoleAssignmentFactory(user=handler, role=Role.HANDLER, county=world.park.county, park=world.park)
    tokens = [bearer(u) for u in (world.admin, world.inspector, world.secretary, world.instructor_user, handler, county_viewer)]
    tokens.append(bearer(world.admin, read_only=True))
    headers = [{"Authorization": h["HTTP_AUTHORIZATION"]} for h in tokens]
    return {"park": world.park.code, "county": world.park.county.code, "ids": ids, "headers": headers}


def _basename(path: str) -> str | None:
    found = re.match(r"^/api/v1/p/\{park\}/([a-z]+)/", path)
    return {"activities": "activity", "allowances": "allowance", "batches": "batch", "stars": "star"}.get(
        found.group(1), found.group(1).rstrip("s")) if found else None


def _call_everyone(case, seeded):
    params = dict(case.path_parameters or {})
    if "park" in params:
        params["park"] = seeded["park"]
    if "county" in params:
        params["county"] = seeded["county"]
    real = seeded["ids"].get(_basename(case.path))
    for n, headers in enumerate(seeded["headers"]):
        if "id" in params and real is not None and n % 2 == 0:  # half the callers ask for an object that exists
            case.path_parameters = {**params, "id": real}
        else:
            case.path_parameters = params
        with transaction.atomic():  # each call on its own: a write never changes what the next one finds
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                transaction.set_rollback(True)


def _contract_test(group):
    @schema.include(tag=group).parametrize()
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def test(case, seeded):
        _call_everyone(case, seeded)
    return test


test_contract_tokens = _contract_test("令牌")
test_contract_roster = _contract_test("组织与党员")
test_contract_meetings = _contract_test("三会一课")
test_contract_cycle = _contract_test("四个一")
test_contract_services = _contract_test("服务企业")
test_contract_stars = _contract_test("星级与津贴")
test_contract_county = _contract_test("县级")


def test_the_schema_validates_without_a_warning(tmp_path, db):
    """drf-spectacular checks the document against the OpenAPI 3 specification, and any warning of
    its generator (an unresolvable field, a name collision) fails the suite."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


def test_every_operation_is_in_a_group(client, db):
    tags = {tag for path in client.get("/api/schema/?format=json").json()["paths"].values() for op in path.values() for tag in op["tags"]}
    assert tags == set(GROUPS)


def _routes(patterns, prefix="/"):
    """Every route of the URL conf as an OpenAPI path ("/api/v1/p/{park}/tasks/{id}/"), as DRF's own
    schema generator names them."""
    to_path = EndpointEnumerator().get_path_from_regex
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield to_path(prefix + str(p.pattern))


def test_no_api_route_is_missing_from_the_schema(client, db):
    documented = set(client.get("/api/schema/?format=json").json()["paths"])
    routes = {path.replace("{pk}", "{id}") for path in _routes(get_resolver().url_patterns)
              if path.startswith("/api/v1/") and "{format}" not in path}
    assert len(routes) > 30
    assert routes <= documented, sorted(routes - documented)
