from django.contrib import admin

from members.models import Member, MemberTransfer, PostTerm


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id", "park", "branch", "stage", "status"]
    list_filter = ["park", "stage", "status"]
    search_fields = ["name", "phone"]
    raw_id_fields = ["branch", "enterprise"]
    readonly_fields = ["masked_id", "birth_date"]
    exclude = ["id_cipher", "id_hash"]  # the number is changed through the park's pages (encrypted)

    @admin.display(description="身份证号")
    def masked_id(self, obj):
        return obj.id_masked


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
