"""The working-day calendar for 2025 and 2026, from the State Council's notices (国办发明电〔2024〕12号,
国办发明电〔2025〕7号): holidays off, and the weekend days worked in exchange (调休)."""

from datetime import date, timedelta

from django.db import migrations


def days(start: date, end: date):
    while start <= end:
        yield start
        start += timedelta(days=1)


OFF = [
    ("元旦", date(2025, 1, 1), date(2025, 1, 1)),
    ("春节", date(2025, 1, 28), date(2025, 2, 4)),
    ("清明节", date(2025, 4, 4), date(2025, 4, 6)),
    ("劳动节", date(2025, 5, 1), date(2025, 5, 5)),
    ("端午节", date(2025, 5, 31), date(2025, 6, 2)),
    ("国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8)),
    ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
]
WORKED = [
    ("春节调休", date(2025, 1, 26)), ("春节调休", date(2025, 2, 8)), ("劳动节调休", date(2025, 4, 27)),
    ("国庆节调休", date(2025, 9, 28)), ("国庆节调休", date(2025, 10, 11)),
    ("元旦调休", date(2026, 1, 4)), ("春节调休", date(2026, 2, 14)), ("春节调休", date(2026, 2, 28)),
    ("劳动节调休", date(2026, 5, 9)), ("国庆节调休", date(2026, 9, 20)), ("国庆节调休", date(2026, 10, 10)),
]


def load(apps, schema_editor):
    Holiday = apps.get_model("members", "Holiday")
    rows = [Holiday(day=day, name=name) for name, start, end in OFF for day in days(start, end)]
    rows += [Holiday(day=day, name=name, workday=True) for name, day in WORKED]
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("members", "Holiday").objects.filter(day__year__in=[2025, 2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0004_development")]

    operations = [migrations.RunPython(load, unload)]
