"""The `demo` fixture (tests/demo_data.py): its copy of the demo is the demo as seeded, files too."""

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django_scopes import scopes_disabled

from accounts.models import User
from dues.models import LedgerEvidence
from tests.demo_data import load_demo

pytestmark = pytest.mark.django_db


def every_row() -> dict[str, list[str]]:
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            out = io.StringIO()
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", out)
            rows[table] = sorted(out.getvalue().splitlines())
    return rows


def test_the_demo_comes_back_as_seeded_with_its_files(demo):
    seeded = every_row()
    assert len(seeded["accounts_user"]) > 5
    with scopes_disabled():
        receipt = LedgerEvidence.objects.first().file.name
        User.objects.filter(username="yutai_admin").update(full_name="改过的名字")
        User.objects.create_user("stray", password="x")
    default_storage.delete(receipt)

    load_demo()
    assert every_row() == seeded
    assert default_storage.exists(receipt)
