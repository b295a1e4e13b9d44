"""Roster import benchmark: python benchmarks/import_bench.py [--rows 100000] [--iex-rows N]

Generates an N-member roster as .xlsx and .csv and measures, in one run on PostgreSQL:
(a) openpyxl read-only parsing of the .xlsx alone, (b) this project's import of it (a forked child,
so its peak RSS is its own), the re-import of the unchanged file, and (c) django-import-export's
default ModelResource import of the same rows into the same model. Ends with one line:
parse_s=… import_s=… reimport_s=… iex_s=… ratio_import_to_parse=… speedup_vs_import_export=… peak_rss_mb=…
"""

import argparse
import csv
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import ROOT, fresh_database, in_child, timed  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海波"


def build_park(branches: int = 60):
    from django_scopes import scopes_disabled

    from core.validators import credit_code_check_char
    from orgs.models import County, Coverage, Enterprise, Organisation, Park

    with scopes_disabled():
        county = County.objects.create(code="bench", name="基准测试县")
        park = Park.objects.create(county=county, code="bench", name="基准测试园区", import_row_limit=200_000)
        top = Organisation.objects.create(park=park, name="基准园区党工委", kind="work_committee")
        enterprises = []
        for i in range(branches):
            body = f"91370827{i:09d}"
            enterprises.append(Enterprise(park=park, name=f"基准企业{i:03d}有限公司", credit_code=body + credit_code_check_char(body)))
        Enterprise.objects.bulk_create(enterprises)
        orgs = Organisation.objects.bulk_create(
            [Organisation(park=park, parent=top, name=f"基准企业{i:03d}党支部", kind="branch", formation="single") for i in range(branches)]
        )
        Coverage.objects.bulk_create([Coverage(park=park, organisation=o, enterprise=e) for o, e in zip(orgs, enterprises)])
    return park


def roster_rows(n: int, branches: int = 60):
    from core.validators import id_check_char

    rng = random.Random(20261121)
    seen = set()
    for i in range(n):
        while True:
            birth = date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28))
            body = f"{rng.choice(['370827', '340722', '370830'])}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
            if body not in seen:
                seen.add(body)
                break
        joined = date(birth.year + rng.randint(22, 25), rng.randint(1, 12), 1)
        b = i % branches
        yield [
            i + 1,
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "男" if int(body[16]) % 2 else "女",
            "汉族",
            body + id_check_char(body),
            rng.choice(["大学本科", "大学专科", "高中", "研究生"]),
            f"139{rng.randint(0, 99999999):08d}",
            f"基准企业{b:03d}党支部",
            f"基准企业{b:03d}有限公司",
            "正式党员",
            joined,
            date(joined.year + 1, joined.month, 1),
            "",
            "在册",
        ]


HEADER = ["序号", "姓名", "性别", "民族", "身份证号", "学历", "联系电话", "所在党支部", "工作单位", "党员类别", "入党日期", "转正日期", "党内职务", "状态"]


def write_files(n: int) -> tuple[Path, Path]:
    from openpyxl import Workbook

    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, csv_path = folder / f"roster-{n}.xlsx", folder / f"roster-{n}.csv"
    if not xlsx.exists() or not csv_path.exists():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("党员花名册")
        sheet.append(["基准测试园区党员花名册"])
        sheet.append(HEADER)
        with csv_path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            for row in roster_rows(n):
                sheet.append(row)
                writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
        workbook.save(xlsx)
    return xlsx, csv_path


