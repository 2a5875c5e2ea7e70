"""Admin for the organisation's core: units, their staff, and the service catalogue with its SLA."""
from django.contrib import admin
from django.utils.translation import gettext_lazy

from .jalali import format_jalali
from .models import PerformanceTarget, Service, Unit, UnitMember

admin.site.site_header = gettext_lazy("Sajad – monitoring and evaluation")
admin.site.site_title = gettext_lazy("Sajad administration")
admin.site.index_title = gettext_lazy("Monitoring unit's desk")
# The case list needs the width more than a second copy of the app index; breadcrumbs remain.
admin.site.enable_nav_sidebar = False


class UnitMemberInline(admin.TabularInline):
    model = UnitMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "is_monitoring", "is_active", "email")
    list_filter = ("is_active", "is_monitoring")
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = (UnitMemberInline,)


@admin.register(UnitMember)
class UnitMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "is_head", "mobile")
    list_filter = ("is_head", "unit")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("user", "unit")


class PerformanceTargetInline(admin.TabularInline):
    model = PerformanceTarget
    extra = 1


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "cost", "is_internal", "is_active", "document_version", "edited")
    list_filter = ("is_active", "is_internal", "cost", "unit")
    list_select_related = ("unit",)
    search_fields = ("name", "slug", "definition")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("unit",)
    readonly_fields = ("edited",)
    inlines = (PerformanceTargetInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "unit", "is_active", "is_internal", "order")}),
        (gettext_lazy("Service-level agreement"), {"fields": (
            "definition", "recipients", "provider", "single_window_url", "responsibilities",
            "mutual_obligations", "required_data",
        )}),
        (gettext_lazy("Costs and payment"), {"fields": ("cost", "tariff", "payment_method")}),
        (gettext_lazy("Disputes and termination"), {"fields": (
            "dispute_resolution", "dispute_negotiation_days", "termination",
        )}),
        (gettext_lazy("Document"), {"fields": ("document_version", "edited")}),
    )

    @admin.display(description=gettext_lazy("last edited"), ordering="last_edited")
    def edited(self, service: Service) -> str:
        return format_jalali(service.last_edited)


# The working calendar and the static pages have their own admin modules; importing them
# here (admin autodiscovery reads admin.py) registers them.
from . import admin_calendar, admin_pages  # noqa: E402,F401
