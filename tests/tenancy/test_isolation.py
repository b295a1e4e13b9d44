"""Every park page, every object: another park's data answers 404, a county viewer cannot write.

PAGES lists every URL under /p/<park>/ with a builder for the object its <pk> names; a test fails
when a URL is added without an entry here, so every new view gets these checks.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, get_resolver, resolve, reverse

from core.roles import Role
from dues.models import DuesLine, DuesPayment, DuesSheet, LedgerEntry, LedgerEvidence
from imports.models import ImportJob
from members.models import DocumentTemplate
from orgs.models import Organisation
from tests.accounts.factories import RoleAssignmentFactory
from tests.activities.factories import (
    ActivityFactory,
    AttachmentFactory,
    ParkActivityFactory,
    SignUpFactory,
)
from tests.assessment.factories import PayoutBatchFactory
from tests.conftest import make_park_world
from tests.cycle.factories import (
    AnnualReviewFactory,
    HalfYearSummaryFactory,
    InspectionRoundFactory,
    MonthlyMeetingFactory,
    NominationFactory,
    SecretaryReportFactory,
    TaskAssignmentFactory,
    WorkTaskFactory,
)
from tests.members.factories import MemberFactory
from tests.orgs.factories import (
    CountyFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
)


def _organisation(world):
    return OrganisationFactory(park=world.park, parent=world.work_committee)


def _member(world):
    return MemberFactory(park=world.park, branch=world.branch)


def _activity(world):
    return ActivityFactory(branch=world.branch)


def _attachment(world):
    return AttachmentFactory(activity=_activity(world))


def _meeting(world):
    return MonthlyMeetingFactory(park=world.park)


def _task(world):
    return WorkTaskFactory(meeting=_meeting(world))


def _task_assignment(world):
    return TaskAssignmentFactory(task=_task(world), branch=world.branch)


def _halfyear(world):
    return HalfYearSummaryFactory(park=world.park)


def _review(world):
    return AnnualReviewFactory(park=world.park)


def _park_activity(world):
    return ParkActivityFactory(park=world.park)


def _signup(world):
    return SignUpFactory(activity=_park_activity(world), member=_member(world))


def _nomination(world):
    return NominationFactory(summary=_halfyear(world), branch=world.branch)


def _secretary_report(world):
    return SecretaryReportFactory(review=_review(world), branch=world.branch)


def _round(world):
    return InspectionRoundFactory(park=world.park)


def _score_args(world):
    return (_round(world).pk, world.branch.pk)


def _batch(world):
    return PayoutBatchFactory(assessment__round=_round(world))


def _department(world):
    from services.models import Department

    return Department.objects.create(park=world.park, name="园区经发局")


def _demand(world):
    from django.utils import timezone

    from services.models import Demand

    return Demand.objects.create(park=world.park, enterprise=EnterpriseFactory(park=world.park), category="其他",
                                 description="用工需求", raised_at=timezone.now())


def _demand_attachment(world):
    from django.core.files.base import ContentFile

    from services.models import DemandAttachment

    attachment = DemandAttachment(park=world.park, demand=_demand(world), name="a.pdf", content_type="application/pdf", size=8)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return attachment


def _notice(world):
    from django.utils import timezone

    from services.models import Notice, NoticeField, NoticeRecipient

    notice = Notice.objects.create(park=world.park, title="通知", body="正文", published_at=timezone.now())
    NoticeField.objects.create(park=world.park, notice=notice, position=0, label="人数", kind="number")
    NoticeRecipient.objects.create(park=world.park, notice=notice, branch=world.branch)
    return notice


def _notice_file(world):
    from django.core.files.base import ContentFile

    from services.models import NoticeFile

    stored = NoticeFile(park=world.park, notice=_notice(world), name="a.pdf", content_type="application/pdf", size=8)
    stored.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    stored.save()
    return stored


def _policy(world):
    from services.models import Policy

    return Policy.objects.create(park=world.park, title="稳岗补贴政策", body="稳岗补贴")


def _bundle(world):
    from services.models import PolicyBundle, PolicyBundleItem

    bundle = PolicyBundle.objects.create(park=world.park, name="稳就业礼包")
    PolicyBundleItem.objects.create(park=world.park, bundle=bundle, policy=_policy(world), position=0)
    return bundle


def _policy_file(world):
    from django.core.files.base import ContentFile

    from services.models import PolicyFile

    stored = PolicyFile(park=world.park, policy=_policy(world), name="a.pdf", content_type="application/pdf", size=8)
    stored.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    stored.save()
    return stored


def _dues_sheet(world):
    return DuesSheet.objects.create(park=world.park, branch=world.branch, month=date(2026, 3, 1))


def _dues_payment(world):
    sheet = _dues_sheet(world)
    line = DuesLine.objects.create(park=world.park, sheet=sheet, member=_member(world), month=sheet.month, due="40.00", paid="40.00")
    return DuesPayment.objects.create(park=world.park, line=line, amount="40.00", paid_on=date(2026, 3, 10), method="cash")


def _ledger_entry(world):
    return LedgerEntry.objects.create(park=world.park, organisation=world.branch, book="fund", kind="returned", amount="500.00",
                                      on=date(2026, 3, 1))


def _ledger_evidence(world):
    stored = LedgerEvidence(park=world.park, entry=_ledger_entry(world), name="a.pdf", content_type="application/pdf", size=8)
    stored.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    stored.save()
    return stored


def _document_template(world):
    stored = DocumentTemplate(park=world.park, kind="talk", name="谈话记录.docx", size=8,
                              content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    stored.file.save("t.docx", ContentFile(b"PK\x03\x04"), save=False)
    stored.save()
    return stored


def _import_job(world):
    return ImportJob.objects.create(park=world.park, kind="members", filename="x.csv", sha256="0" * 64)


def _user(world):
    return RoleAssignmentFactory(role=Role.BRANCH_SECRETARY, county=world.park.county, park=world.park, organisation=world.branch).user


PAGES = {
    "dashboards:park_home": None,
    "dashboards:start": None,
    "users:list": None,
    "users:unlock": _user,
    "users:deactivate": _user,
    "users:activate": _user,
    "orgs:organisation_tree": None,
    "orgs:organisation_create": None,
    "orgs:organisation_detail": _organisation,
    "orgs:organisation_update": _organisation,
    "orgs:enterprise_list": None,
    "orgs:enterprise_create": None,
    "orgs:enterprise_detail": lambda w: EnterpriseFactory(park=w.park),
    "orgs:enterprise_update": lambda w: EnterpriseFactory(park=w.park),
    "orgs:enterprise_pick": None,
    "members:coverage_gaps": None,
    "members:org_check": None,
    "orgs:instructor_list": None,
    "orgs:instructor_create": None,
    "orgs:instructor_detail": lambda w: InstructorFactory(park=w.park),
    "orgs:instructor_update": lambda w: InstructorFactory(park=w.park),
    "orgs:instructor_assign": lambda w: InstructorFactory(park=w.park),
    "orgs:assignment_end": lambda w: InstructorAssignmentFactory(instructor=InstructorFactory(park=w.park)),
    "members:list": None,
    "members:pick": None,
    "members:create": None,
    "members:detail": _member,
    "members:update": _member,
    "members:transfer": _member,
    "members:status": _member,
    "members:probation_extend": _member,
    "imports:home": None,
    "imports:job": _import_job,
    "imports:confirm": _import_job,
    "activities:list": None,
    "activities:create": None,
    "activities:detail": _activity,
    "activities:update": _activity,
    "activities:delete": _activity,
    "activities:attachment": _attachment,
    "activities:compliance": None,
    "activities:park_activities": None,
    "activities:park_activity_create": None,
    "activities:park_activity": _park_activity,
    "activities:signup_create": _park_activity,
    "activities:attendance_mark": _signup,
    "cycle:tasks": None,
    "cycle:task_add": _meeting,
    "cycle:task_publish": _task,
    "cycle:task_complete": _task_assignment,
    "cycle:reports": None,
    "cycle:report_file": None,
    "cycle:cycle": None,
    "cycle:halfyear": _halfyear,
    "cycle:nomination_create": _halfyear,
    "cycle:nomination_decide": _nomination,
    "cycle:review": _review,
    "cycle:milestone_add": _review,
    "cycle:secretary_report": _review,
    "cycle:rate": _secretary_report,
    "cycle:notifications": None,
    "cycle:notifications_read": None,
    "points:points": None,
    "points:add": None,
    "points:redeem": None,
    "points:card_save": None,
    "points:cards_publish": None,
    "points:item_create": None,
    "services:demands": None,
    "services:demand_create": None,
    "services:demand_export": None,
    "services:demand": _demand,
    "services:demand_act": lambda w: (_demand(w).pk, "dispatch"),
    "services:demand_attachment": _demand_attachment,
    "services:departments": None,
    "services:notices": None,
    "services:visits": None,
    "services:visit_create": None,
    "services:policies": None,
    "services:bundles": None,
    "services:bundle_create": None,
    "services:bundle": _bundle,
    "services:bundle_send": _bundle,
    "services:policy_create": None,
    "services:policy": _policy,
    "services:policy_update": _policy,
    "services:policy_file": _policy_file,
    "services:notice_create": None,
    "services:notice": _notice,
    "services:notice_read": _notice,
    "services:notice_reply": _notice,
    "services:notice_remind": _notice,
    "services:notice_replies": _notice,
    "services:notice_file": _notice_file,
    "services:department_create": None,
    "services:department_update": _department,
    "assessment:overview": None,
    "assessment:rubric": None,
    "assessment:settings": None,
    "assessment:round": _round,
    "assessment:round_start": _round,
    "assessment:round_preview": _round,
    "assessment:round_finalise": _round,
    "assessment:round_reopen": _round,
    "assessment:uninspected": _score_args,
    "assessment:uninspected_rest": _round,
    "assessment:score": _score_args,
    "assessment:batch": _batch,
    "assessment:batch_transition": _batch,
    "assessment:batch_recompute": _batch,
    "assessment:pay_sheet": _batch,
    "members:development": _member,
    "members:development_due": None,
    "members:development_settings": None,
    "members:development_document": lambda w: (_member(w).pk, "talk"),
    "members:document_templates": None,
    "members:default_template": lambda w: ("talk",),
    "members:document_template_file": _document_template,
    "dues:home": None,
    "dues:sheet": _dues_sheet,
    "dues:pay": _dues_sheet,
    "dues:sheet_xlsx": _dues_sheet,
    "dues:reverse": _dues_payment,
    "dues:basis": _member,
    "dues:ledger": _organisation,
    "dues:ledger_xlsx": lambda w: (_organisation(w).pk, 2026),
    "dues:ledger_reverse": _ledger_entry,
    "dues:evidence": _ledger_evidence,
    "audit:history": lambda w: ("members.member", _member(w).pk),
    # Not an object of the park: the URL's own arguments.
    "imports:export": lambda w: ("members", "csv"),
    "imports:template": lambda w: ("members",),
}
OBJECT_PAGES = [name for name, build in PAGES.items() if build and name not in ("imports:export", "imports:template", "members:default_template")]


def park_url_names():
    names = []

    def walk(patterns, namespace, under_park):
        if namespace == "api":
            return  # the API's URLs have their own matrix, discovered the same way (tests/api/test_isolation.py)
        for p in patterns:
            has_park = under_park or "park" in p.pattern.regex.groupindex
            if isinstance(p, URLPattern):
                if has_park:
                    names.append(f"{namespace}:{p.name}" if namespace else p.name)
            else:
                walk(p.url_patterns, p.namespace or namespace, has_park)

    walk(get_resolver().url_patterns, None, False)
    return names


def accepts(path, method) -> bool:
    return hasattr(get_resolver().resolve(path).func.view_class, method)


def url(name, world, obj=None):
    """The page's URL in world's park; obj is the object its <pk> names, or the URL's own arguments."""
    extra = list(obj) if isinstance(obj, tuple) else [obj.pk] if obj is not None else []
    return reverse(name, args=[world.park.code, *extra])


