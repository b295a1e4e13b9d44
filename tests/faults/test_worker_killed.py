"""A worker SIGKILLed in the middle of the county's star-level recalculation and 红星津贴 drafting
(assessment.tasks.finalise_county): a rerun ends with every row as one clean run leaves it.

The worker is a real process (forked from the test, running the task's own function on its own
database connection). It is stopped at a chosen row — the 7th star level, or the 5th allowance line,
with the star levels, measured scores and closed rounds before it already written in its
transaction — and SIGKILLed there. The clean run is the same function on the same data, in a
transaction rolled back after its rows are read.
"""

import multiprocessing
import os
import random
import signal
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections, transaction
from django_scopes import scopes_disabled

from assessment.models import (
    ItemScore,
    PayoutBatch,
    PayoutLine,
    RoundAssessment,
    Rubric,
    RubricItem,
    StarLevel,
)
from assessment.tasks import finalise_county
from core.crypto import encrypt_id, id_hash
from core.validators import credit_code_check_char, id_check_char
from cycle.models import InspectionRound
from members.models import Member, PostTerm
from orgs.models import County, Coverage, Enterprise, Organisation, Park
from tests.faults.support import row_hook

PARKS, BRANCHES, ITEMS = 3, 8, 6


def build_county() -> County:
    """Three parks of eight branches, each covering a private enterprise and with a secretary (some
    appointed mid-quarter), a six-item rubric (one veto item) scored for every branch."""
    rng = random.Random(7)
    with scopes_disabled():
        county = County.objects.create(code="fault", name="故障县")
        for p in range(PARKS):
            park = Park.objects.create(county=county, code=f"fault{p}", name=f"故障园区{p}")
            top = Organisation.objects.create(park=park, name=f"{park.name}党工委", kind="work_committee")
            rubric = Rubric.objects.create(park=park, version=1, published_on=date(2026, 1, 1))
            items = [RubricItem.objects.create(park=park, rubric=rubric, position=k, dimension="维度", title=f"项目{k}",
                                               max_points=Decimal("20"), is_veto=k == ITEMS - 1) for k in range(ITEMS)]
            inspection_round = InspectionRound.objects.create(park=park, year=2026, quarter=3, opens_on=date(2026, 9, 1),
                                                              self_assessment_due=date(2026, 9, 15), inspection_due=date(2026, 9, 30))
            assessment = RoundAssessment.objects.create(park=park, round=inspection_round, rubric=rubric)
            for n in range(BRANCHES):
                body = f"9137{p:02d}27{n:09d}"
                unit = Enterprise.objects.create(park=park, name=f"企业{p}-{n}", credit_code=body + credit_code_check_char(body))
                branch = Organisation.objects.create(park=park, parent=top, name=f"支部{p}-{n}", kind="branch", formation="single")
                Coverage.objects.create(park=park, organisation=branch, enterprise=unit)
                body = f"370827{1970 + n}0101{p}{n:02d}"
                number = body + id_check_char(body)
                member = Member.objects.create(
                    park=park, branch=branch, name=f"书记{p}-{n}", gender="M", id_cipher=encrypt_id(number), id_hash=id_hash(number),
                    birth_date=date(1970 + n, 1, 1), stage="full", joined_on=date(2000, 7, 1), full_on=date(2001, 7, 1), post="secretary",
                )
                PostTerm.objects.create(park=park, member=member, branch=branch, post="secretary",
                                        started_on=date(2026, 8, 17) if n % 3 == 0 else None)
                for item in items:
                    if item.is_veto:
                        ItemScore.objects.create(park=park, assessment=assessment, branch=branch, item=item, vetoed=n == 5)
                    else:
                        ItemScore.objects.create(park=park, assessment=assessment, branch=branch, item=item,
                                                 points=Decimal(rng.randint(10, 20)))
    return county


