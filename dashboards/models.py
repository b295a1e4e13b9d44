"""The 六个清 survey: the county's survey days, and each park's snapshot frozen on such a day.

Nothing here is typed in by a park or the county: the days are a county setting (the platform
admin keeps it in the Django admin; without one the defaults hold), and a snapshot is computed
from the records already held (dashboards.survey), never edited after it is taken.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# 1 January and 1 July: the two survey days of the year unless the county keeps its own.
DEFAULT_SURVEY_DAYS: tuple[tuple[int, int], ...] = ((1, 1), (7, 1))

_SEPARATORS = re.compile(r"[,，、;；\s]+")
_DAY = re.compile(r"^(\d{1,2})(?:-|/|月)(\d{1,2})日?$")


def parse_survey_days(text: str) -> list[tuple[int, int]]:
    """'01-01,07-01' (also '1月1日、7月1日') → [(1, 1), (7, 1)], sorted, each day once.

    Each day must exist in every year: 29 February is refused, as the survey would then skip three
    years in four. At least one day."""
    days, errors = set(), []
    for part in (p for p in _SEPARATORS.split(text or "") if p):
        match = _DAY.match(part)
        if not match:
            errors.append(f"“{part[:20]}”不是“月-日”格式（如 07-01）。")
            continue
        month, day = int(match[1]), int(match[2])
        if (month, day) == (2, 29):
            errors.append("2月29日不是每年都有，请另选一天。")
            continue
        try:
            date(2025, month, day)  # any year without 29 February
        except ValueError:
            errors.append(f"“{part[:20]}”不是有效的日期（{month}月没有{day}日）。")
            continue
        days.add((month, day))
    if errors:
        raise ValidationError(errors)
    if not days:
        raise ValidationError(_("至少填写一个普查日。"))
    return sorted(days)


def format_survey_days(days) -> str:
    """[(1, 1), (7, 1)] → '1月1日、7月1日'."""
    return "、".join(f"{month}月{day}日" for month, day in days)


def validate_survey_days(value: str) -> None:
    parse_survey_days(value)


class SurveySettings(models.Model):
    """A county's survey days (六个清普查日): on each, every active park's snapshot is taken."""

    county = models.OneToOneField(
        "orgs.County", on_delete=models.CASCADE, related_name="survey_settings", verbose_name=_("区县")
    )
    days = models.CharField(
        _("普查日"),
        max_length=200,
        default="01-01,07-01",
        validators=[validate_survey_days],
        help_text=_("每年生成“六个清”快照的日子，写作“月-日”，多个用逗号分隔，如 01-01,07-01"),
    )

    class Meta:
        verbose_name = _("六个清普查设置")
        verbose_name_plural = _("六个清普查设置")

    def __str__(self):
        return f"{self.county}：{format_survey_days(self.survey_days)}"

    def clean(self):
        # Keep the canonical form, so the admin shows what the job reads. Unreadable days are
        # reported once, on the field, by its validator.
        try:
            days = parse_survey_days(self.days)
        except ValidationError:
            return
        self.days = ",".join(f"{m:02d}-{d:02d}" for m, d in days)

    @property
    def survey_days(self) -> list[tuple[int, int]]:
        return parse_survey_days(self.days)


class SurveySnapshot(models.Model):
    """One park's six figures (六个清) as of a survey day, computed from the live data that day.

    Frozen: created once per (park, day) by dashboards.survey.take_snapshots and never changed
    (save() refuses an update; no page, form or admin edits it)."""

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    taken_on = models.DateField(_("普查日"))
    data = models.JSONField(_("快照数据"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("六个清快照")
        verbose_name_plural = _("六个清快照")
        ordering = ["-taken_on", "park_id"]
        constraints = [
            # Led by park, as every index on a park-owned table: also serves the county's look-ups.
            models.UniqueConstraint(fields=["park", "taken_on"], name="surveysnapshot_one_per_day"),
        ]

    def __str__(self):
        return f"{self.park} {self.taken_on:%Y-%m-%d} 六个清快照"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("六个清快照生成后不可修改。")
        super().save(*args, **kwargs)
