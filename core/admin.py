"""Admin registration shared by the apps whose many small models need only a list and raw ids."""

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
