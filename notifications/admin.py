"""The outbox in admin: read-only, for administrators following a message's delivery."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sajad.jalali import format_jalali

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created", "channel", "recipient", "template", "about_label", "state", "attempts",
                    "sent")
    list_filter = ("state", "channel", "template")
    search_fields = ("recipient", "about_label")
    show_full_result_count = False
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, row: Message) -> str:
        return format_jalali(row.created_at)

    @admin.display(description=_("sent at"), ordering="sent_at")
    def sent(self, row: Message) -> str:
        return format_jalali(row.sent_at)
