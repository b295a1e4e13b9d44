from django.contrib import admin
from import_export import resources
from import_export.admin import ExportMixin

from orgs.models import (
    County,
    Coverage,
    Enterprise,
    Instructor,
    InstructorAssignment,
    Organisation,
    Park,
    Zone,
)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county", "is_active"]
    list_filter = ["county", "is_active"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "park"]
    list_filter = ["park"]


class CoverageInline(admin.TabularInline):
    model = Coverage
    extra = 0
    raw_id_fields = ["enterprise"]


class OrganisationResource(resources.ModelResource):
    class Meta:
        model = Organisation
        fields = ["id", "park__code", "name", "kind", "formation", "parent__name", "founded_on", "ends_on", "dissolved_on", "secretary_name"]


class EnterpriseResource(resources.ModelResource):
    class Meta:
        model = Enterprise
        fields = ["id", "park__code", "name", "credit_code", "industry", "employees", "zone__name", "status", "moved_in_on", "moved_out_on"]


# Admin exports across parks for the platform operators; park offices import and export their
# rosters through the park pages (services/imports), which hold the validation rules.
@admin.register(Organisation)
class OrganisationAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "kind", "formation", "park", "parent", "founded_on", "dissolved_on"]
    list_filter = ["park", "kind", "formation"]
    search_fields = ["name", "secretary_name"]
    raw_id_fields = ["parent"]
    inlines = [CoverageInline]


@admin.register(Enterprise)
class EnterpriseAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [EnterpriseResource]
    list_display = ["name", "credit_code", "park", "zone", "industry", "employees", "status"]
    list_filter = ["park", "status"]
    search_fields = ["name", "credit_code"]


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = ["organisation", "enterprise", "park"]
    list_filter = ["park"]
    raw_id_fields = ["organisation", "enterprise"]


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "unit", "park", "is_active"]
    list_filter = ["park", "is_active"]
    raw_id_fields = ["user"]


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["instructor", "enterprise", "starts_on", "ends_on", "park"]
    list_filter = ["park"]
    raw_id_fields = ["instructor", "enterprise"]
