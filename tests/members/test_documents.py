"""发展党员 documents: every built-in template fills every placeholder from the record; a park's own
template replaces one, and a broken one is refused with a Chinese message."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from members import documents
from members.services import development_step_record
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def text_of(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def candidate(world, in_park, holiday_calendar):
    person = MemberFactory(park=world.park, branch=world.branch, name="周<敏>", stage="applicant", joined_on=None, full_on=None,
                           ethnicity="回族", id_number=valid_id_number("19980506"),
                           enterprise=EnterpriseFactory(park=world.park, name="鲁南机械有限公司"))
    for code, on in [("apply", date(2024, 3, 1)), ("talk", date(2024, 3, 20)), ("recommend", date(2024, 5, 1)),
                     ("activist_file", date(2024, 5, 10)), ("mentors", date(2024, 5, 10)), ("cultivate", date(2024, 11, 1)),
                     ("candidate", date(2025, 5, 6)), ("candidate_file", date(2025, 5, 10)), ("introducers", date(2025, 5, 10)),
                     ("vetting", date(2025, 6, 1)), ("training", date(2025, 6, 20)), ("committee_review", date(2025, 9, 1)),
                     ("publicity", date(2025, 9, 26))]:
        development_step_record(park=world.park, actor=world.admin, member=person, step=code, on=on, today=TODAY,
                                document="周敏入党申请书" if code == "apply" else "")
    return person


@pytest.mark.parametrize("kind", sorted(documents.PAPERS))
def test_each_document_fills_every_placeholder_from_the_record(client, world, candidate, kind):
    client.force_login(world.secretary)
    response = client.get(reverse("members:development_document", args=[world.park.code, candidate.pk, kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = text_of(response.content)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "周<敏>" in text  # escaped into the XML, shown as typed
    if kind not in ("admit", "full_meeting"):
        assert "回族" in text or "鲁南机械有限公司" in text or "2024年03月01日" in text


def test_the_publicity_notice_states_its_working_days(client, world, candidate):
    client.force_login(world.admin)
    text = text_of(client.get(reverse("members:development_document", args=[world.park.code, candidate.pk, "publicity"])).content)
    assert "公示时间：2025年09月26日至2025年10月09日（5个工作日）。" in text  # Sep 28 worked, National Day week off
    assert "2024年03月01日递交入党申请书，2024年05月01日被确定为入党积极分子，2025年05月06日被列为发展对象" in text


def test_the_record_lists_every_step_with_its_date(client, world, candidate):
    client.force_login(world.admin)
    text = text_of(client.get(reverse("members:development_document", args=[world.park.code, candidate.pk, "record"])).content)
    assert "1. 递交入党申请书：2024年03月01日（周敏入党申请书）" in text
    assert "13. 发展对象公示：2025年09月26日" in text
    assert "25. 上级党委审批转正：未办" in text
    assert len(re.findall(r"^\d+\. ", text, re.M)) == 25


def docx_with(*lines) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_park_replaces_a_template_and_a_broken_one_is_refused(client, world, candidate, other):
    client.force_login(world.admin)
    page_url = reverse("members:document_templates", args=[world.park.code])
    assert "使用默认模板" in client.get(page_url).content.decode()
    default = client.get(reverse("members:default_template", args=[world.park.code, "talk"]))
    assert "{{ name }}" in text_of(default.content)
    broken = SimpleUploadedFile("谈话记录.docx", docx_with("{{ name 同志"))
    page = client.post(page_url, {"kind": "talk", "file": broken}).content.decode()
    assert "模板中的占位符有误" in page
    html = SimpleUploadedFile("谈话记录.docx", b"<html><body>not a docx</body></html>")
    page = client.post(page_url, {"kind": "talk", "file": html}).content.decode()
    assert "谈话记录.docx" in page and "上传并启用" in page
    ours = SimpleUploadedFile("谈话记录.docx", docx_with("本园区格式：{{ name }}同志，{{ branch }}，谈话于{{ step_on }}。"))
    response = client.post(page_url, {"kind": "talk", "file": ours}, follow=True)
    assert "已启用本园区的“谈话记录”模板。" in response.content.decode()
    text = text_of(client.get(reverse("members:development_document", args=[world.park.code, candidate.pk, "talk"])).content)
    assert text == "本园区格式：周<敏>同志，alpha第一党支部，谈话于2024年03月20日。"
    # The other park still fills the built-in template.
    client.force_login(other.admin)
    stranger = MemberFactory(park=other.park, branch=other.branch, stage="applicant", joined_on=None, full_on=None)
    text = text_of(client.get(reverse("members:development_document", args=[other.park.code, stranger.pk, "talk"])).content)
    assert "入党申请人谈话记录" in text
