"""组织体检: the park's organisations that break a rule of the 支部工作条例, each finding naming the
rule and the article. Read from the records the platform holds (the tree and the roster): three
queries whatever the park's size. Lives with the members because most rules count them.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from members.models import Member
from members.rules import add_years
from orgs.models import Organisation
from orgs.rules import (
    BRANCH_MAX_MEMBERS,
    COMMITTEE_MIN_FULL_MEMBERS,
    COMMITTEE_MIN_SIZE,
    SINGLE_BRANCH_MIN_FULL_MEMBERS,
    TERM_YEARS,
)
from orgs.selectors import live_branch_q

FEW_FOR_SINGLE = "single_too_few"
TOO_MANY = "too_many_members"
NO_COMMITTEE = "no_committee"
TERM_ENDED = "term_ended"
TEMPORARY_ENDED = "temporary_ended"

# Who the rules count: members on the roll, probationary or full; and the 支委 among them.
COUNTED_STAGES = Member.PARTY_STAGES
COMMITTEE_POSTS = (Member.Post.SECRETARY, Member.Post.DEPUTY, Member.Post.COMMITTEE)


@dataclass(frozen=True)
class Finding:
    organisation: Organisation  # or an orgs.models.OrganisationRow, read by the county dashboards
    rule: str
    message: str
    article: str


def checked_q(today: date) -> Q:
    """The organisations the check reads: live 党支部, and temporary ones left undissolved past their end."""
    return live_branch_q(today) | Q(formation=Organisation.Formation.TEMPORARY, dissolved_on__isnull=True, ends_on__lt=today)


def is_checked(organisation: Organisation, today: date) -> bool:
    """checked_q, read over organisation rows already fetched."""
    return (organisation.kind == Organisation.Kind.BRANCH and organisation.is_active_on(today)) or (
        organisation.formation == Organisation.Formation.TEMPORARY and organisation.dissolved_on is None
        and organisation.ends_on is not None and organisation.ends_on < today)


def organisation_check(*, park, today: date, organisation_ids=None) -> list[Finding]:
    """Every finding of the park's live organisations (or of those given), by organisation name."""
    organisations = Organisation.objects.filter(park=park).filter(checked_q(today))
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    counts = {}
    rows = (
        Member.objects.filter(park=park, status__in=Member.ON_ROLL, stage__in=COUNTED_STAGES)
        .values("branch_id")
        .annotate(
            members=Count("pk"),
            full=Count("pk", filter=Q(stage=Member.Stage.FULL)),
            committee=Count("pk", filter=Q(post__in=COMMITTEE_POSTS)),
        )
        .order_by()
    )
    for row in rows:
        counts[row["branch_id"]] = row
    return findings_of(organisations.order_by("name"), counts, today)


def findings_of(organisations, counts, today: date) -> list[Finding]:
    """The rules themselves, over organisations already read (live branches, and temporary ones
    past their end) and per organisation id its on-roll members, full members and committee
    members (stages COUNTED_STAGES); the county dashboards read both for many parks at once."""
    findings = []
    for org in organisations:
        n = counts.get(org.pk) or {"members": 0, "full": 0, "committee": 0}
        if org.formation == Organisation.Formation.TEMPORARY and org.ends_on and org.ends_on < today:
            findings.append(Finding(org, TEMPORARY_ENDED, f"临时党支部已于{org.ends_on:%Y-%m-%d}到期，应及时撤销", "支部工作条例第二章（临时党支部随工程、项目结束撤销）"))
            continue
        if org.formation == Organisation.Formation.SINGLE and n["full"] < SINGLE_BRANCH_MIN_FULL_MEMBERS:
            findings.append(Finding(org, FEW_FOR_SINGLE, f"单独组建的党支部正式党员不足{SINGLE_BRANCH_MIN_FULL_MEMBERS}人（现有{n['full']}人），宜改为联合组建", "支部工作条例第四条"))
        if n["members"] > BRANCH_MAX_MEMBERS:
            findings.append(Finding(org, TOO_MANY, f"党员{n['members']}人，超过党支部一般不超过{BRANCH_MAX_MEMBERS}人的规定，可设党总支或分设党支部", "支部工作条例第四条"))
        if n["full"] >= COMMITTEE_MIN_FULL_MEMBERS and n["committee"] < COMMITTEE_MIN_SIZE:
            findings.append(Finding(org, NO_COMMITTEE, f"正式党员{n['full']}人，应选举产生{COMMITTEE_MIN_SIZE}至5人的支部委员会（现登记支委{n['committee']}人）", "支部工作条例第六章"))
        if org.elected_on and add_years(org.elected_on, TERM_YEARS) <= today:
            findings.append(Finding(org, TERM_ENDED, f"本届任期（{org.elected_on:%Y-%m-%d}选举，{TERM_YEARS}年）已于{add_years(org.elected_on, TERM_YEARS):%Y-%m-%d}届满，应按期换届", "支部工作条例第六章"))
    return findings


def term_end(organisation: Organisation) -> date | None:
    return add_years(organisation.elected_on, TERM_YEARS) if organisation.elected_on else None
