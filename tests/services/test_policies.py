"""惠企政策 (services.policies): Chinese search that finds words inside sentences and ranks them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services import policies
from services.models import Notice, Policy, PolicyBundle

pytestmark = pytest.mark.django_db


def add(world, title, body, **kw):
    return policies.policy_save(park=world.park, actor=world.admin, title=title, body=body, level=Policy.Level.MUNICIPAL, **kw)


def titles(world, query, **kw):
    return [p.title for p in policies.policy_search(park=world.park, query=query, **kw)]


def test_a_word_inside_a_sentence_is_found_and_a_hit_in_the_title_ranks_first(world, in_park):
    add(world, "关于支持中小企业发展的若干措施", "对符合条件的企业提供融资担保费用补助，担保费率不超过1%。")
    add(world, "科技型企业融资服务办法", "设立科技信贷风险补偿资金池。")
    add(world, "安全生产专项整治方案", "开展危化品企业隐患排查。")
    assert titles(world, "融资") == ["科技型企业融资服务办法", "关于支持中小企业发展的若干措施"]


def test_both_words_of_the_query_rank_before_either_alone(world, in_park):
    add(world, "稳就业若干措施", "企业吸纳就业给予一次性补贴。")
    add(world, "失业保险稳岗返还", "对不裁员或少裁员的企业返还失业保险费，稳岗稳就业。")
    add(world, "稳岗补贴申领指南", "符合条件的企业可申领稳岗补贴。")
    found = titles(world, "稳岗补贴")
    assert found[0] == "稳岗补贴申领指南"
    assert set(found) == {"稳就业若干措施", "失业保险稳岗返还", "稳岗补贴申领指南"}


def test_the_words_are_kept_up_to_date_on_save_and_searching_is_one_query(world, in_park):
    policy = add(world, "园区人才公寓管理办法", "人才公寓租金减免。")
    assert titles(world, "租金") == ["园区人才公寓管理办法"]
    policies.policy_save(park=world.park, actor=world.admin, policy=policy, title=policy.title, body="购房补贴。", level=policy.level)
    assert titles(world, "租金") == [] and titles(world, "补贴") == ["园区人才公寓管理办法"]
    with CaptureQueriesContext(connection) as ctx:
        list(policies.policy_search(park=world.park, query="补贴"))
    assert len(ctx.captured_queries) == 1


def test_hostile_and_odd_queries_find_nothing_without_an_error(world, in_park):
    add(world, "融资政策", "融资")
    for query in ("'", "a & | ! ( ) :*", "<script>", "　", "融资' OR 1=1 --"):
        list(policies.policy_search(park=world.park, query=query))
    assert titles(world, "融资' OR 1=1 --") == ["融资政策"]


def test_validity_and_the_highlight(client, world, in_park):
    add(world, "旧的融资政策", "融资", repealed=True)
    add(world, "过期的融资政策", "融资", issued_on=date(2020, 1, 1), valid_until=date(2021, 1, 1))
    add(world, "现行融资政策", "企业融资担保<b>补助</b>")
    assert titles(world, "融资", valid_only=True, today=date(2026, 11, 21)) == ["现行融资政策"]
    assert str(policies.highlight("企业融资担保<b>补助</b>", "融资")) == "企业<mark>融资</mark>担保&lt;b&gt;补助&lt;/b&gt;"
    client.force_login(world.secretary)
    page = client.get(reverse("services:policies", args=[world.park.code]), {"q": "融资"}).content.decode()
    assert "<mark>融资</mark>" in page and "&lt;b&gt;" in page


def test_a_bundle_keeps_its_order_names_unknown_titles_and_goes_out_as_a_notice(world, in_park):
    for title in ("稳岗补贴申领指南", "科技型企业融资服务办法", "研发费用加计扣除政策解读"):
        add(world, title, "正文", doc_number=f"{title[:2]}〔2026〕1号")
    with pytest.raises(ValidationError) as unknown:
        policies.bundle_save(park=world.park, actor=world.admin, name="开年礼包", titles_text="稳岗补贴申领指南\n不存在的政策")
    assert unknown.value.message_dict == {"titles_text": ["第2行“不存在的政策”不是政策库里的政策名称。"]}
    with pytest.raises(ValidationError) as junk:
        policies.bundle_save(park=world.park, actor=world.admin, name="开年礼包", titles_text="\n".join(f"乱码{n}" for n in range(500)))
    assert len(junk.value.message_dict["titles_text"]) == 11 and junk.value.message_dict["titles_text"][-1] == "另有490行也不是政策库里的政策名称。"
    bundle = policies.bundle_save(park=world.park, actor=world.admin, name="开年礼包", note="送政策上门",
                                  titles_text="《研发费用加计扣除政策解读》\n稳岗补贴申领指南\n\n科技型企业融资服务办法")
    assert [p.title for p in policies.bundle_policies(bundle)] == ["研发费用加计扣除政策解读", "稳岗补贴申领指南", "科技型企业融资服务办法"]
    notice = policies.bundle_send(bundle=bundle, actor=world.admin, audience=Notice.Audience.ALL_BRANCHES)
    assert notice.title == "【政策大礼包】开年礼包" and notice.recipients.get().branch == world.branch
    assert notice.body.index("研发费用") < notice.body.index("稳岗补贴") < notice.body.index("科技型") and "送政策上门" in notice.body


def test_the_office_makes_and_sends_a_bundle_from_its_pages_and_the_secretary_receives_it(client, world, in_park):
    add(world, "稳岗补贴申领指南", "正文")
    client.force_login(world.admin)
    made = client.post(reverse("services:bundle_create", args=[world.park.code]), {"name": "开年礼包", "titles_text": "稳岗补贴申领指南"})
    bundle = PolicyBundle.objects.get(park=world.park, name="开年礼包")
    assert made.status_code == 302 and made["Location"] == reverse("services:bundle", args=[world.park.code, bundle.pk])
    send = reverse("services:bundle_send", args=[world.park.code, bundle.pk])
    refused = client.post(send, {"audience": Notice.Audience.BRANCHES}, follow=True)  # chosen branches, none chosen
    assert not Notice.objects.filter(park=world.park).exists() and "请选择发送对象" in refused.content.decode()
    client.post(send, {"audience": Notice.Audience.BRANCHES, "branches": [world.branch.pk]})
    client.force_login(world.secretary)
    listed = client.get(reverse("services:notices", args=[world.park.code])).content.decode()
    assert "【政策大礼包】开年礼包" in listed


def test_a_policy_file_is_checked_stored_and_served_as_a_download(client, world, in_park):
    with pytest.raises(ValidationError):  # the one checker: a "PDF" that is not one
        add(world, "稳岗补贴申领指南", "正文", files=[SimpleUploadedFile("原文.pdf", b"not a pdf")])
    policy = add(world, "稳岗补贴申领指南", "正文", files=[SimpleUploadedFile("原文.pdf", b"%PDF-1.4 ...")])
    stored = policy.files.get()
    assert (stored.name, stored.content_type, stored.size, stored.is_photo) == ("原文.pdf", "application/pdf", 12, False)
    client.force_login(world.secretary)
    served = client.get(reverse("services:policy_file", args=[world.park.code, stored.pk]))
    assert served["Content-Disposition"].startswith("attachment; filename*=UTF-8''") and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == b"%PDF-1.4 ..."
