"""Puts the current park, the user's access and their workspaces into every template."""

from accounts.access import user_workspaces


def tenancy(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_park": getattr(request, "park", None),
        "access": getattr(request, "access", None),
        "current_county": getattr(request, "county", None),
        "workspaces": lambda: user_workspaces(user),  # evaluated only where the template asks
    }