def test_every_park_url_is_in_the_isolation_matrix():
    assert sorted(park_url_names()) == sorted(PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_parks_url_is_404_for_every_role(client, world, other, name, method):
    build = PAGES[name]
    obj = build(other) if build else None
    for user in (world.admin, world.inspector, world.secretary, world.instructor_user):
        client.force_login(user)
        response = getattr(client, method)(url(name, other, obj))
        assert response.status_code == 404, (user.username, name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", OBJECT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_parks_object_under_own_park_is_404(client, world, other, name, method):
    """Park A's URL with park B's primary key: the object looks missing, not forbidden."""
    obj = PAGES[name](other)
    client.force_login(world.admin)
    path = url(name, world, obj)
    response = getattr(client, method)(path)
    if not accepts(path, method):
        # A page without this method answers 405 whoever's the object is: nothing leaks.
        assert response.status_code == 405
    else:
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_county_viewer_writes_are_refused(client, world, county_viewer, name):
    build = PAGES[name]
    obj = build(world) if build else None
    client.force_login(county_viewer)
    response = client.post(url(name, world, obj), {"name": "改名"})
    if getattr(resolve(url(name, world, obj)).func.view_class, "post_only_reads", False):  # the member search box
        assert response.status_code == 302 and response.url.startswith(url(name, world, obj))
        return
    assert response.status_code == 403


@pytest.mark.django_db
def test_county_viewer_reads_every_park_of_the_county(client, world, other, county_viewer):
    client.force_login(county_viewer)
    for w in (world, other):
        assert client.get(url("dashboards:park_home", w)).status_code == 200
        assert client.get(url("orgs:enterprise_list", w)).status_code == 200
    response = client.get(reverse("county_dashboard", args=["demo"]))
    assert response.status_code == 200
    assert [row[0] for row in response.context["rows"]] == sorted([world.park, other.park], key=lambda p: p.name)


# The county's own pages (county/<code>/…): a county viewer of that county only.
COUNTY_PAGES = ["county_dashboard", "county_dues", "county_trends", "county_screen", "county_screen_data",
                "county_survey", "county_survey_xlsx"]


def test_every_county_page_is_listed():
    found = set()
    for p in get_resolver().url_patterns:
        if isinstance(p, URLPattern) and str(p.pattern).startswith("county/"):
            found.add(p.name)
    assert found == set(COUNTY_PAGES)


@pytest.mark.django_db
def test_county_viewer_of_another_county_sees_nothing(client, world, county_viewer):
    foreign = make_foreign_world()
    client.force_login(county_viewer)
    assert client.get(url("dashboards:park_home", foreign)).status_code == 404
    for name in COUNTY_PAGES:
        assert client.get(reverse(name, args=[foreign.park.county.code])).status_code == 404
        assert client.get(reverse(name, args=[world.park.county.code])).status_code == 200
    # the foreign county exists and is simply not theirs: their own dashboard lists their park only
    assert foreign.park.county != world.park.county
    rows = client.get(reverse("county_dashboard", args=[world.park.county.code])).context["rows"]
    assert foreign.park not in [row[0] for row in rows]
    assert [row[0] for row in rows] == [world.park]


def make_foreign_world():
    return make_park_world(CountyFactory(code="faraway"), "charlie")


@pytest.mark.django_db
def test_park_users_cannot_open_the_county_dashboard(client, world):
    for user in (world.admin, world.secretary, world.inspector):
        client.force_login(user)
        for name in COUNTY_PAGES:
            assert client.get(reverse(name, args=["demo"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboards:park_home", "orgs:enterprise_list"])
def test_anonymous_is_sent_to_sign_in(client, world, name):
    response = client.get(url(name, world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_unknown_park_is_404(client, world):
    client.force_login(world.admin)
    assert client.get("/p/nowhere/").status_code == 404


@pytest.mark.django_db
def test_secretary_sees_own_branch_only(client, world):
    sibling = OrganisationFactory(park=world.park, parent=world.work_committee, name="另一个党支部")
    group = OrganisationFactory(park=world.park, parent=world.branch, kind=Organisation.Kind.GROUP, formation="")
    client.force_login(world.secretary)
    assert client.get(url("orgs:organisation_detail", world, world.branch)).status_code == 200
    assert client.get(url("orgs:organisation_detail", world, group)).status_code == 200
    assert client.get(url("orgs:organisation_detail", world, sibling)).status_code == 404
    assert client.get(url("orgs:organisation_update", world, sibling)).status_code == 404
    tree = client.get(url("orgs:organisation_tree", world))
    shown = {node.organisation for node in tree.context["nodes"]}
    assert shown == {world.branch, group}
