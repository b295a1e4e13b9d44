"""The platform's roles: who a user is in a county or a park. Role assignments (accounts) give
them to users; the base views and every page check them by these names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_VIEWER = "county_viewer", _("县委组织部（只读）")
    PARK_ADMIN = "park_admin", _("园区党建办")
    INSPECTOR = "inspector", _("巡查人员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    INSTRUCTOR = "instructor", _("党建工作指导员")
    HANDLER = "handler", _("承办部门")  # a department of the park that handles 红色代办 demands


ALL_ROLES = frozenset(Role.values)
PARK_STAFF = frozenset({Role.PARK_ADMIN, Role.INSPECTOR, Role.COUNTY_VIEWER})
ADMIN_ONLY = frozenset({Role.PARK_ADMIN})
SECRETARY = frozenset({Role.BRANCH_SECRETARY})
INSTRUCTOR = frozenset({Role.INSTRUCTOR})
HANDLER = frozenset({Role.HANDLER})
BRANCH_WRITERS = frozenset({Role.PARK_ADMIN, Role.BRANCH_SECRETARY})
SCORERS = frozenset({Role.PARK_ADMIN, Role.INSPECTOR})
