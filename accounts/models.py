"""Users and the role assignments that decide which parks, and which parts of a park, they see."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role of one user: over a whole county (viewer), a park, or one organisation of a park.

    This table decides the tenancy scope, so it is read before any scope exists (with scopes
    disabled, in accounts.access); it is the one park-linked model without ScopedManager.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    county = models.ForeignKey("orgs.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    park = models.ForeignKey(
        "orgs.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("园区")
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党组织"),
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            # A county viewer covers the county; every other role is held inside one park.
            models.CheckConstraint(
                condition=Q(role="county_viewer", park__isnull=True, organisation__isnull=True)
                | (~Q(role="county_viewer") & Q(park__isnull=False)),
                name="role_scope_matches_role",
                violation_error_message=_("县级只读角色不属于某个园区；其他角色必须指定园区。"),
            ),
            models.CheckConstraint(
                condition=~Q(role="branch_secretary") | Q(organisation__isnull=False),
                name="role_secretary_has_organisation",
                violation_error_message=_("支部书记角色必须指定党组织。"),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "county", "park", "organisation"],
                nulls_distinct=False,
                name="role_assignment_unique",
                violation_error_message=_("该用户已有这一角色。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"
