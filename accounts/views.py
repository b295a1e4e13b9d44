"""Sign-in and the start page that sends each user to the page of their role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import user_workspaces
from core.roles import Role


def workspace_url(workspace) -> str:
    if workspace.role == Role.COUNTY_VIEWER:
        return reverse("county_dashboard", args=[workspace.county.code])
    code = workspace.park.code
    if workspace.role == Role.BRANCH_SECRETARY:
        return reverse("orgs:organisation_detail", args=[code, workspace.organisation_id])
    if workspace.role == Role.INSTRUCTOR:
        return reverse("services:visits", args=[code])  # their to-do: visits due, demands awaiting them
    if workspace.role == Role.HANDLER:
        return reverse("services:demands", args=[code])
    return reverse("dashboards:park_home", args=[code])


@login_required
def home(request):
    spaces = [(space, workspace_url(space)) for space in user_workspaces(request.user)]
    if len(spaces) == 1:
        return redirect(spaces[0][1])
    if not spaces and request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "accounts/home.html", {"spaces": spaces})
