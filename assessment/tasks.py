"""Star-level recalculation on Celery: thin tasks over the set-based services."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scopes_disabled

from assessment import levels, payouts
from assessment.models import RoundAssessment
from cycle.models import InspectionRound
from orgs.tenancy import ParkTask


@shared_task(base=ParkTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def finalise_round(self, park, round_id: int, actor_id: int | None = None) -> int:
    """定档 one park's round: star levels and the quarter's payout draft. Refuses a finalised round."""
    inspection_round = InspectionRound.objects.get(park=park, pk=round_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    finalised, _ = levels.round_finalise(inspection_round=inspection_round, actor=actor)
    return len(finalised.levels)


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
