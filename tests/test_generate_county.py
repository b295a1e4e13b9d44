"""generate_county: a tiny county in a database of its own — the sizes asked for, every kind of
history, the same data again from the same seed, and the test database left as it was."""

import hashlib
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from activities.models import Activity, Attendance
from assessment.models import PayoutBatch, StarLevel
from core.databases import database, drop_database
from core.periods import next_month
from cycle.models import MonthlyReport, TaskAssignment
from dashboards.models import SurveySnapshot
from imports.models import ImportJob
from orgs.models import County, Enterprise, Instructor, Park
from services.demands import OPEN_STATES
from services.models import Demand, NoticeRecipient, Visit

# One database per pytest-xdist worker: two workers never drop each other's county.
NAME = f"hongfan_county_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
UNTIL = "2026-06-30"
ARGS = ["--parks", "2", "--enterprises-per-park", "4", "--members-per-park", "20", "--years", "1", "--seed", "7",
        "--until", UNTIL, "--database", NAME]
# Tables compared between two runs, whole rows but the columns that are random by design
# (Fernet's IV in an encrypted ID number, a password's salt).
DIGESTED = {
    "accounts_user": {"password"}, "orgs_enterprise": set(), "orgs_organisation": set(), "members_member": {"id_cipher"},
    "members_membertransfer": set(), "activities_activity": set(), "activities_attendance": set(), "activities_taskassignment": set(),
    "activities_monthlyreport": set(), "assessment_itemscore": set(), "assessment_starlevel": set(), "assessment_payoutline": set(),
    "assessment_payoutevent": set(), "services_demand": set(), "services_demandevent": set(), "services_visit": set(),
    "services_noticerecipient": set(), "dues_duespayment": set(), "dues_ledgerentry": set(), "audit_auditentry": set(),
}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def county_database():
    yield NAME
    drop_database(NAME)


def digest() -> str:
    found = hashlib.sha256()
    with database(NAME), connection.cursor() as cursor:
        for table, random_columns in DIGESTED.items():
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')
            keep = [n for n, column in enumerate(cursor.description) if column.name not in random_columns]
            for row in cursor.fetchall():
                found.update(repr([row[n] for n in keep]).encode())
    return found.hexdigest()


def test_a_tiny_county_has_its_sizes_and_every_kind_of_history_and_comes_out_the_same_again(county_database):
    County.objects.create(code="own", name="测试库自己的县")  # a row of the test database, which must stay as it is
    out = StringIO()
    call_command("generate_county", *ARGS, stdout=out)
    first = digest()
    with database(NAME), scopes_disabled():
        parks = list(Park.objects.order_by("pk"))
        assert len(parks) == 2
        for park in parks:
            assert Enterprise.objects.filter(park=park).count() == 4
            assert [job.summary["created"] for job in ImportJob.objects.filter(park=park, kind="members")] == [20]
            assert Instructor.objects.filter(park=park).count() == 2
        assert Attendance.objects.filter(present=True).exists() and Attendance.objects.filter(present=False).exists()
        assert Activity.objects.order_by().values("kind").distinct().count() >= 3
        filed = [(r.month, timezone.localtime(r.submitted_at).date()) for r in MonthlyReport.objects.all()]
        assert any(on > next_month(month).replace(day=5) for month, on in filed)  # some late
        done = TaskAssignment.objects.filter(status=TaskAssignment.Status.DONE)
        assert done.exists() and TaskAssignment.objects.filter(status=TaskAssignment.Status.OPEN).exists()
        assert done.filter(completed_at__date__gt=F("task__deadline")).exists()  # some done late
        assert StarLevel.objects.exists()
        assert PayoutBatch.objects.filter(status=PayoutBatch.Status.PAID).exists()
        assert Demand.objects.filter(state=Demand.State.CLOSED).exists()
        assert Demand.objects.filter(state__in=OPEN_STATES, due_on__lt=UNTIL).exists()  # overdue at the end
        assert Visit.objects.exists()
        assert NoticeRecipient.objects.filter(first_read_at__isnull=False).exists()
        snapshots = sorted((s.park_id, str(s.taken_on)) for s in SurveySnapshot.objects.all())  # 六个清, twice a year
        assert snapshots == sorted((p.pk, day) for p in parks for day in ("2025-07-01", "2026-01-01"))
    lines = out.getvalue().splitlines()
    assert any(line.startswith("activities") for line in lines) and "generate_county: database" in lines[-1]

    call_command("generate_county", *ARGS, stdout=StringIO())
    assert digest() == first

    with scopes_disabled():  # the test database: as it was
        assert list(County.objects.values_list("code", flat=True)) == ["own"]
        assert not Park.objects.exists() and not Enterprise.objects.exists()


def test_the_database_in_use_is_refused():
    with pytest.raises(CommandError):
        call_command("generate_county", "--database", connection.settings_dict["NAME"], stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("generate_county", "--database", "postgres", stdout=StringIO())