def parse_only(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def our_import(park_id: int, path: Path) -> tuple[str, float]:
    from django_scopes import scopes_disabled

    from core.tenancy.scoping import park_scope
    from imports.services import import_direct
    from orgs.models import Park

    with scopes_disabled():
        park = Park.objects.get(pk=park_id)
    with park_scope(park):
        plan, seconds = timed(import_direct, park=park, actor=None, kind="members", data=path.read_bytes(), filename=path.name)
    if plan.errors:
        raise RuntimeError(plan.errors[0].line())
    return plan.summary, seconds


def iex_import(park_id: int, rows: int) -> float:
    """django-import-export's default ModelResource: one row at a time, looked up by natural key."""
    import tablib
    from django_scopes import scopes_disabled
    from import_export import resources

    from core.crypto import encrypt_id, id_hash
    from core.tenancy.scoping import park_scope
    from core.validators import parse_id_number
    from members.models import Member
    from orgs.models import Enterprise, Organisation, Park

    class MemberResource(resources.ModelResource):
        class Meta:
            model = Member
            import_id_fields = ["park", "id_hash"]
            fields = ["park", "branch", "enterprise", "name", "gender", "ethnicity", "id_cipher", "id_hash",
                      "birth_date", "phone", "education", "stage", "joined_on", "full_on", "post", "status"]

    with scopes_disabled():
        park = Park.objects.get(pk=park_id)
    with park_scope(park):
        branches = dict(Organisation.objects.filter(park=park).values_list("name", "pk"))
        units = dict(Enterprise.objects.filter(park=park).values_list("name", "pk"))
        # The same rows, already in the model's terms: import-export is spared parsing and rules.
        dataset = tablib.Dataset(headers=MemberResource.Meta.fields)
        for row in roster_rows(rows):
            number = row[4]
            info = parse_id_number(number)
            dataset.append([park.pk, branches[row[7]], units[row[8]], row[1], info.gender, row[3], encrypt_id(number),
                            id_hash(number), info.birth_date, row[6], "bachelor", "full", row[10], row[11], "", "active"])
        result, seconds = timed(MemberResource().import_data, dataset, raise_errors=True)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--iex-rows", type=int, default=None, help="rows for django-import-export (default: --rows)")
    args = parser.parse_args()
    iex_rows = args.iex_rows or args.rows

    fresh_database()
    park = build_park()
    xlsx, csv_path = write_files(args.rows)
    print(f"roster: {args.rows} rows, {xlsx.stat().st_size / 1e6:.1f} MB xlsx, {csv_path.stat().st_size / 1e6:.1f} MB csv")

    parsed, parse_s = timed(parse_only, xlsx)
    print(f"(a) openpyxl read-only parse: {parse_s:.2f}s, {args.rows / parse_s:,.0f} rows/s")
    (summary, import_s), peak = in_child(our_import, park.pk, xlsx)
    print(f"(b) import .xlsx: {import_s:.2f}s, {args.rows / import_s:,.0f} rows/s — {summary}; peak RSS {peak:.0f} MB")
    (summary, reimport_s), peak_again = in_child(our_import, park.pk, xlsx)
    print(f"    re-import unchanged .xlsx: {reimport_s:.2f}s — {summary}; peak RSS {peak_again:.0f} MB")
    (summary, csv_reimport_s), _ = in_child(our_import, park.pk, csv_path)
    print(f"    re-import unchanged .csv: {csv_reimport_s:.2f}s, {args.rows / csv_reimport_s:,.0f} rows/s — {summary}")

    from django_scopes import scopes_disabled

    from members.models import Member

    with scopes_disabled():
        Member.objects.all().delete()
    iex_measured, _ = in_child(iex_import, park.pk, iex_rows)
    iex_s = iex_measured * args.rows / iex_rows
    note = "" if iex_rows == args.rows else f" (measured on {iex_rows} rows, scaled to {args.rows})"
    print(f"(c) django-import-export ModelResource: {iex_measured:.2f}s for {iex_rows} rows, {iex_rows / iex_measured:,.0f} rows/s{note}")

    peak_rss = max(peak, peak_again)
    print(
        f"parse_s={parse_s:.2f} import_s={import_s:.2f} reimport_s={reimport_s:.2f} iex_s={iex_s:.2f} "
        f"ratio_import_to_parse={import_s / parse_s:.2f} speedup_vs_import_export={iex_s / import_s:.1f} "
        f"peak_rss_mb={peak_rss:.0f}"
    )


if __name__ == "__main__":
    main()
