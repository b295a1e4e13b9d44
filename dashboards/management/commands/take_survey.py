"""python manage.py take_survey [--county CODE] [--date YYYY-MM-DD]

Takes the 六个清 snapshot of every active park of the counties whose survey day the date is (or of
the one county given), synchronously, and prints one line per county: `CODE: taken N, already M`.
Idempotent: a second run takes none. The date defaults to today; a past date is a backfill — the
enterprises', organisations' and assignments' dates are read as of that day, but members'
statuses and stages (and instructors' 在岗) as they are now, which the command says when it runs.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboards.models import format_survey_days
from dashboards.survey import counties_surveying_on, survey_days, take_snapshots
from orgs.models import County, Park


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}”不是有效日期，请写作 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "Take the 六个清 snapshots of a survey day (idempotent; a past date is a backfill)."

    def add_arguments(self, parser):
        parser.add_argument("--county", help="only this county's code")
        parser.add_argument("--date", help="the survey day, YYYY-MM-DD (default: today)")

    def handle(self, *args, county=None, date=None, **options):
        today = timezone.localdate()
        day = _date(date) if date else today
        if day > today:
            raise CommandError(f"{day} 尚未到来：快照只能在普查日当天或之后生成。")
        if county:
            target = County.objects.filter(code=county).first()
            if target is None:
                raise CommandError(f"没有代码为“{county}”的区县。")
            days = survey_days(target)
            if (day.month, day.day) not in days:
                raise CommandError(f"{day} 不是{target.name}的普查日（{format_survey_days(days)}）。")
            counties = [target]
        else:
            counties = counties_surveying_on(day)
            if not counties:
                self.stdout.write(f"{day} 不是任何区县的普查日：未生成快照。")
                return
        if day < today:
            self.stdout.write(
                f"补录 {day}：企业、党组织、指导员联系的日期按当日计；党员状态和发展阶段、指导员在岗按今天（{today}）计。"
            )
        for target in counties:
            parks = list(Park.objects.filter(county=target, is_active=True).order_by("pk"))
            taken = take_snapshots(parks=parks, day=day)
            self.stdout.write(f"{target.code}: taken {taken}, already {len(parks) - taken}")
