"""python manage.py import_roster --park CODE --kind KIND FILE [--dry-run]: output and exit status."""

import random
from io import StringIO

import pytest
from django.core.management import call_command

from tests.imports.helpers import MEMBER_HEADER, counts, member_row, xlsx
from tests.members.factories import valid_id_number

BRANCH = "alpha第一党支部"


def run(*args):
    """(exit status, stdout lines, stderr) of one command run."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_roster", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue().splitlines(), err.getvalue()


@pytest.fixture
def clean_file(tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx([MEMBER_HEADER, member_row("张三", valid_id_number(), BRANCH), member_row("李四", valid_id_number(), BRANCH)]))
    return path


def test_clean_file_is_written_and_exits_0(world, clean_file):
    before = counts(world.park)
    status, lines, _ = run("--park", "alpha", "--kind", "members", str(clean_file))
    assert status == 0
    assert lines == ["created 2, updated 0, unchanged 0, errors 0"]
    assert counts(world.park)["Member"] == before["Member"] + 2
    assert counts(world.park)["ImportJob"] == before["ImportJob"] + 1
    assert counts(world.park)["AuditEntry"] == before["AuditEntry"] + 1


def test_clean_file_without_exit_raises_nothing(world, clean_file):
    call_command("import_roster", "--park", "alpha", "--kind", "members", str(clean_file), stdout=StringIO())


def test_file_with_errors_prints_each_and_exits_1_writing_nothing(world, tmp_path):
    path = tmp_path / "花名册.csv"
    rows = [MEMBER_HEADER, member_row("张三", valid_id_number(), BRANCH), member_row("李四", valid_id_number(), "不存在的支部"),
            member_row("王五", valid_id_number(), BRANCH, joined="不详")]
    path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    before = counts(world.park)
    with pytest.raises(SystemExit) as info:
        call_command("import_roster", "--park", "alpha", "--kind", "members", str(path), stdout=(out := StringIO()))
    assert info.value.code == 1
    assert out.getvalue().splitlines() == [
        "created 0, updated 0, unchanged 0, errors 2",
        "第3行 [所在党支部] “不存在的支部”：本园区没有名为“不存在的支部”的党组织。",
        "第4行 [入党日期] “不详”：无法识别的日期“不详”：可写作 2020-07-01、2020/7/1、2020.07.01、2020年7月1日 或 202007。",
    ]
    assert counts(world.park) == before


def test_missing_column_exits_1(world, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx([["姓名", "身份证号"], ["张三", valid_id_number()]]))
    status, lines, _ = run("--park", "alpha", "--kind", "members", str(path))
    assert status == 1
    assert lines == ["created 0, updated 0, unchanged 0, errors 1", "第1行 [所在党支部] “”：缺少必填列“所在党支部”。"]


def test_dry_run_reports_and_writes_nothing(world, clean_file):
    before = counts(world.park)
    status, lines, _ = run("--park", "alpha", "--kind", "members", "--dry-run", str(clean_file))
    assert (status, lines) == (0, ["created 2, updated 0, unchanged 0, errors 0"])
    assert counts(world.park) == before


def test_unknown_park_exits_2(world, clean_file):
    status, lines, err = run("--park", "nowhere", "--kind", "members", str(clean_file))
    assert status == 2 and lines == []
    assert "nowhere" in err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("random.txt", bytes(random.Random(7).randrange(256) for _ in range(4096))),
        ("empty.csv", b""),
        ("empty.xlsx", b""),
        ("damaged.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
        ("picture.png", b"\x89PNG\r\n\x1a\n"),
        ("no-header.csv", "随便写的一些字\n没有表头\n".encode()),
    ],
)
def test_unreadable_file_exits_2(world, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts(world.park)
    status, lines, err = run("--park", "alpha", "--kind", "members", str(path))
    assert status == 2 and lines == [] and err.strip()
    assert counts(world.park) == before


def test_missing_file_exits_2(world, tmp_path):
    status, _, err = run("--park", "alpha", "--kind", "members", str(tmp_path / "nope.xlsx"))
    assert status == 2 and "找不到文件" in err
