"""Admin for routing rules and SLA policies (administrators' tools); imported by complaints/admin.py."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sajad.calendar_display import display_calendar
from sajad.jalali import format_jalali
from sajad.persian import to_persian_digits
from sajad.queue import enqueue_on_commit

from .models import RoutingRule, SlaPolicy


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "service", "kind", "keywords_short", "unit", "priority", "is_active")
    list_display_links = ("name",)
    list_editable = ("order", "is_active")
    list_filter = ("is_active", "kind", "unit")
    list_select_related = ("service", "unit")
    search_fields = ("name", "keywords")
    autocomplete_fields = ("service", "unit")
    ordering = ("order", "id")

    @admin.display(description=_("keywords"))
    def keywords_short(self, rule: RoutingRule) -> str:
        text = " ، ".join(k.strip() for k in rule.keywords.replace("،", ",").split(",") if k.strip())
        return text[:80]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "service", "kind", "priority", "first_response_minutes",
                    "unit_answer_minutes", "resolution_minutes", "is_active", "updated")
    list_filter = ("is_active", "kind", "priority")
    list_select_related = ("service",)
    search_fields = ("name",)
    autocomplete_fields = ("service",)
    fieldsets = (
        (None, {"fields": ("name", "is_active")}),
        (_("Applies to"), {"fields": ("service", "kind", "priority"),
                            "description": _("Leave a field empty to apply to every value.")}),
        (_("Clocks (working minutes)"),
         {"fields": ("first_response_minutes", "unit_answer_minutes", "resolution_minutes")}),
        (_("Reminders and escalation"),
         {"fields": ("reminder_percents", "escalate_to_monitoring_after_days",
                     "escalate_to_deputy_after_days")}),
    )

    @admin.display(description=_("updated at"), ordering="updated_at")
    def updated(self, policy: SlaPolicy) -> str:
        return format_jalali(policy.updated_at)

    def get_fieldsets(self, request, obj=None):
        # The clocks' help names the length of a working day as the working week now sets it.
        day = to_persian_digits(str(display_calendar().typical_day_minutes()))
        return [
            (name, {**options, "description": _("One working day is %(minutes)s minutes.")
                    % {"minutes": day}}) if name == _("Clocks (working minutes)") else (name, options)
            for name, options in self.fieldsets
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recompute_after_commit(_("SLA policy “%(name)s” changed") % {"name": obj.name})

    def delete_model(self, request, obj):
        name = obj.name
        super().delete_model(request, obj)
        _recompute_after_commit(_("SLA policy “%(name)s” deleted") % {"name": name})


def _recompute_after_commit(reason) -> None:
    enqueue_on_commit("complaints.recompute_deadlines", str(reason))
