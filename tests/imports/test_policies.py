"""惠企政策 through the roster import pipeline: the form's rules, search kept up to date, round trips."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from audit.models import AuditEntry
from core.spreadsheets import write_csv, write_xlsx
from imports.export import export_headers, export_rows
from imports.models import ImportJob
from imports.pipeline import plan_import
from imports.services import import_direct
from services import policies
from services.models import Policy
from tests.imports.helpers import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["政策名称", "发文单位", "文号", "发文日期", "层级", "类别", "标签", "政策全文", "有效期至", "是否废止"]
GUARANTEE = ["关于支持中小企业发展的若干措施", "某市人民政府", "某政发〔2024〕3号", "2024-03-01", "市级", "融资",
             "融资、担保", "对符合条件的企业提供融资担保费用补助，担保费率不超过1%。", "2026-12-31", "否"]
JOBS = ["稳岗补贴申领指南", "县人社局", "", "2024/5/6", "县", "用工", "", "符合条件的企业可申领稳岗补贴（每人每月300元）。", "", ""]


def direct(park, rows, fmt="xlsx"):
    data = xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)
    return import_direct(park=park, actor=None, kind="policies", data=data, filename=f"政策.{fmt}")


def stored(park):
    return {p.title: p for p in Policy.objects.filter(park=park)}


def found(park, query):
    return [p.title for p in policies.policy_search(park=park, query=query)]


def test_a_policy_sheet_imports_with_its_words_searchable_and_its_punctuation_kept(in_park):
    result = direct(in_park, [HEADER, GUARANTEE, JOBS])
    assert result.summary == "created 2, updated 0, unchanged 0, errors 0"
    policy = stored(in_park)["关于支持中小企业发展的若干措施"]
    assert (policy.issuer, policy.doc_number, policy.issued_on, policy.level) == ("某市人民政府", "某政发〔2024〕3号", date(2024, 3, 1), "municipal")
    assert (policy.valid_until, policy.repealed, policy.category, policy.tags) == (date(2026, 12, 31), False, "融资", "融资、担保")
    assert policy.body == GUARANTEE[7]  # the full text's Chinese ，and （ are not folded to ASCII
    jobs = stored(in_park)["稳岗补贴申领指南"]
    assert (jobs.level, jobs.issued_on, jobs.valid_until) == ("county", date(2024, 5, 6), None)
    assert "（每人每月300元）" in jobs.body
    # Indexed as a saved policy is: a word inside a sentence is found.
    assert found(in_park, "担保") == ["关于支持中小企业发展的若干措施"]
    assert found(in_park, "稳岗补贴")[0] == "稳岗补贴申领指南"


def test_a_row_breaking_the_forms_rules_is_reported_in_chinese_and_nothing_is_written(in_park):
    rows = [
        HEADER,
        GUARANTEE,
        ["没有全文的政策", "", "", "", "市", "", "", "", "", ""],
        ["层级写错的政策", "", "", "", "乡镇", "", "", "正文", "", ""],
        ["日期颠倒的政策", "", "", "2024-05-01", "省", "", "", "正文", "2024-01-01", ""],
        ["日期写错的政策", "", "", "去年", "省", "", "", "正文", "", "不知道"],
        ["", "", "", "", "省", "", "", "正文", "", ""],
        GUARANTEE,
    ]
    result = direct(in_park, rows)
    lines = [e.line() for e in result.errors]
    assert lines == [
        f"第3行 [政策全文] “”：{policies.MSG_BODY}",
        "第4行 [层级] “乡镇”：“乡镇”不是可选值，可选：国家、省、市、县、园区。",
        f"第5行 [有效期至] “2024-01-01”：{policies.MSG_DATES}",
        "第6行 [发文日期] “去年”：无法识别的日期“去年”：可写作 2020-07-01、2020/7/1、2020.07.01、2020年7月1日 或 202007。",
        "第6行 [是否废止] “不知道”：“不知道”不是可选值，可选：是、否。",
        f"第7行 [政策名称] “”：{policies.MSG_TITLE}",
        "第8行 [政策名称] “关于支持中小企业发展的若干措施”：与第2行重复：政策名称相同。",
    ]
    assert not Policy.objects.filter(park=in_park).exists()


def test_a_second_import_updates_by_title_keeps_absent_columns_and_reindexes(in_park):
    direct(in_park, [HEADER, GUARANTEE])
    before = stored(in_park)["关于支持中小企业发展的若干措施"]
    # A shorter sheet: title, text and 废止 only — the other columns keep what is on file.
    result = direct(in_park, [["政策名称", "正文", "是否废止"], ["关于支持中小企业发展的若干措施", "对科技型企业给予贷款贴息。", "已废止"]])
    assert result.errors == []
    assert result.summary == "created 0, updated 1, unchanged 0, errors 0"
    assert [(c.column, c.new) for c in result.changes] == [("正文", "对科技型企业给予贷款贴息。"), ("是否废止", "是")]
    after = stored(in_park)["关于支持中小企业发展的若干措施"]
    assert (after.pk, after.issuer, after.level, after.valid_until) == (before.pk, "某市人民政府", "municipal", date(2026, 12, 31))
    assert after.repealed is True
    assert found(in_park, "贴息") == ["关于支持中小企业发展的若干措施"]
    assert found(in_park, "费率") == []  # the old text's words are gone from the index (the kept tags stay)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_all_unchanged(in_park, world, fmt):
    direct(in_park, [HEADER, GUARANTEE, JOBS])
    policies.policy_save(park=in_park, actor=world.admin, title="=HYPERLINK(\"http://evil.example\")", body="-1+1 的全文，含“引号”与\n换行。",
                         level="park", tags="@某人", repealed=True)
    header, rows = export_headers("policies"), export_rows(park=in_park, kind="policies", show_id=False)
    data = write_csv(header, rows) if fmt == "csv" else write_xlsx(header, rows, title="惠企政策")
    result = plan_import(park=in_park, kind="policies", data=data, filename=f"export.{fmt}")
    assert result.errors == []
    assert result.summary == "created 0, updated 0, unchanged 3, errors 0"


def test_each_park_imports_into_its_own_library(world, other):
    with scopes_disabled():
        direct(other.park, [HEADER, GUARANTEE])
        direct(world.park, [HEADER, [GUARANTEE[0], "", "", "", "园区", "", "", "本园区的版本。", "", ""]])
        ours, theirs = stored(world.park)[GUARANTEE[0]], stored(other.park)[GUARANTEE[0]]
        assert ours.pk != theirs.pk
        assert (ours.level, theirs.level, theirs.body) == ("park", "municipal", GUARANTEE[7])
        assert found(world.park, "担保") == [] and found(other.park, "担保") == [GUARANTEE[0]]


def test_the_office_imports_policies_through_the_import_page(client, world):
    client.force_login(world.admin)
    listing = client.get(reverse("services:policies", args=[world.park.code])).content.decode()
    import_url = reverse("imports:home", args=[world.park.code]) + "?kind=policies"
    assert import_url in listing
    page = client.get(import_url).content.decode()
    assert '<option value="policies" selected>惠企政策</option>' in page

    template = client.get(reverse("imports:template", args=[world.park.code, "policies"]))
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.data_validations.dataValidation  # 层级 and 是否废止 are drop-downs

    upload = SimpleUploadedFile("政策汇编.xlsx", xlsx([HEADER, GUARANTEE, JOBS]))
    response = client.post(reverse("imports:home", args=[world.park.code]), {"kind": "policies", "file": upload})
    with scopes_disabled():
        job = ImportJob.objects.get()
    assert (job.kind, job.summary["created"], job.summary["errors"]) == ("policies", 2, 0)
    preview = client.get(response.url).content.decode()
    assert "<td>2</td>" in preview and "<td>关于支持中小企业发展的若干措施</td>" in preview
    client.post(reverse("imports:confirm", args=[world.park.code, job.pk]))
    with scopes_disabled():
        assert set(stored(world.park)) == {GUARANTEE[0], JOBS[0]}
        entry = AuditEntry.objects.get(action="import.policies")
        assert (entry.park, entry.actor, entry.changes["created"]) == (world.park, world.admin, 2)
        assert found(world.park, "融资")[0] == GUARANTEE[0]
