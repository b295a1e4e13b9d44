"""The tenancy wall in PostgreSQL (orgs/same_park.py): a park-owned row never refers to another
park's row, whoever writes it — raw SQL, an ORM update with scopes disabled, bulk_create, the admin.

The triggers are deferred as Django's own foreign keys are: a violation surfaces when the
transaction commits, or at SET CONSTRAINTS ALL IMMEDIATE, which these tests run inside `refused`.
"""

from contextlib import contextmanager
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment
from core.databases import database, drop_database, fresh_database
from core.roles import Role
from members.models import Member
from orgs import same_park
from orgs.models import Enterprise, Organisation, Park
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.members.factories import MemberFactory
from tests.orgs.factories import EnterpriseFactory, OrganisationFactory, ParkFactory

pytestmark = pytest.mark.django_db


def check_now():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def refused(table: str, column: str, *parks: Park):
    """The block's writes are refused with check_violation naming the table, the column and the parks."""
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        yield
        check_now()
    cause = info.value.__cause__
    assert cause.pgcode == "23514", str(info.value)
    message = str(info.value)
    assert "cross-park reference refused" in message
    assert f"{table}.{column}" in message
    for park in parks:
        assert f"park {park.pk}" in message
    assert cause.diag.table_name == table and cause.diag.column_name == column


def raw_insert(obj) -> int:
    """INSERT the unsaved model instance with a hand-written statement: no ORM save, no scope."""
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key or obj.pk is not None]
    quote = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(obj._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id",
            values,
        )
        return cursor.fetchone()[0]


@pytest.fixture
def two_parks():
    a, b = ParkFactory(), ParkFactory()
    branch_a = OrganisationFactory(park=a, formation=Organisation.Formation.FALLBACK)
    branch_b = OrganisationFactory(park=b, formation=Organisation.Formation.FALLBACK)
    return a, b, branch_a, branch_b


def unsaved_member(park, branch):
    member = MemberFactory.build(park=park, branch=branch)
    return member


def test_a_raw_insert_of_park_a_member_in_park_b_branch_is_refused(two_parks):
    a, b, branch_a, branch_b = two_parks
    with refused("members_member", "branch_id", a, b):
        raw_insert(unsaved_member(a, branch_b))
    with scopes_disabled():
        assert not Member.objects.exists()


def test_a_raw_update_moving_the_branch_to_another_park_is_refused(two_parks):
    a, b, branch_a, branch_b = two_parks
    member = MemberFactory(park=a, branch=branch_a)
    with refused("members_member", "branch_id", a, b), connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET branch_id = %s WHERE id = %s", [branch_b.pk, member.pk])
    with refused("members_member", "branch_id", a, b), connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET park_id = %s WHERE id = %s", [b.pk, member.pk])
    member.refresh_from_db()
    assert (member.park_id, member.branch_id) == (a.pk, branch_a.pk)


def test_an_orm_update_with_scopes_disabled_is_refused(two_parks):
    a, b, branch_a, branch_b = two_parks
    member = MemberFactory(park=a, branch=branch_a)
    with refused("members_member", "branch_id", a, b), scopes_disabled():
        Member.objects.filter(pk=member.pk).update(branch=branch_b)
    with refused("members_member", "branch_id", a, b), scopes_disabled():
        member.branch = branch_b
        member.save()


def test_bulk_create_is_refused_even_for_one_row_among_many(two_parks):
    a, b, branch_a, branch_b = two_parks
    rows = [unsaved_member(a, branch_a) for _ in range(20)] + [unsaved_member(a, branch_b)]
    with refused("members_member", "branch_id", a, b), scopes_disabled():
        Member.objects.bulk_create(rows)
    with scopes_disabled():
        assert not Member.objects.exists()


