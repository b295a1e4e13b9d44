"""A file of the wrong kind, answered in plain words: which kind it looks like, or — when it looks
like none — the required columns it lacks, each named once."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from imports.columns import COLUMNS, FILE_LABELS, KIND_LABELS
from imports.models import ImportJob
from imports.reader import UnusableFile, read_table
from tests.imports.helpers import csv_bytes


def canonical(kind) -> bytes:
    return csv_bytes([[c.header for c in COLUMNS[kind]]])


@pytest.mark.parametrize(("actual", "chosen"), list(itertools.permutations(COLUMNS, 2)))
def test_a_file_of_another_kind_says_which_it_looks_like(actual, chosen):
    with pytest.raises(UnusableFile) as caught:
        read_table(canonical(actual), "file.csv", chosen)
    assert str(caught.value) == (f"这个文件像是{FILE_LABELS[actual]}，不是{FILE_LABELS[chosen]}："
                                 f"请把“台账类型”改选为“{KIND_LABELS[actual]}”后重新上传。")


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_a_file_of_its_own_kind_is_read(kind):
    assert read_table(canonical(kind), "file.csv", kind).missing == []


@pytest.mark.parametrize(("header", "chosen", "actual"), [
    # Real offices' headers: a title row, synonyms, a few columns only.
    (["序号", "单位名称", "信用代码", "法人代表", "联系方式"], "members", "enterprises"),
    (["序号", "姓名", "公民身份号码", "人员类别", "实发工资"], "members", "dues_bases"),
    (["姓名", "身份证号", "申请入党日期", "确定发展对象日期"], "members", "development"),
    (["姓名", "身份证号", "所在支部", "党员类别"], "development", "members"),
    (["姓名", "身份证号", "所在支部"], "dues_bases", "members"),
])
def test_everyday_headers_of_the_wrong_kind(header, chosen, actual):
    with pytest.raises(UnusableFile, match=f"这个文件像是{FILE_LABELS[actual]}，不是{FILE_LABELS[chosen]}"):
        read_table(csv_bytes([["XX园区台账"], header]), "file.csv", chosen)


def test_a_roster_lacking_one_required_column_is_not_taken_for_another_kind():
    table = read_table(csv_bytes([["姓名", "身份证号", "入党日期", "转正日期"]]), "file.csv", "members")
    assert [c.header for c in table.missing] == ["所在党支部"]


def test_a_development_ledger_with_roster_columns_is_still_a_ledger():
    header = ["姓名", "性别", "民族", "身份证号", "学历", "所在党支部", "党员类别", "递交入党申请书"]
    assert read_table(csv_bytes([header]), "file.csv", "development").missing == []


def test_a_file_of_no_known_kind_names_each_missing_column_once():
    data = csv_bytes([["工资表"], ["工号", "部门", "应发工资", "扣款"]])
    with pytest.raises(UnusableFile) as caught:
        read_table(data, "file.csv", "enterprises")
    message = str(caught.value)
    assert message == ("找不到企业台账的表头：文件前15行中没有“企业名称”和“统一社会信用代码”列。"
                       "请检查所选的台账类型，或对照导入模板修改表头。")
    with pytest.raises(UnusableFile) as caught:
        read_table(data, "file.csv", "members")
    assert "没有“姓名”、“身份证号”和“所在党支部”列" in str(caught.value)
    assert str(caught.value).count("姓名") == 1


@pytest.mark.django_db
def test_the_upload_page_says_the_file_is_of_another_kind(client, world):
    client.force_login(world.admin)
    data = SimpleUploadedFile("企业.csv", canonical("enterprises"), content_type="text/csv")
    response = client.post(reverse("imports:home", args=[world.park.code]), {"kind": "members", "file": data})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["这个文件像是企业台账，不是党员花名册：请把“台账类型”改选为“企业台账”后重新上传。"]
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_a_header_of_one_known_column_asks_for_more():
    with pytest.raises(UnusableFile) as caught:
        read_table(csv_bytes([["党组织名称", "备注"], ["第一党支部", ""]]), "file.csv", "branches")
    assert str(caught.value) == ("找不到党组织名册的表头：文件前15行中没有一行列出两个以上可识别的列名（如“党组织名称”、“组织类型”和“组建方式”）。"
                                 "请对照导入模板修改表头。")
