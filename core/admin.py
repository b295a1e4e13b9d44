"""Admin pieces the apps share: the park-filtered list of many small models, and the read-only admin of
records nobody edits by hand."""

from django.contrib import admin


class ParkListAdmin(admin.ModelAdmin):
    list_filter = ["park"]


def register_park_models(entries) -> None:
    """Register (model, list columns) pairs: filtered by park, relations as raw ids (parks are large)."""
    for model, columns in entries:
        relations = [f.name for f in model._meta.fields if f.is_relation and f.name != "park" and not f.one_to_one]
        admin.site.register(
            model, type(f"{model.__name__}Admin", (ParkListAdmin,), {"list_display": columns, "raw_id_fields": relations})
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that is never edited by hand (the audit log, row histories, survey snapshots): the
    admin lists and shows it, and offers no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
