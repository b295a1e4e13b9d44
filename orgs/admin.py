from django.contrib import admin

from orgs.models import County, Coverage, Enterprise, Instructor, InstructorAssignment, Organisation, Park, Zone


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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "formation", "park", "parent", "founded_on", "dissolved_on"]
    list_filter = ["park", "kind", "formation"]
    search_fields = ["name", "secretary_name"]
    raw_id_fields = ["parent"]
    inlines = [CoverageInline]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
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