def every_row(county) -> dict[str, list]:
    """What the recalculation writes, every column but ids and times; a line's batch by its quarter."""
    with scopes_disabled():
        parks = Park.objects.filter(county=county)
        batches = {b.pk: (b.park_id, b.year, b.quarter) for b in PayoutBatch.objects.filter(park__in=parks)}
        tables = {
            "rounds": RoundAssessment.objects.filter(park__in=parks).values("park_id", "round_id", "status", "finalised_by_id"),
            "scores": ItemScore.objects.filter(park__in=parks).values("park_id", "assessment_id", "branch_id", "item_id", "points", "vetoed"),
            "levels": StarLevel.objects.filter(park__in=parks).values(),
            "batches": PayoutBatch.objects.filter(park__in=parks).values(),
            "lines": PayoutLine.objects.filter(park__in=parks).values(),
        }
        result = {}
        for name, rows in tables.items():
            cleaned = []
            for row in rows:
                row = {k: v for k, v in row.items() if k not in ("id", "created_at", "finalised_at")}
                if "batch_id" in row:
                    row["batch_id"] = batches[row["batch_id"]]
                cleaned.append(sorted(row.items(), key=lambda kv: kv[0]))
            result[name] = sorted(cleaned, key=repr)
    return result


def clean_run(county) -> dict[str, list]:
    with transaction.atomic():
        assert finalise_county(county.pk, 2026, 3) == PARKS * BRANCHES
        rows = every_row(county)
        transaction.set_rollback(True)
    return rows


def in_worker(county_id: int) -> multiprocessing.Process:
    """The recalculation in a process of its own, with its own database connection."""
    connections.close_all()  # the child must not share the test's connection
    worker = multiprocessing.get_context("fork").Process(target=finalise_county, args=(county_id, 2026, 3))
    worker.start()
    return worker


@pytest.mark.parametrize(
    ("table", "nth"),
    [("assessment_starlevel", 7), ("assessment_payoutline", 5)],
    ids=["killed-in-star-levels", "killed-in-allowance-lines"],
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_midway_leaves_nothing_and_a_rerun_equals_one_clean_run(table, nth):
    county = build_county()
    before = every_row(county)
    clean = clean_run(county)
    assert every_row(county) == before  # the clean run was rolled back: the data are as built
    assert len(clean["levels"]) == PARKS * BRANCHES and len(clean["lines"]) >= PARKS * BRANCHES // 2  # ★1 earns nothing
    assert all(dict(r)["status"] == "final" for r in clean["rounds"])

    with row_hook(table, nth) as hook:
        worker = in_worker(county.pk)
        backend = hook.blocked_backend()  # the worker is mid-way: nth - 1 rows written, uncommitted
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=10)
        assert worker.exitcode == -signal.SIGKILL
        hook.release()  # its server process runs on into a client that is gone, and rolls back
        assert hook.backend_gone(backend), "the killed worker's transaction is still open"
    assert every_row(county) == before  # nothing of the killed run remains

    assert finalise_county(county.pk, 2026, 3) == PARKS * BRANCHES  # the rerun (a redelivery, or the operator)
    assert every_row(county) == clean
    assert finalise_county(county.pk, 2026, 3) == 0  # and a further run changes nothing
    assert every_row(county) == clean


@pytest.mark.django_db(transaction=True)
def test_a_second_run_beside_a_stalled_one_waits_and_writes_nothing_twice():
    """A redelivered task running while the first still holds its transaction: the 定档 lock makes it
    wait, then it finds the rounds final — no duplicate, no unique-constraint error."""
    county = build_county()
    clean = clean_run(county)
    with row_hook("assessment_payoutline", 3) as hook:
        first = in_worker(county.pk)
        hook.blocked_backend()
        second = in_worker(county.pk)
        control = hook.control.cursor()
        for _ in range(500):  # the second waits on the park's 定档 lock
            control.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7002 AND NOT granted"
                            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            if control.fetchone()[0]:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the second run did not wait for the first")
        hook.release()
        first.join(timeout=30)
        second.join(timeout=30)
    assert (first.exitcode, second.exitcode) == (0, 0)  # neither failed
    assert every_row(county) == clean
