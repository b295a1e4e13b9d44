"""Who did what: one entry per write made through a service."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AuditEntry(models.Model):
    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.BigIntegerField(_("对象编号"), null=True)
    target_repr = models.CharField(_("对象"), max_length=200)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["park", "-created_at"], name="audit_park_created"),
            models.Index(fields=["park", "target_type", "target_id"], name="audit_park_target"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_repr}"
