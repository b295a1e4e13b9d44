"""The assessment's part of the 四个一 rhythm, registered with the cycle's job runner (the cycle sits
below the assessment, so it cannot call these itself)."""

from datetime import date, timedelta

from django.urls import reverse

from assessment.models import RoundAssessment
from assessment.rubrics import round_assessment
from assessment.scheme import settings_of
from core.periods import month_in_quarter, quarter_of
from cycle.jobs import cycle_job
from cycle.models import InspectionRound
from cycle.notifications import notify, secretaries_of
from points.services import stars_select


@cycle_job("round_assessment", after="inspection_round")
def job_round_assessment(park, day: date) -> int:
    """Pin each newly opened inspection round to the park's current rubric version."""
    if day.day != 1 or month_in_quarter(day) != 3:
        return 0
    opened = InspectionRound.objects.filter(park=park, year=day.year, quarter=quarter_of(day)).first()
    if opened is None or RoundAssessment.objects.filter(park=park, round=opened).exists():
        return 0
    round_assessment(inspection_round=opened)
    # Every branch is told the round is open for its self-assessment, by the same in-app notices.
    link = reverse("assessment:round", args=[park.code, opened.pk])
    message = f"{opened}已开始，请于{opened.self_assessment_due:%m月%d日}前完成自查初评。"
    notify(park, [(user, f"round-open:{opened.pk}", message, link) for users in secretaries_of(park).values() for user in users])
    return 1


@cycle_job("member_stars")
def job_member_stars(park, day: date) -> int:
    """On the first day of a quarter: the 星级党员 of the quarter just ended, by the park's bar."""
    if day.day != 1 or month_in_quarter(day) != 1:
        return 0
    last = day - timedelta(days=1)
    return stars_select(park=park, year=last.year, quarter=quarter_of(last), bar=settings_of(park).star_points)