def test_same_park_rows_pass_and_a_row_is_judged_by_what_it_ends_as(two_parks):
    a, b, branch_a, branch_b = two_parks
    with transaction.atomic():
        member = MemberFactory(park=a, branch=branch_a)
        raw_insert(unsaved_member(b, branch_b))
        with scopes_disabled():
            Member.objects.bulk_create([unsaved_member(a, branch_a) for _ in range(5)])
        # A wrong branch put right later in the transaction: the deferred check reads the row as it is.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE members_member SET branch_id = %s WHERE id = %s", [branch_b.pk, member.pk])
            cursor.execute("UPDATE members_member SET branch_id = %s WHERE id = %s", [branch_a.pk, member.pk])
        check_now()
    with scopes_disabled():
        assert Member.objects.filter(park=a).count() == 6
        assert Member.objects.filter(park=b, branch=branch_b).count() == 1


def test_a_row_inserted_before_the_row_it_refers_to_is_still_checked(two_parks):
    """No hole for an insert order Django's deferred foreign keys allow (loaddata, a restore)."""
    a, b, branch_a, branch_b = two_parks
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('orgs_organisation', 'id'))")
        future_id = cursor.fetchone()[0]
    with refused("members_member", "branch_id", a, b):
        member = unsaved_member(a, None)
        member.branch_id = future_id
        raw_insert(member)
        later = OrganisationFactory.build(park=b, formation=Organisation.Formation.FALLBACK)
        later.pk = future_id
        raw_insert(later)


def test_moving_a_referenced_row_to_another_park_is_refused(two_parks):
    a, b, branch_a, branch_b = two_parks
    MemberFactory(park=a, branch=branch_a)
    with refused("members_member", "branch_id", a, b), connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_organisation SET park_id = %s WHERE id = %s", [b.pk, branch_a.pk])
    # A row nothing refers to may move (an operator putting right a row created in the wrong park).
    lone = EnterpriseFactory(park=a)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_enterprise SET park_id = %s WHERE id = %s", [b.pk, lone.pk])
        check_now()
    with scopes_disabled():
        assert Enterprise.objects.get(pk=lone.pk).park_id == b.pk


def test_other_links_a_through_table_a_parent_and_a_role(two_parks):
    a, b, branch_a, branch_b = two_parks
    enterprise_b = EnterpriseFactory(park=b)
    with refused("orgs_coverage", "enterprise_id", a, b), scopes_disabled():
        branch_a.enterprises.add(enterprise_b, through_defaults={"park": a})
    with refused("orgs_organisation", "parent_id", a, b), scopes_disabled():
        OrganisationFactory(park=a, parent=branch_b, formation=Organisation.Formation.FALLBACK)
    with refused("accounts_roleassignment", "organisation_id", a, b):
        RoleAssignmentFactory(
            user=UserFactory(), role=Role.BRANCH_SECRETARY, county=a.county, park=a, organisation=branch_b
        )
    assert not RoleAssignment.objects.filter(organisation=branch_b).exists()


# Computed here from the registry, apart from orgs/same_park.py, so the two cannot share a mistake.
def park_owned(model) -> bool:
    return not model._meta.proxy and any(
        f.name == "park" and f.is_relation and f.related_model is Park for f in model._meta.concrete_fields
    )


def links_between_park_owned_tables():
    return sorted(
        (model._meta.db_table, field.column, field.related_model._meta.db_table)
        for model in apps.get_models(include_auto_created=True)
        if park_owned(model)
        for field in model._meta.concrete_fields
        if field.is_relation and field.name != "park" and field.db_constraint and park_owned(field.related_model)
    )


def installed():
    """(table, trigger name, function, arguments) of every same-park trigger, and its timing."""
    with connection.cursor() as cursor:
        cursor.execute(
            r"""
            SELECT c.relname, t.tgname, p.proname,
                   string_to_array(rtrim(encode(t.tgargs, 'escape'), '\000'), '\000'),
                   t.tgconstraint <> 0 AND t.tgdeferrable AND t.tginitdeferred, t.tgenabled
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE t.tgname LIKE 'hongfan\_same\_park\_%' AND NOT t.tgisinternal
            """
        )
        return cursor.fetchall()


