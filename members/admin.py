from django.contrib import admin

from members.models import (
    DevelopmentSettings,
    DevelopmentStep,
    DocumentTemplate,
    Holiday,
    Member,
    MemberTransfer,
    PostTerm,
    ProbationExtension,
    StatusChange,
)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """The operators' view of the roster. Members are added, moved and re-statused through the park's
    pages, whose services check the rules, encrypt the ID number and keep the records."""

    list_display = ["name", "masked_id", "park", "branch", "stage", "status"]
    list_filter = ["park", "stage", "status"]
    search_fields = ["name", "phone"]
    raw_id_fields = ["enterprise"]
    readonly_fields = ["masked_id", "birth_date", "park", "branch", "status"]
    exclude = ["id_cipher", "id_hash", "id_tail_hash"]  # the number is changed through the park's pages (encrypted)

    def has_add_permission(self, request):
        return False

    @admin.display(description="身份证号")
    def masked_id(self, obj):
        return obj.id_masked if obj.pk else "—"


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["member", "from_status", "to_status", "on", "reason", "park"]
    list_filter = ["park", "to_status"]
    raw_id_fields = ["member", "actor"]


@admin.register(ProbationExtension)
class ProbationExtensionAdmin(admin.ModelAdmin):
    list_display = ["member", "decided_on", "months", "reason", "park"]
    list_filter = ["park"]
    raw_id_fields = ["member", "actor"]


@admin.register(MemberTransfer)
class MemberTransferAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "on", "from_branch", "to_branch", "external_organisation", "park"]
    list_filter = ["park", "kind"]
    raw_id_fields = ["member", "from_branch", "to_branch"]


@admin.register(PostTerm)
class PostTermAdmin(admin.ModelAdmin):
    list_display = ["member", "branch", "post", "started_on", "ended_on", "park"]
    list_filter = ["park", "post"]
    raw_id_fields = ["member", "branch"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The working-day calendar the 公示 count uses: add next year's from the State Council's notice."""

    list_display = ["day", "name", "workday"]
    list_filter = ["workday"]
    date_hierarchy = "day"


@admin.register(DevelopmentSettings)
class DevelopmentSettingsAdmin(admin.ModelAdmin):
    list_display = ["park", "publicity_days"]


@admin.register(DevelopmentStep)
class DevelopmentStepAdmin(admin.ModelAdmin):
    """Steps are recorded on the park's pages, whose service checks the order and the timing rules."""

    list_display = ["member", "step", "on", "park"]
    list_filter = ["park", "step"]
    raw_id_fields = ["member"]

    def has_add_permission(self, request):
        return False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Parks upload their templates on their own page, where each is checked by filling it once."""

    list_display = ["park", "kind", "name", "uploaded_at"]
    list_filter = ["park", "kind"]

    def has_add_permission(self, request):
        return False
