from django.contrib import admin

from imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "park", "kind", "filename", "status", "created_by"]
    list_filter = ["park", "kind", "status"]
    exclude = ["data"]  # the encrypted upload is for the confirmation step only
    readonly_fields = ["park", "kind", "filename", "sha256", "digest", "summary", "status", "created_by", "applied_at"]

    def has_add_permission(self, request):
        return False
