"""Star-level recalculation on Celery: a county's quarter in one set-based pass.

A single park's 定档 is the admin's two-step decision (assessment.finalise), not a background job."""

from celery import shared_task
from django.db import transaction
from django_scopes import scopes_disabled

from assessment import levels, payouts
from assessment.models import RoundAssessment


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def finalise_county(county_id: int, year: int, quarter: int) -> int:
    """Every open round of a county's quarter in one set-based pass (the county's recalculation)."""
    with scopes_disabled(), transaction.atomic():
        assessments = list(
            RoundAssessment.objects.select_related("round")
            .filter(park__county_id=county_id, round__year=year, round__quarter=quarter, status=RoundAssessment.Status.OPEN)
        )
        finalised = levels.finalise_rounds(assessments=assessments, actor=None)
        payouts.draft_payouts(assessments=finalised.assessments, actor=None)
    return len(finalised.levels)
