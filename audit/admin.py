import pghistory.models
from django.apps import apps
from django.contrib import admin

from audit.models import AuditEntry
from core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "park", "actor", "action", "target_repr"]
    list_filter = ["park", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


class RowHistoryAdmin(ReadOnlyAdmin):
    """A park-owned table's row history (core.history): append-only, so read-only here too."""

    list_display = ["pgh_created_at", "park", "pgh_label", "pgh_obj_id"]
    list_filter = ["park", "pgh_label"]
    show_full_result_count = False  # a history grows large: no COUNT(*) of the whole table per page


# Every row-history table of every app, found in the registry (this module imports no app above it).
for _model in apps.get_models():
    if issubclass(_model, pghistory.models.Event) and _model._meta.app_label != "pghistory":
        admin.site.register(_model, RowHistoryAdmin)
