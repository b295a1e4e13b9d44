"""党费 books: collection (members' payments less 上缴) and the returned-dues fund (返还 and grants less
spending on allowed uses, with evidence); neither goes below zero; corrections are reversals."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from dues import selectors, services
from dues.models import DuesLine, LedgerEntry
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
MARCH = date(2026, 3, 1)


def receipt(name="发票.pdf", data=b"%PDF-1.4 receipt"):
    return SimpleUploadedFile(name, data)


def record(world, kind, amount, on=date(2026, 4, 1), organisation=None, **kw):
    return services.ledger_record(park=world.park, actor=world.secretary, organisation=organisation or world.branch, kind=kind,
                                  amount=D(amount), on=on, today=TODAY, **kw)


def held(world, organisation=None):
    organisation = organisation or world.branch
    return selectors.balances(park=world.park, organisation_ids=[organisation.pk])[organisation.pk]


def errors(excinfo):
    return excinfo.value.message_dict


@pytest.fixture
def collected(world, in_park):
    """Two members of the branch paid March: 40.00 + 15.00 collected."""
    members = [MemberFactory(park=world.park, branch=world.branch, name=n) for n in ("张三", "李四")]
    for member, base in zip(members, ("4000", "3000")):
        services.basis_record(park=world.park, actor=world.secretary, member=member, category="employed", effective_from=MARCH, base=D(base))
    services.sheets_draft(park=world.park, month=MARCH)
    lines = DuesLine.objects.filter(month=MARCH)
    payments = services.payments_record(park=world.park, actor=world.secretary, sheet=lines[0].sheet, line_ids=[x.pk for x in lines],
                                        paid_on=date(2026, 3, 10), method="wechat", today=TODAY)
    return payments


def test_the_collection_book_is_the_members_payments_less_what_was_remitted(world, collected):
    assert held(world) == {"collection": D("55.00"), "fund": D("0.00")}
    with pytest.raises(ValidationError) as refused:
        record(world, "remit", "55.01", counterpart="园区党工委")
    assert errors(refused) == {"amount": ["党费账余额为 55.00 元，不足以上缴党费 55.01 元。"]}
    record(world, "remit", "55.00", counterpart="园区党工委")
    assert held(world)["collection"] == D("0.00")
    # A payment reversed after its money went up the line would leave the book below zero: refused.
    with pytest.raises(ValidationError) as refused:
        services.payment_reverse(park=world.park, actor=world.secretary, payment=collected[0], reason="登记错了", today=TODAY)
    assert "党费账余额为 0.00 元，不足以撤销" in refused.value.messages[0]


def test_the_fund_spends_only_on_allowed_uses_with_evidence_and_never_below_zero(world, in_park):
    record(world, "returned", "500", counterpart="园区党工委", note="2025年度党费返还")
    with pytest.raises(ValidationError) as refused:
        record(world, "spend", "100", use="banquet", files=[receipt()])
    assert errors(refused) == {"use": ["党费返还和专项经费只能用于：培训党员、订阅、购买党员教育报刊资料和设备、表彰先进基层党组织、优秀党员和党务工作者、"
                                       "补助生活困难党员、补助受灾党员、修缮受灾党员教育设施。"]}
    with pytest.raises(ValidationError) as refused:
        record(world, "spend", "100", use="training")
    assert errors(refused) == {"files": ["支出须上传凭证（发票、名单或照片）。"]}
    with pytest.raises(ValidationError) as refused:
        record(world, "spend", "100", use="training", files=[receipt("发票.pdf", b"<html><script>alert(1)</script>")])
    assert list(errors(refused)) == ["files"]  # the one upload checker: an HTML page is not a PDF
    spent = record(world, "spend", "300", use="training", files=[receipt()], note="党员培训教材")
    assert (spent.amount, spent.evidence.count(), held(world)["fund"]) == (D("-300.00"), 1, D("200.00"))
    with pytest.raises(ValidationError) as refused:
        record(world, "spend", "200.01", use="hardship", files=[receipt()])
    assert errors(refused) == {"amount": ["返还及专项经费账余额为 200.00 元，不足以支出 200.01 元。"]}
    for bad, field in [("0", "amount"), ("-5", "amount"), ("NaN", "amount"), ("20000000", "amount")]:
        with pytest.raises(ValidationError) as refused:
            record(world, "grant", bad)
        assert list(errors(refused)) == [field]
    with pytest.raises(ValidationError) as refused:
        record(world, "grant", "10", on=date(2026, 7, 1))
    assert list(errors(refused)) == ["on"]
    assert held(world)["fund"] == D("200.00")
    assert AuditEntry.objects.filter(park=world.park, action="dues.ledger").count() == 2


def test_a_reversal_is_a_new_entry_and_cannot_overdraw(world, in_park):
    returned = record(world, "returned", "500")
    spent = record(world, "spend", "300", use="materials", files=[receipt()])
    with pytest.raises(ValidationError) as refused:
        services.ledger_reverse(park=world.park, actor=world.admin, entry=returned, reason="记错", today=TODAY)
    assert "余额为 200.00 元，不足以撤销 500.00 元" in refused.value.messages[0]
    reversal = services.ledger_reverse(park=world.park, actor=world.admin, entry=spent, reason="重复记账", today=TODAY)
    assert (reversal.amount, reversal.reverses, held(world)["fund"]) == (D("300.00"), spent, D("500.00"))
    with pytest.raises(ValidationError):
        services.ledger_reverse(park=world.park, actor=world.admin, entry=spent, reason="再撤", today=TODAY)
    with pytest.raises(ValidationError):
        services.ledger_reverse(park=world.park, actor=world.admin, entry=reversal, reason="再撤", today=TODAY)
    assert LedgerEntry.objects.filter(organisation=world.branch).count() == 3


# --- Pages ---------------------------------------------------------------------------------------
def url(world, name, *args):
    return reverse(f"dues:{name}", args=[world.park.code, *args])


def test_a_secretary_keeps_the_books_and_downloads_the_year(client, world, collected):
    client.force_login(world.secretary)
    page = client.get(url(world, "ledger", world.branch.pk)).content.decode()
    assert "党费账余额 <strong>55.00</strong> 元" in page
    response = client.post(url(world, "ledger", world.branch.pk),
                           {"kind": "remit", "amount": "50", "on": "2026-04-05", "counterpart": "园区党工委"}, follow=True)
    assert "已记账：上缴党费 50.00 元。" in response.content.decode()
    response = client.post(url(world, "ledger", world.branch.pk), {"kind": "spend", "amount": "5", "on": "2026-04-05", "use": "training"})
    assert "支出须上传凭证" in response.content.decode()
    client.post(url(world, "ledger", world.branch.pk), {"kind": "returned", "amount": "80", "on": "2026-05-05"})
    client.post(url(world, "ledger", world.branch.pk),
                {"kind": "spend", "amount": "30", "on": "2026-05-06", "use": "commendation", "note": "七一表彰", "files": [receipt()]})
    workbook = load_workbook(io.BytesIO(client.get(url(world, "ledger_xlsx", world.branch.pk, 2026)).content))
    rows = [[c.value for c in row][:6] for row in workbook.active.iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("党费账", "上年结转", None, None, 0),
        ("党费账", "3月收缴党员党费", 55, None, 55),
        ("党费账", "上缴党费", None, 50, 5),
        ("返还及专项经费账", "上年结转", None, None, 0),
        ("返还及专项经费账", "收到党费返还", 80, None, 80),
        ("返还及专项经费账", "七一表彰", None, 30, 50),
    ]


def test_the_books_respect_the_wall(client, world, other, county_viewer, collected):
    sibling = OrganisationFactory(park=world.park, name="第二党支部", parent=world.work_committee)
    client.force_login(world.secretary)
    assert client.get(url(world, "ledger", sibling.pk)).status_code == 404
    assert client.post(url(world, "ledger", sibling.pk), {"kind": "grant", "amount": "1", "on": "2026-04-05"}).status_code == 404
    client.force_login(world.inspector)
    assert client.get(url(world, "ledger", world.branch.pk)).status_code == 200
    assert client.post(url(world, "ledger", world.branch.pk), {"kind": "grant", "amount": "1", "on": "2026-04-05"}).status_code == 403
    client.force_login(county_viewer)
    assert client.get(url(world, "ledger", world.branch.pk)).status_code == 200
    client.force_login(world.admin)
    for bad in ("1999", "abc", "3000"):
        assert client.get(url(world, "ledger", world.branch.pk) + f"?year={bad}").status_code == 404
    assert client.get(url(world, "ledger_xlsx", world.branch.pk, 1999)).status_code == 404
    assert not LedgerEntry.objects.exists()
