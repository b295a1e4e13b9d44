"""Star-level recalculation on Celery: a county's quarter in one set-based pass.

A single park's 定档 is the admin's two-step decision (assessment.finalise), not a background job."""

from celery import shared_task
from django.db import transaction
from django_scopes import scopes_disabled

from assessment import levels, payouts
from assessment.models import RoundAssessment
from core.locks import transaction_lock


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def finalise_county(county_id: int, year: int, quarter: int) -> int:
    """Every open round of a county's quarter in one set-based pass (the county's recalculation)."""
    with scopes_disabled(), transaction.atomic():
        rounds = RoundAssessment.objects.filter(park__county_id=county_id, round__year=year, round__quarter=quarter)
        # The parks' 定档 locks, in one order, before the open rounds are read: a second run of this
        # task (a redelivery while the first still runs) or an admin's 定档 waits for the first to
        # commit and then finds those rounds final, so it writes nothing twice and fails on nothing.
        for park_id in sorted(set(rounds.filter(status=RoundAssessment.Status.OPEN).values_list("park_id", flat=True))):
            transaction_lock("finalise", park_id)
        assessments = list(rounds.select_related("round").filter(status=RoundAssessment.Status.OPEN))
        finalised = levels.finalise_rounds(assessments=assessments, actor=None)
        payouts.draft_payouts(assessments=finalised.assessments, actor=None)
    return len(finalised.levels)
