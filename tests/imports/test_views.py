"""The import / export pages in the browser's order: upload, preview, confirm; exports and templates."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from core.crypto import id_hash
from core.validators import mask_id_number
from imports import services
from imports.export import headers
from imports.models import ImportJob
from members.models import Member
from tests.members.factories import MemberFactory, valid_id_number

pytestmark = pytest.mark.django_db

HEADER = "姓名,性别,身份证号,所在党支部,党员类别,入党日期,转正日期"


def url(world, name, *args):
    return reverse(f"imports:{name}", args=[world.park.code, *args])


def male_id() -> str:
    return next(n for n in (valid_id_number() for _ in range(10)) if int(n[16]) % 2)


def roster(world, *rows) -> bytes:
    lines = [HEADER] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def row(world, name, number, **kw):
    return [name, kw.get("gender", "男"), number, kw.get("branch", world.branch.name), "正式党员", "2010-07-01", "2011-07-01"]


def upload(client, world, data, name="花名册.csv", kind="members"):
    return client.post(url(world, "home"), {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def latest_job():
    with scopes_disabled():
        return ImportJob.objects.get()


def member_count():
    with scopes_disabled():
        return Member.objects.count()


def test_home_page(client, world):
    client.force_login(world.admin)
    response = client.get(url(world, "home"))
    assert response.status_code == 200
    assert "台账导入导出" in response.content.decode()


def test_upload_preview_confirm(client, world):
    first, second = male_id(), male_id()
    data = roster(world, row(world, "张三", first), row(world, "李四", second.lower()))
    client.force_login(world.admin)

    response = upload(client, world, data)
    job = latest_job()
    assert response.status_code == 302
    assert response.url == url(world, "job", job.pk)
    assert (job.status, job.summary["created"], job.summary["errors"]) == ("previewed", 2, 0)
    page = client.get(response.url).content.decode()
    assert "新增" in page and "确认导入" in page and "<td>2</td>" in page and "<td>张三</td>" in page
    assert f"<td>{mask_id_number(first)}</td>" in page and first not in page  # the values, the ID number masked
    assert member_count() == 0  # a preview writes nothing

    # The file is kept encrypted: neither the bytes nor any ID number is in it.
    stored = bytes(job.data)
    assert stored != data and data not in stored
    assert first.encode() not in stored and second.upper().encode() not in stored

    response = client.post(url(world, "confirm", job.pk), follow=True)
    assert "导入完成：新增 2 条，更新 0 条，未变 0 条。" in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.get_status_display(), job.data) == ("applied", "已导入", None)
    with scopes_disabled():
        created = Member.objects.get(id_hash=id_hash(second.upper()))
        assert (created.name, created.park, created.branch) == ("李四", world.park, world.branch)
    assert member_count() == 2

    response = client.post(url(world, "confirm", job.pk), follow=True)
    assert str(services.MSG_ALREADY_APPLIED) in response.content.decode()
    assert "这份文件已经导入过了。" in response.content.decode()
    assert member_count() == 2


def test_file_with_errors_is_rejected_and_cannot_be_confirmed(client, world):
    good = male_id()
    bad = good[:17] + ("0" if good[-1] != "0" else "1")
    data = roster(world, row(world, "张三", male_id()), row(world, "李四", bad), row(world, "王五", male_id(), branch="不存在的支部"))
    client.force_login(world.admin)
    upload(client, world, data)
    job = latest_job()
    assert (job.status, job.data, job.summary["errors"]) == ("rejected", None, 2)
    page = client.get(url(world, "job", job.pk)).content.decode()
    assert "文件有 2 处错误，未写入任何数据" in page
    assert f"<td>3</td><td>身份证号</td><td>{mask_id_number(bad)}</td><td>身份证号校验位错误：按 GB 11643 应为“{good[-1]}”。</td>" in page
    assert "<td>4</td><td>所在党支部</td>" in page and "不存在的支部" in page
    assert bad not in page  # the wrong number is quoted masked too
    assert "确认导入" not in page

    response = client.post(url(world, "confirm", job.pk), follow=True)
    assert str(services.MSG_HAS_ERRORS) in response.content.decode()
    assert member_count() == 0
    job.refresh_from_db()
    assert job.status == "rejected"


def test_data_changed_after_preview_refuses_confirm(client, world):
    taken = male_id()
    data = roster(world, row(world, "张三", taken), row(world, "李四", male_id()))
    client.force_login(world.admin)
    upload(client, world, data)
    job = latest_job()
    assert job.summary["created"] == 2
    MemberFactory(park=world.park, branch=world.branch, id_number=taken, name="张三丰")

    response = client.post(url(world, "confirm", job.pk), follow=True)
    assert str(services.MSG_OUT_OF_DATE) in response.content.decode()
    assert "预览之后数据已有变化" in response.content.decode()
    assert member_count() == 1
    with scopes_disabled():
        assert Member.objects.get().name == "张三丰"
    job.refresh_from_db()
    assert job.status == "previewed"


def test_unusable_file_shows_form_error(client, world):
    client.force_login(world.admin)
    response = upload(client, world, b"", name="empty.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    with scopes_disabled():
        assert not ImportJob.objects.exists()


# --- Exports and templates ----------------------------------------------------------------------
def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("who", ["admin", "inspector", "county_viewer"])
def test_member_csv_export_shows_whole_id_to_admin_only(client, world, county_viewer, who):
    number = valid_id_number()
    MemberFactory(park=world.park, branch=world.branch, id_number=number, name="张三")
    client.force_login(county_viewer if who == "county_viewer" else getattr(world, who))
    response = client.get(url(world, "export", "members", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == headers("members")
    shown = rows[1][rows[0].index("身份证号")]
    if who == "admin":
        assert shown == number
    else:
        assert shown == mask_id_number(number)
        assert number not in response.content.decode("utf-8-sig")


def test_xlsx_export_has_import_headers(client, world):
    MemberFactory(park=world.park, branch=world.branch, name="张三")
    client.force_login(world.admin)
    response = client.get(url(world, "export", "members", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == headers("members")
    assert sheet.cell(row=2, column=1).value == "张三"


@pytest.mark.parametrize("kind", ["enterprises", "branches", "members"])
def test_templates_have_headers_and_drop_downs(client, world, kind):
    client.force_login(world.admin)
    response = client.get(url(world, "template", kind))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == headers(kind)
    assert sheet.data_validations.dataValidation


def test_member_template_offers_the_parks_branches(client, world, other):
    client.force_login(world.admin)
    workbook = load_workbook(io.BytesIO(client.get(url(world, "template", "members")).content))
    options = [c.value for col in workbook["选项"].iter_cols() for c in col]
    assert world.branch.name in options
    assert other.branch.name not in options


@pytest.mark.parametrize("who", ["inspector", "secretary"])
def test_non_admin_cannot_import(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(url(world, "home")).status_code == 403
    assert client.get(url(world, "template", "members")).status_code == 403
    assert upload(client, world, roster(world, row(world, "张三", male_id()))).status_code == 403
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_county_viewer_cannot_upload(client, world, county_viewer):
    client.force_login(county_viewer)
    assert upload(client, world, roster(world, row(world, "张三", male_id()))).status_code == 403


def test_other_parks_job_is_404(client, world, other):
    client.force_login(other.admin)
    upload(client, other, roster(other, row(other, "张三", male_id())))
    job = latest_job()
    client.force_login(world.admin)
    assert client.get(url(world, "job", job.pk)).status_code == 404
    assert client.post(url(world, "confirm", job.pk)).status_code == 404
