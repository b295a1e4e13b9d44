"""党费 on the cycle's daily run (registered with cycle.jobs): each day makes sure the month's sheets
exist (the 1st drafts them; a member admitted mid-month joins that month's sheet the next day), and
the reminders tell each secretary once a month about members whose unpaid run reached the mark."""

from collections import defaultdict
from datetime import date

from django.urls import reverse

from core.periods import month_start
from cycle.jobs import REMINDS, cycle_job
from cycle.notifications import notify, secretaries_of
from dues.models import DuesLine
from dues.selectors import arrears, flagged
from dues.services import sheets_draft
from members.dues import ARREARS_FLAG_MONTHS


@cycle_job("dues_sheets")
def job_dues_sheets(park, day: date) -> int:
    return sheets_draft(park=park, month=day)


@cycle_job("dues_arrears", does=REMINDS)
def job_dues_arrears(park, day: date) -> int:
    month = month_start(day)
    lines = DuesLine.objects.filter(park=park, month=month).values_list("member_id", "member__name", "sheet_id", "sheet__branch_id")
    by_member = {member: (name, sheet, branch) for member, name, sheet, branch in lines}
    if not by_member:
        return 0
    marked = flagged(arrears(park=park, member_ids=list(by_member), until=month))
    per_branch = defaultdict(list)
    for member in marked:
        name, sheet, branch = by_member[member]
        per_branch[(branch, sheet)].append(name)
    if not per_branch:
        return 0
    secretaries = secretaries_of(park)
    entries = []
    for (branch, sheet), names in per_branch.items():
        link = reverse("dues:sheet", args=[park.code, sheet])
        message = (f"党费提醒：{'、'.join(sorted(names)[:10])}{'等' if len(names) > 10 else ''}{len(names)}人已连续"
                   f"{ARREARS_FLAG_MONTHS}个月或更久未交纳党费，请及时谈话了解情况（党章第九条）。")
        entries += [(user, f"dues-arrears:{branch}:{month:%Y%m}", message[:300], link) for user in secretaries.get(branch, ())]
    return notify(park, entries)
