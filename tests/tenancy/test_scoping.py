"""The tenancy wall: park-owned queries need a scope, every index leads with park_id."""

import pytest
from django.apps import apps
from django.db import connection
from django_scopes import ScopeError, scopes_disabled

from accounts.models import RoleAssignment
from core.tenancy.scoping import park_scope
from orgs.models import Enterprise, Organisation, Park
from tests.orgs.factories import EnterpriseFactory

# Read before any scope exists, to decide the scope (see its docstring).
UNSCOPED_BY_DESIGN = {RoleAssignment}


def models_with_a_park():
    return [
        model
        for model in apps.get_models()
        if any(f.name == "park" and f.is_relation and f.related_model is Park for f in model._meta.fields)
    ]


def park_owned_models():
    return [m for m in models_with_a_park() if m not in UNSCOPED_BY_DESIGN]


def test_there_are_park_owned_models_and_one_known_exception():
    names = {m.__name__ for m in park_owned_models()}
    assert {"Enterprise", "Organisation", "Zone", "Coverage", "Instructor", "AuditEntry"} <= names
    assert set(models_with_a_park()) - set(park_owned_models()) == {RoleAssignment}


@pytest.mark.parametrize("model", park_owned_models(), ids=lambda m: m._meta.label)
def test_every_park_owned_model_has_the_scoped_manager(model):
    assert model._default_manager.__class__.__module__ == "django_scopes.manager", (
        f"{model._meta.label} has a park but its default manager is not ScopedManager(park=...)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", park_owned_models(), ids=lambda m: m._meta.label)
def test_query_without_scope_raises(model):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()
    with pytest.raises(ScopeError):
        model.objects.count()


@pytest.mark.django_db
def test_scope_returns_only_that_parks_rows():
    a, b = EnterpriseFactory(), EnterpriseFactory()
    with park_scope(a.park):
        assert list(Enterprise.objects.all()) == [a]
    with park_scope([a.park, b.park]):
        assert set(Enterprise.objects.all()) == {a, b}
    with scopes_disabled():
        assert Enterprise.objects.count() == 2


def test_park_scope_refuses_none():
    with pytest.raises(ValueError):
        with park_scope(None):
            pass


@pytest.mark.django_db
def test_every_index_on_a_park_owned_table_leads_with_park_id():
    """So the schema can later be distributed on the park key. The primary key is the exception."""
    tables = [m._meta.db_table for m in park_owned_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname, a.attname
            FROM pg_index x
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
            """,
            [tables],
        )
        rows = cursor.fetchall()
    assert rows, "expected indexes on park-owned tables"
    # The one exception: a GIN index of search words cannot lead with park_id without btree_gin,
    # which the embedded PostgreSQL lacks; every search also filters by park (services.policies).
    exceptions = {("services_policy", "policy_search_gin")}
    offenders = [(table, index, column) for table, index, column in rows if column != "park_id" and (table, index) not in exceptions]
    assert offenders == []


@pytest.mark.django_db
def test_related_manager_outside_scope_also_raises():
    enterprise = EnterpriseFactory()
    organisation = Organisation.objects.create(park=enterprise.park, name="x", kind="branch", formation="single")
    with pytest.raises(ScopeError):
        list(organisation.children.all())
