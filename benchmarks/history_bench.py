"""What the row-history triggers (core/history.py) cost a bulk write: python benchmarks/history_bench.py [--rows N]

On a fresh `hongfan_bench` database, one park: N members written with `bulk_create`, then every one
changed with `bulk_update` (a CASE per row, as the importer's and the cycle's jobs write) and with one
queryset `update()`, each in its own transaction that is rolled back — once with the member table's
history triggers disabled (ALTER TABLE … DISABLE TRIGGER, inside the transaction) and once with them,
alternating, best of `--repeat`. Ends with one line:
rows=N insert_ratio=… bulk_update_ratio=… update_ratio=…   (with triggers / without)
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import fresh_database  # noqa: E402


class Rollback(Exception):
    pass


def setup():
    from django_scopes import scopes_disabled

    from orgs.models import County, Organisation, Park

    with scopes_disabled():
        county = County.objects.create(code="bench", name="基准县")
        park = Park.objects.create(county=county, code="hist", name="基准园区")
        top = Organisation.objects.create(park=park, name="党工委", kind="work_committee")
        branch = Organisation.objects.create(park=park, parent=top, name="第一党支部", kind="branch", formation="fallback")
    return park, branch


def members(park, branch, rows: int):
    from core.crypto import encrypt_id, id_hash
    from core.validators import id_check_char
    from members.models import Member

    cipher = encrypt_id("370827198501010012")  # one ciphertext for all: encryption is not what is measured
    found = []
    for n in range(rows):
        body = f"370827{1960 + n % 40}0101{n % 1000:03d}"
        found.append(Member(park=park, branch=branch, name=f"党员{n}", gender="M", id_cipher=cipher,
                            id_hash=id_hash(f"{n}-{body}{id_check_char(body)}"), birth_date=date(1960 + n % 40, 1, 1),
                            stage="full", joined_on=date(2000, 7, 1), full_on=date(2001, 7, 1)))
    return found


def one_run(park, branch, rows: int, with_triggers: bool) -> dict:
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from members.models import Member

    times = {}
    try:
        with transaction.atomic(), scopes_disabled(), connection.cursor() as cursor:
            if not with_triggers:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'members_member'::regclass AND tgname LIKE 'pgtrigger_%'")
                for (name,) in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE members_member DISABLE TRIGGER "{name}"')
            batch = members(park, branch, rows)
            start = time.perf_counter()
            Member.objects.bulk_create(batch, batch_size=2000)
            times["insert"] = time.perf_counter() - start
            for n, m in enumerate(batch):
                m.phone = f"139{n:08d}"
            start = time.perf_counter()
            Member.objects.bulk_update(batch, ["phone"], batch_size=2000)
            times["bulk_update"] = time.perf_counter() - start
            start = time.perf_counter()
            Member.objects.filter(park=park).update(ethnicity="回族")
            times["update"] = time.perf_counter() - start
            times["events"] = Member.pgh_event_model.objects.filter(park=park).count()
            raise Rollback
    except Rollback:
        pass
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fresh_database()
    park, branch = setup()
    best = {False: {}, True: {}}
    events = 0
    for _ in range(args.repeat):
        for with_triggers in (False, True):
            result = one_run(park, branch, args.rows, with_triggers)
            if with_triggers:
                events = result.pop("events")
            else:
                assert result.pop("events") == 0
            for key, seconds in result.items():
                best[with_triggers][key] = min(best[with_triggers].get(key, seconds), seconds)
    print(f"{'write':<12} {'no triggers':>12} {'triggers':>10} {'ratio':>7}")
    ratios = {}
    for key in ("insert", "bulk_update", "update"):
        off, on = best[False][key], best[True][key]
        ratios[key] = on / off
        print(f"{key:<12} {off:>11.3f}s {on:>9.3f}s {ratios[key]:>7.2f}")
    print(f"events written with triggers: {events} (expected {3 * args.rows})")
    print(f"rows={args.rows} insert_ratio={ratios['insert']:.2f} bulk_update_ratio={ratios['bulk_update']:.2f} "
          f"update_ratio={ratios['update']:.2f}")


if __name__ == "__main__":
    main()
