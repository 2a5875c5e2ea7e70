"""Admin for the editable public pages (e.g. /participation/): title, body and publishing only."""
from django.contrib import admin
from django.utils.translation import gettext_lazy

from .jalali import format_jalali
from .models import StaticPage


@admin.register(StaticPage)
class StaticPageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "is_published", "edited")
    list_filter = ("is_published",)
    search_fields = ("title", "body")
    readonly_fields = ("edited",)
    fields = ("title", "slug", "body", "is_published", "edited")

    def get_readonly_fields(self, request, obj=None):
        # The public URL of a shipped page is fixed in sajad/urls.py; renaming it would break it.
        if obj is not None:
            return ("slug", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=gettext_lazy("last edited"), ordering="updated_at")
    def edited(self, page: StaticPage) -> str:
        return format_jalali(page.updated_at)
