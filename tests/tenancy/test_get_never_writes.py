"""GET never writes: every page of every app, opened by every role, leaves every table as it was.

The one write a read may cause is the audit log's record of a roster export with whole ID numbers
(a read of personal data is itself recorded); the test checks that this is the only change.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from tests.tenancy.test_isolation import PAGES, accepts, url


def row_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    tables = [t for t in connection.introspection.table_names() if not t.startswith("django_session")]
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_get_page_as_every_role_changes_no_table(client, world, county_viewer, name):
    build = PAGES[name]
    path = url(name, world, build(world) if build else None)
    if not accepts(path, "get"):
        return  # a POST-only action: GET answers 405 before anything is loaded (test_isolation)
    for user in (world.admin, world.inspector, world.secretary, world.instructor_user, county_viewer):
        client.force_login(user)
        before = row_counts()
        response = client.get(path)
        assert response.status_code < 500, user.username
        after = row_counts()
        changed = {t: (n, after[t]) for t, n in before.items() if after[t] != n}
        if name == "imports:export" and set(changed) <= {"audit_auditentry"}:
            continue  # the record of who exported whole ID numbers: the next test
        assert not changed, (user.username, changed)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["members", "development", "dues_bases"])  # every roster that carries ID numbers
def test_the_one_write_of_a_read_is_the_record_of_an_export_with_whole_ids(client, world, kind):
    client.force_login(world.admin)
    response = client.get(reverse("imports:export", args=[world.park.code, kind, "csv"]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    with scopes_disabled():
        entry = AuditEntry.objects.get(park=world.park)
    assert (entry.action, entry.actor, entry.changes["kind"]) == ("export.full_ids", world.admin, [None, kind])
    client.force_login(world.inspector)  # masked for everyone else: nothing to record
    client.get(reverse("imports:export", args=[world.park.code, kind, "csv"]))
    with scopes_disabled():
        assert AuditEntry.objects.filter(park=world.park).count() == 1
