"""The platform operators' admin site: superusers only, as it shows every park (scopes disabled)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PlatformAdminSite(admin.AdminSite):
    site_header = "红帆 平台管理"
    site_title = "红帆 平台管理"
    index_title = "数据管理"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class PlatformAdminConfig(AdminConfig):
    default_site = "config.admin.PlatformAdminSite"
