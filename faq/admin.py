"""FAQ admin: editors write questions and answers; saving goes through faq.services."""
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import services
from .models import FaqCategory, FaqEntry
from .search import search_keys


class CategoryEntriesInline(admin.TabularInline):
    model = FaqEntry
    fields = ["question", "is_published", "order"]
    readonly_fields = ["question", "is_published", "order"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FaqCategory)
class FaqCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "order"]
    list_editable = ["order"]
    list_filter = [("service", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["service"]
    search_fields = ["name", "service__name"]
    autocomplete_fields = ["service"]
    inlines = [CategoryEntriesInline]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = [
        "question", "category", "is_published", "order", "view_count", "helpful_yes", "helpful_no",
        "updated",
    ]
    list_filter = ["is_published", ("category__service", admin.RelatedOnlyFieldListFilter), "category"]
    list_select_related = ["category__service"]
    list_editable = ["is_published", "order"]
    autocomplete_fields = ["category"]
    readonly_fields = ["view_count", "helpful_yes", "helpful_no", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["category", "question", "answer", "is_published", "order"]}),
        (_("Reader feedback"), {"fields": ["view_count", "helpful_yes", "helpful_no", "created", "updated"]}),
    ]
    show_full_result_count = False
    search_fields = ["question"]  # the real search is get_search_results below
    actions = ["publish", "unpublish"]

    def get_search_results(self, request, queryset, search_term):
        """Search the normalised columns, so «ميخواهم» finds «می‌خواهم» here too."""
        spaced, compact = search_keys(search_term)
        if not compact:
            return queryset, False
        match = Q()
        for word in spaced.split():
            match &= Q(search_compact__contains=word)
        return queryset.filter(match), False

    def save_model(self, request, obj, form, change) -> None:
        services.faq_entry_save(entry=obj, actor=request.user)

    @admin.action(description=_("Publish the selected entries"))
    def publish(self, request, queryset) -> None:
        for entry in queryset:
            services.faq_entry_update(entry=entry, is_published=True, actor=request.user)

    @admin.action(description=_("Unpublish the selected entries"))
    def unpublish(self, request, queryset) -> None:
        for entry in queryset:
            services.faq_entry_update(entry=entry, is_published=False, actor=request.user)
