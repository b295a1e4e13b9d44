"""The unread reminders shown at the top of every park page, the start page of each role included."""

from cycle.models import Notification


def notifications(request):
    park = getattr(request, "park", None)
    user = getattr(request, "user", None)
    if park is None or user is None or not user.is_authenticated:
        return {}

    def unread():
        return list(Notification.objects.filter(park=park, user=user, read_at__isnull=True)[:10])

    return {"unread_notifications": unread}
