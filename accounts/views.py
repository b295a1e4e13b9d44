"""Sign-in, the start page that sends each user to the page of their role, and a park admin's
accounts page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from accounts import services
from accounts.access import user_workspaces
from accounts.models import User
from core.http import is_api, json_error
from core.roles import ADMIN_ONLY, Role
from core.tenancy.views import ParkViewMixin, park_url
from core.validators import normalize_text


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429 with Retry-After, as
    JSON for the API's token sign-in and as the lockout page for the sign-in form."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if is_api(request):
        return json_error(429, f"密码错误次数过多，登录已暂停，请 {seconds // 60} 分钟后再试，或请园区党建办解锁。",
                          Retry_After=str(seconds))
    response = render(request, "accounts/locked.html", {"failure_limit": settings.AXES_FAILURE_LIMIT,
                                                        "cooloff_timedelta": settings.AXES_COOLOFF_TIME}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def workspace_url(workspace) -> str:
    if workspace.role == Role.COUNTY_VIEWER:
        return reverse("county_dashboard", args=[workspace.county.code])
    code = workspace.park.code
    if workspace.role in (Role.BRANCH_SECRETARY, Role.INSTRUCTOR, Role.INSPECTOR):
        return reverse("dashboards:start", args=[code])  # 我的待办 (dashboards.todo)
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


# --- A park admin's accounts page ----------------------------------------------------------------
class ParkUsersView(ParkViewMixin, ListView):
    """The accounts holding a role in this park: their roles, wrong passwords counted, and whether
    they are active; the admin unlocks, deactivates and reactivates them here."""

    allowed_roles = ADMIN_ONLY
    template_name = "accounts/park_users.html"
    paginate_by = 50

    def get_queryset(self):
        users = park_users(self.park).prefetch_related("role_assignments__organisation").order_by("username")
        if q := normalize_text(self.request.GET.get("q", ""))[:50]:
            users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
        return users

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["object_list"]
        failures = services.failures_of(u.username for u in page)
        rows = []
        for user in page:
            roles = [a for a in user.role_assignments.all() if a.park_id == self.park.pk]
            count = failures.get(user.username, 0)
            rows.append((user, roles, count, services.is_locked(count)))
        return {**context, "rows": rows, "q": self.request.GET.get("q", "")[:50]}


def park_users(park):
    return User.objects.filter(role_assignments__park=park).distinct()


class ParkUserActionView(ParkViewMixin, View):
    """unlock / deactivate / activate one account of the park (POST only); another park's is 404."""

    allowed_roles = ADMIN_ONLY
    action = ""

    def post(self, request, *args, pk, **kwargs):
        user = get_object_or_404(park_users(self.park), pk=pk)
        try:
            if self.action == "unlock":
                services.user_unlock(park=self.park, actor=request.user, user=user)
                messages.success(request, f"已解锁 {user} 的账号。")
            else:
                active = self.action == "activate"
                services.user_set_active(park=self.park, actor=request.user, user=user, active=active)
                messages.success(request, f"已{'启用' if active else '停用'} {user} 的账号。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(park_url("users:list", self.park))