def test_every_link_between_park_owned_tables_has_its_triggers():
    expected = links_between_park_owned_tables()
    assert len(expected) > 80  # member → branch, coverage, assessment, dues, services …
    assert ("members_member", "branch_id", "orgs_organisation") in expected
    rows = installed()
    assert all(deferred and enabled == "O" for *_, deferred, enabled in rows), "constraint triggers, deferred, enabled"
    checks = {}
    for table, name, function, args, *_ in rows:
        if function.startswith(same_park.FUNCTION_PREFIX):
            kind = name.rsplit("_", 2)[-2]
            checks.setdefault((table, args[0], args[2]), set()).add(kind)
    missing = [link for link in expected if checks.get(link) != {"ins", "upd"}]
    assert not missing, f"foreign keys between park-owned tables without their same-park triggers: {missing}"
    assert sorted(checks) == expected, "a same-park trigger no model asks for"
    moved = {}
    for table, name, function, args, *_ in rows:
        if function == "hongfan_same_park_moved":
            moved[table] = {(args[i], args[i + 1]) for i in range(1, len(args), 3)}
    for table, column, ref_table in expected:
        assert (table, column) in moved.get(ref_table, set()), f"{ref_table} may move park under {table}.{column}"


def test_no_table_without_a_park_refers_to_a_park_owned_row():
    """Else such a table could join two parks' rows unchecked (an automatic many-to-many table, a
    child without its own park): a new model that refers to a park-owned one carries a park too."""
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        if not park_owned(model)
        for field in model._meta.concrete_fields
        if field.is_relation and field.db_constraint and field.related_model and park_owned(field.related_model)
    ]
    assert offenders == []


def test_install_is_idempotent_and_puts_right_what_it_finds():
    assert same_park.install() == {"created": 0, "dropped": 0}
    before = installed()
    with connection.cursor() as cursor:
        table, name = next((t, n) for t, n, f, *_ in before if t == "members_member" and "_branch_id_ins_" in n)
        cursor.execute(f'DROP TRIGGER "{name}" ON members_member')
        cursor.execute(
            "CREATE CONSTRAINT TRIGGER hongfan_same_park_stale_00000000 AFTER INSERT ON orgs_zone "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hongfan_same_park_moved('id')"
        )
    assert same_park.install() == {"created": 1, "dropped": 1}
    assert sorted(installed()) == sorted(before)


def test_the_migrated_database_and_the_registry_agree():
    """What post_migrate installed is exactly what the models ask for (no triggers left from old fields)."""
    found = same_park.links()
    with connection.cursor() as cursor:
        assert same_park.installed_triggers(cursor) == set(same_park.wanted_triggers(found))
        assert same_park.installed_functions(cursor) == set(same_park.wanted_functions(found))


@pytest.mark.django_db(transaction=True)
def test_commit_refuses_a_cross_park_member():
    """As an application sees it: the transaction's commit raises IntegrityError and keeps nothing."""
    a, b = ParkFactory(), ParkFactory()
    branch_b = OrganisationFactory(park=b, formation=Organisation.Formation.FALLBACK)
    with pytest.raises(IntegrityError, match="members_member.branch_id"):
        with transaction.atomic(), scopes_disabled():
            Member.objects.create(
                park=a, branch=branch_b, name="张三", id_cipher="x", id_hash="h", id_tail_hash="t",
                birth_date=date(1985, 3, 12), gender=Member.Gender.MALE, stage=Member.Stage.FULL, joined_on=date(2010, 7, 1),
            )
    with scopes_disabled():
        assert not Member.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_fresh_database_copied_from_the_template_has_the_triggers():
    """core.databases.fresh_database (benchmarks, generate_county) copies a template named after the
    migrations only; it sends post_migrate to the copy, so the triggers follow the code."""
    name = f"{connection.settings_dict['NAME']}_fresh"[:63]
    try:
        fresh_database(name)
        with database(name), connection.cursor() as cursor:
            assert same_park.installed_triggers(cursor) == set(same_park.wanted_triggers(same_park.links()))
    finally:
        drop_database(name)
