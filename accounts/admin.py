from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(User)
class HongfanUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("红帆", {"fields": ["full_name"]}),)
    list_display = ["username", "full_name", "is_active", "is_superuser"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "county", "park", "organisation"]
    list_filter = ["role", "county", "park"]
    raw_id_fields = ["user", "organisation"]
