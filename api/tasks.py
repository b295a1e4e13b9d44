"""The API's housekeeping, run by beat."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from api.models import IdempotentRequest


@shared_task
def purge_idempotent_requests() -> int:
    """Forget the kept answers to Idempotency-Key requests older than the retry window
    (HONGFAN_IDEMPOTENCY_HOURS, default 48): a client retries within minutes, not days."""
    cutoff = timezone.now() - timedelta(hours=settings.HONGFAN_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
