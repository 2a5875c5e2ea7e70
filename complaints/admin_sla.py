"""Admin for routing rules, SLA policies and the notification outbox (administrators' tools)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sajad.jalali import format_jalali
from sajad.queue import enqueue_on_commit

from .models import Notification, RoutingRule, SlaPolicy


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
        (_("Clocks (working minutes; one working day is 420)"),
         {"fields": ("first_response_minutes", "unit_answer_minutes", "resolution_minutes")}),
        (_("Reminders and escalation"),
         {"fields": ("reminder_percents", "escalate_to_monitoring_after_days",
                     "escalate_to_deputy_after_days")}),
    )

    @admin.display(description=_("updated at"), ordering="updated_at")
    def updated(self, policy: SlaPolicy) -> str:
        return format_jalali(policy.updated_at)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recompute_after_commit(_("SLA policy “%(name)s” changed") % {"name": obj.name})

    def delete_model(self, request, obj):
        name = obj.name
        super().delete_model(request, obj)
        _recompute_after_commit(_("SLA policy “%(name)s” deleted") % {"name": name})


def _recompute_after_commit(reason) -> None:
    from .tasks import recompute_deadlines

    enqueue_on_commit(recompute_deadlines, str(reason))


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created", "channel", "recipient", "template", "case", "state", "attempts", "sent")
    list_filter = ("state", "channel", "template")
    list_select_related = ("case",)
    search_fields = ("recipient", "case__tracking_number")
    show_full_result_count = False
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, row: Notification) -> str:
        return format_jalali(row.created_at)

    @admin.display(description=_("sent at"), ordering="sent_at")
    def sent(self, row: Notification) -> str:
        return format_jalali(row.sent_at)
