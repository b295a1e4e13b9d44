"""Cost of the same-park triggers: python benchmarks/same_park_bench.py [--rows 5000] [--repeat 2]

orgs/same_park.py puts deferred constraint triggers on every foreign key between park-owned tables.
This measures, in one run on a fresh benchmark database, writing N members (each with a branch and
a work unit, so two checked foreign keys a row) with the triggers and with them dropped:
(a) `Member.objects.bulk_create` of N built members, committed (the checks run at commit);
(b) the roster import of an N-row `.csv` (imports.services.import_direct: rules, encryption, COPY).
Each is run --repeat times alternately with and without the triggers; the fastest of each counts.
Ends with one line: bulk_on_s=… bulk_off_s=… bulk_ratio=… import_on_s=… import_off_s=… import_ratio=…
us_per_check=… (the bulk difference over the 2 × N checked references).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import fresh_database, timed  # noqa: E402
from benchmarks.import_bench import build_park, roster_rows, write_files  # noqa: E402


def built_members(park, n: int):
    from django_scopes import scopes_disabled

    from core.crypto import encrypt_id, id_hash, id_tail_hash
    from core.validators import parse_id_number
    from members.models import Member
    from orgs.models import Enterprise, Organisation

    with scopes_disabled():
        branches = dict(Organisation.objects.filter(park=park).values_list("name", "pk"))
        units = dict(Enterprise.objects.filter(park=park).values_list("name", "pk"))
    members = []
    for row in roster_rows(n):
        number = row[4]
        info = parse_id_number(number)
        members.append(
            Member(park=park, branch_id=branches[row[7]], enterprise_id=units[row[8]], name=row[1], gender=info.gender,
                   id_cipher=encrypt_id(number), id_hash=id_hash(number), id_tail_hash=id_tail_hash(number),
                   birth_date=info.birth_date, stage=Member.Stage.FULL, joined_on=row[10], full_on=row[11])
        )
    return members


def bulk(members) -> float:
    from django.db import transaction
    from django_scopes import scopes_disabled

    from members.models import Member

    def write():
        with transaction.atomic(), scopes_disabled():  # the commit runs the deferred checks
            for member in members:
                member.pk = None
            Member.objects.bulk_create(members, batch_size=1000)

    return timed(write)[1]


def roster_import(park, path: Path) -> float:
    from core.tenancy.scoping import park_scope
    from imports.services import import_direct

    with park_scope(park):
        plan, seconds = timed(import_direct, park=park, actor=None, kind="members", data=path.read_bytes(), filename=path.name)
    if plan.errors:
        raise RuntimeError(plan.errors[0].line())
    return seconds


def empty_members():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_member CASCADE")


def triggers(on: bool) -> None:
    from django.db import connection

    from orgs import same_park

    if on:
        same_park.install()
        return
    with connection.cursor() as cursor:
        for table, name in same_park.installed_triggers(cursor):
            cursor.execute(f'DROP TRIGGER "{name}" ON "{table}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    fresh_database()
    park = build_park()
    members = built_members(park, args.rows)
    _, csv_path = write_files(args.rows)

    from django.db import connection

    from orgs import same_park

    with connection.cursor() as cursor:
        count = len(same_park.installed_triggers(cursor))
    print(f"{count} same-park triggers installed; {args.rows} members, {args.repeat} runs each way")
    best = {}
    for run in range(args.repeat):
        for on in (True, False):
            triggers(on)
            empty_members()
            seconds = bulk(members)
            best[("bulk", on)] = min(seconds, best.get(("bulk", on), seconds))
            empty_members()
            seconds_import = roster_import(park, csv_path)
            best[("import", on)] = min(seconds_import, best.get(("import", on), seconds_import))
            print(f"run {run + 1}, triggers {'on ' if on else 'off'}: bulk_create {seconds:.2f}s, import .csv {seconds_import:.2f}s")
    triggers(True)
    b_on, b_off, i_on, i_off = best["bulk", True], best["bulk", False], best["import", True], best["import", False]
    print(
        f"bulk_on_s={b_on:.2f} bulk_off_s={b_off:.2f} bulk_ratio={b_on / b_off:.2f} "
        f"import_on_s={i_on:.2f} import_off_s={i_off:.2f} import_ratio={i_on / i_off:.2f} "
        f"us_per_check={(b_on - b_off) / (2 * args.rows) * 1e6:.0f}"  # two checked foreign keys a member
    )


if __name__ == "__main__":
    main()
