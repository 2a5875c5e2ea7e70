"""The monitoring unit's triage tool: read-only cases, changed only through workflow actions.

Nothing here writes a case directly. The change form is entirely read-only; bulk actions and the
buttons on a case's page run `complaints.admin_actions`, which call `complaints.services`. The list
is built to stay fast at a million cases: joined in one query, ordered by an indexed column,
searched on indexed columns when the query is a number, and counted only up to a bound.
"""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sajad import calendar_display
from sajad.jalali import format_jalali
from sajad.paginator import BoundedCountPaginator, TextSearchPaginator
from sajad.templatetags.sajad_tags import tracking_display

from . import escalation, roles, selectors, services, sla
from .admin_actions import STAFF_ACTIONS, StaffAction, apply_to_cases
from .admin_filters import EscalationLevelFilter, JalaliDateRangeFilter
from .models import (
    AnswerTemplate, Attachment, Case, CaseClock, CaseEvent, EventKind, ExternalTopic,
)
from .workflow import Action, Role, Status, allowed_actions

# Selecting "all" across pages applies an action case by case; beyond this, narrow the list first.
BULK_LIMIT = 500

STATUS_COLOURS = {
    Status.SUBMITTED: "#1d4ed8",
    Status.ASSIGNED: "#0e7490",
    Status.WAITING_CITIZEN: "#a16207",
    Status.RETURNED: "#b45309",
    Status.ANSWERED: "#7c3aed",
    Status.PUBLISHED: "#15803d",
    Status.OBJECTED: "#be123c",
    Status.CLOSED: "#4b5563",
    Status.REJECTED: "#6b7280",
    Status.MERGED: "#6b7280",
    Status.REFERRED: "#475569",
}

DEADLINE_COLOURS = {"overdue": "#b91c1c", "soon": "#b45309", "ok": "#15803d"}

AUDIT_EVENT_KINDS = (EventKind.VIEWED, EventKind.ATTACHMENT_VIEWED)

ROLE_LABELS = {
    Role.CITIZEN: gettext_lazy("citizen"),
    Role.MONITORING: gettext_lazy("monitoring expert"),
    Role.MONITORING_HEAD: gettext_lazy("monitoring head"),
    Role.UNIT: gettext_lazy("unit staff"),
    Role.SYSTEM: gettext_lazy("system"),
}


def _short(name: str, length: int = 28) -> str:
    """A long catalogue name cut for a list column, the full name kept as a tooltip."""
    short = Truncator(name).chars(length)
    return format_html('<span title="{}">{}</span>', name, short) if short != name else name


def status_badge(status: str) -> str:
    return format_html(
        '<span class="case-status" style="background:{}">{}</span>',
        STATUS_COLOURS.get(status, "#4b5563"), Status(status).label,
    )


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows and nothing else: no add, change or delete, ever."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TimelineInline(ReadOnlyInline):
    model = CaseEvent
    verbose_name = gettext_lazy("timeline entry")
    verbose_name_plural = gettext_lazy("timeline")
    fields = ("when", "kind", "actor_display", "transition", "note", "visibility")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).exclude(kind__in=AUDIT_EVENT_KINDS)
            .select_related("actor").order_by("created_at", "id")
        )

    @admin.display(description=gettext_lazy("time"))
    def when(self, event: CaseEvent) -> str:
        return format_jalali(event.created_at)

    @admin.display(description=gettext_lazy("actor"))
    def actor_display(self, event: CaseEvent) -> str:
        role = ROLE_LABELS.get(event.actor_role, event.actor_role)
        if event.actor is None:
            return str(role or "—")
        return f"{event.actor.get_username()} ({role})" if role else event.actor.get_username()

    @admin.display(description=gettext_lazy("from → to"))
    def transition(self, event: CaseEvent) -> str:
        if not event.to_status or event.from_status == event.to_status:
            return event.get_to_status_display() if not event.from_status else "—"
        if not event.from_status:
            return event.get_to_status_display()
        return f"{event.get_from_status_display()} ← {event.get_to_status_display()}"

    @admin.display(description=gettext_lazy("visible to"))
    def visibility(self, event: CaseEvent) -> str:
        return _("citizen") if event.is_public else _("staff only")


class AccessLogInline(TimelineInline):
    """Who opened the citizen's personal data and attachments (§4: every staff view is logged)."""

    verbose_name = gettext_lazy("access log entry")
    verbose_name_plural = gettext_lazy("staff access log")
    fields = ("when", "kind", "actor_display")
    readonly_fields = fields
    classes = ("collapse",)

    def get_queryset(self, request):
        return (
            CaseEvent.objects.filter(kind__in=AUDIT_EVENT_KINDS)
            .select_related("actor").order_by("-created_at", "-id")
        )


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("download", "file_type", "size_display", "uploaded")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("file name"))
    def download(self, attachment: Attachment) -> str:
        url = reverse("complaints:staff_attachment", args=[attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)

    @admin.display(description=gettext_lazy("file type"))
    def file_type(self, attachment: Attachment) -> str:
        return {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}.get(
            attachment.content_type, attachment.content_type)

    @admin.display(description=gettext_lazy("size"))
    def size_display(self, attachment: Attachment) -> str:
        return filesizeformat(attachment.size)

    @admin.display(description=gettext_lazy("uploaded at"))
    def uploaded(self, attachment: Attachment) -> str:
        return format_jalali(attachment.uploaded_at)


def _bulk(spec: StaffAction):
    """Turn a StaffAction into a Django admin action bound to CaseAdmin.run_bulk."""

    def action(modeladmin, request, queryset):
        return modeladmin.run_bulk(request, queryset, spec)

    action.__name__ = f"bulk_{spec.action.value}"
    return admin.action(description=spec.label, permissions=["change"])(action)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = (
        "tracking", "kind", "short_subject", "service_name", "unit_name", "status_display",
        "priority", "deadline", "filed",
    )
    list_display_links = ("tracking",)
    list_filter = (
        "status", "is_overdue", EscalationLevelFilter, "kind", "unit", "service", "priority",
        JalaliDateRangeFilter,
    )
    list_select_related = ("service", "unit")
    list_per_page = 50
    ordering = ("-created_at", "-id")
    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # The real search is get_search_results; this only makes the search box appear.
    search_fields = ("tracking_number",)
    search_help_text = gettext_lazy(
        "A tracking number, mobile or national code (any digits, dashes allowed) finds the exact "
        "case; any other text is looked up in the subject, the citizen's name and the "
        "description, however it is spelled (with or without half-spaces, hamza, Arabic letters)."
    )
    autocomplete_fields = ("unit", "service", "merged_into")
    actions = [_bulk(spec) for spec in STAFF_ACTIONS.values() if spec.bulk]
    inlines = (TimelineInline, AttachmentInline, AccessLogInline)
    fieldsets = (
        (None, {"fields": (
            "tracking", "status_display", "kind", "priority", "service", "unit", "merged_into_link",
            "referred_body_name", "referred_body_url",
        )}),
        (gettext_lazy("Deadlines"), {"fields": ("deadline", "clocks_display", "escalation_display")}),
        (gettext_lazy("Case"), {"fields": ("subject", "description")}),
        (gettext_lazy("Citizen"), {"fields": (
            "identity_tier", "full_name", "national_code", "mobile", "email",
        )}),
        (gettext_lazy("Times"), {"fields": ("filed", "status_changed", "updated")}),
    )

    # --- list columns ----------------------------------------------------------------------

    @admin.display(description=gettext_lazy("tracking number"), ordering="tracking_number")
    def tracking(self, case: Case) -> str:
        return format_html('<span dir="ltr">{}</span>', tracking_display(case.tracking_number))

    @admin.display(description=gettext_lazy("subject"))
    def short_subject(self, case: Case) -> str:
        return Truncator(case.subject).chars(60)

    @admin.display(description=gettext_lazy("service"), ordering="service__name")
    def service_name(self, case: Case) -> str:
        return _short(case.service.name)

    @admin.display(description=gettext_lazy("unit"), ordering="unit__name")
    def unit_name(self, case: Case) -> str:
        return _short(case.unit.name) if case.unit_id else "—"

    @admin.display(description=gettext_lazy("merged into"))
    def merged_into_link(self, case: Case) -> str:
        """The surviving case as a link to its page, not a raw id."""
        if not case.merged_into_id:
            return "—"
        target = case.merged_into
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:complaints_case_change", args=[target.pk]),
            tracking_display(target.tracking_number),
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_display(self, case: Case) -> str:
        return status_badge(case.status)

    @admin.display(description=gettext_lazy("filed at"), ordering="created_at")
    def filed(self, case: Case) -> str:
        return format_jalali(case.created_at)

    @admin.display(description=gettext_lazy("status changed at"))
    def status_changed(self, case: Case) -> str:
        return format_jalali(case.status_changed_at)

    @admin.display(description=gettext_lazy("updated at"))
    def updated(self, case: Case) -> str:
        return format_jalali(case.updated_at)

    def get_queryset(self, request):
        # The nearest running deadline per case, as one correlated look-up per row shown
        # (over the clock index); the bounded count leaves it out.
        nearest = CaseClock.objects.filter(case=OuterRef("pk"), due_at__isnull=False).order_by("due_at")
        return super().get_queryset(request).annotate(
            next_due=Subquery(nearest.values("due_at")[:1])
        )

    @admin.display(description=gettext_lazy("deadline"), ordering="next_due")
    def deadline(self, case: Case) -> str:
        """An SLA badge: working time left before the nearest deadline, or how long overdue."""
        due = getattr(case, "next_due", None)
        if due is None:
            return "—"
        state = calendar_display.deadline_state(due)
        return format_html(
            '<span class="case-deadline" style="color:{}" title="{}">{}</span>',
            DEADLINE_COLOURS[state.state], format_jalali(due), state.label,
        )

    @admin.display(description=gettext_lazy("escalation"))
    def escalation_display(self, case: Case) -> str:
        return escalation.rung(case.escalation_level).label

    @admin.display(description=gettext_lazy("SLA clocks"))
    def clocks_display(self, case: Case) -> str:
        calendar = calendar_display.display_calendar()
        rows = [
            (clock.get_clock_display(), sla.clock_summary(clock, calendar=calendar)[1])
            for clock in CaseClock.objects.filter(case=case).order_by("started_at", "id")
        ]
        if not rows:
            return "—"
        items = format_html_join("", "<li><strong>{}</strong>: {}</li>", rows)
        return format_html('<ul class="case-clocks">{}</ul>', items)

    # --- permissions: monitoring staff only, read-only form, no add or delete ----------------

    def _is_monitoring(self, request) -> bool:
        return roles.is_monitoring(request.user)

    def has_module_permission(self, request):
        return self._is_monitoring(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._is_monitoring(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._is_monitoring(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    # --- search ----------------------------------------------------------------------------

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """A text search counts to a lower bound: matches are re-checked row by row in the table.

        Counting 10,001 matches of two common words reads ~100,000 rows (0.6 s at a million
        cases); 1,001 reads a tenth of that. Past a thousand matches the expert narrows the
        search anyway, and the list says "more than 1,000".
        """
        if selectors.case_search_is_text(request.GET.get("q", "")):
            return TextSearchPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def get_search_results(self, request, queryset, search_term):
        """Exact numbers or Persian-normalised words, on indexed columns (`case_search_q`)."""
        query = selectors.case_search_q(search_term)
        if query is None:
            return queryset, False
        return queryset.filter(query), False

    # --- bulk actions ----------------------------------------------------------------------

    def run_bulk(self, request, queryset, spec: StaffAction):
        """Show the action's form (if it has one), then apply it case by case and report."""
        cases = list(queryset.order_by("-created_at")[: BULK_LIMIT + 1])
        if len(cases) > BULK_LIMIT:
            self.message_user(request, _(
                "At most %(limit)d cases can be changed at once; narrow the list with a filter."
            ) % {"limit": BULK_LIMIT}, messages.ERROR)
            return None
        data: dict = {}
        if spec.confirm and spec.form_class is None and "apply" not in request.POST:
            # Publishing speaks to citizens and closing ends cases: first list what will change
            # (for an approval, the answers that would go out) and ask for confirmation.
            return self._action_page(request, spec, None, cases=cases)
        if spec.form_class is not None:
            form = spec.form_class(request.POST if "apply" in request.POST else None)
            if not form.is_bound or not form.is_valid():
                return self._action_page(request, spec, form, cases=cases)
            data = form.cleaned_data
        if spec.action == Action.MERGE:
            cases = [c for c in cases if c.pk != data["into"].pk]
        outcome = apply_to_cases(cases=cases, actor=request.user, spec=spec, data=data)
        self._report(request, spec, outcome)
        return None

    def _report(self, request, spec: StaffAction, outcome) -> None:
        if outcome.done:
            self.message_user(request, ngettext(
                "“%(action)s” was done for %(count)d case.",
                "“%(action)s” was done for %(count)d cases.",
                len(outcome.done),
            ) % {"action": spec.label, "count": len(outcome.done)}, messages.SUCCESS)
        for number, reason in outcome.refused:
            self.message_user(request, _("Case %(number)s was not changed: %(reason)s") % {
                "number": tracking_display(number), "reason": reason,
            }, messages.ERROR)

    def _action_page(self, request, spec: StaffAction, form, *, cases, case=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": spec.label,
            "spec": spec,
            "form": form,
            "cases": cases[:30],
            "more": max(0, len(cases) - 30),
            # Approving publishes the unit's answer: show the text that the citizen will read.
            "answers": self._pending_answers(cases[:30]) if spec.action == Action.APPROVE else {},
            "case": case,
            "selected_ids": [c.pk for c in cases] if case is None else [],
            "action_name": f"bulk_{spec.action.value}",
            "select_across": request.POST.get("select_across", "0"),
            "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "form_action": request.get_full_path(),
            "cancel_url": (
                reverse("admin:complaints_case_change", args=[case.pk]) if case
                else request.get_full_path()
            ),
        }
        return TemplateResponse(request, "admin/complaints/case/action_form.html", context)

    @staticmethod
    def _pending_answers(cases) -> dict[int, str]:
        """Each case's latest answer from its unit (one query), keyed by case id."""
        answers: dict[int, str] = {}
        for case_id, note in CaseEvent.objects.filter(
            case__in=cases, kind=Action.ANSWER,
        ).order_by("case_id", "-created_at", "-id").values_list("case_id", "note"):
            answers.setdefault(case_id, note)
        return answers

    # --- a single case: audit the view, offer the workflow's buttons -------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/do/<str:action>/",
                self.admin_site.admin_view(self.case_action_view),
                name="complaints_case_action",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, unquote(object_id))
        if case is None or not self.has_view_permission(request, case):
            return super().change_view(request, object_id, form_url, extra_context)
        if request.method != "GET":
            # The form is read-only; changes go through the action buttons only.
            return HttpResponseRedirect(request.path)
        services.case_record_staff_view(case=case, actor=request.user)
        role = roles.role_on_case(request.user, case)
        buttons = [
            (STAFF_ACTIONS[action].label,
             reverse("admin:complaints_case_action", args=[case.pk, action.value]))
            for action in allowed_actions(case.status, role) if action in STAFF_ACTIONS
        ] if role else []
        extra_context = {
            **(extra_context or {}), "case_actions": buttons,
            "title": _("Case %(kind)s") % {"kind": case.get_kind_display()},
            "subtitle": tracking_display(case.tracking_number),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            show_save=False, show_save_and_continue=False, show_save_and_add_another=False,
            show_delete=False,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def case_action_view(self, request, object_id, action):
        """One workflow action on one case: GET shows its form, POST calls the service."""
        try:
            spec = STAFF_ACTIONS[Action(action)]
        except ValueError as exc:
            raise Http404 from exc
        except KeyError as exc:
            raise Http404 from exc
        case = self.get_object(request, unquote(object_id))
        if case is None or not self.has_change_permission(request, case):
            raise Http404
        change_url = reverse("admin:complaints_case_change", args=[case.pk])
        form = None
        if spec.form_class is not None:
            form = spec.form_class(request.POST if request.method == "POST" else None)
        if request.method != "POST" or (form is not None and not form.is_valid()):
            return self._action_page(request, spec, form, cases=[case], case=case)
        data = form.cleaned_data if form is not None else {}
        self._report(request, spec, apply_to_cases(
            cases=[case], actor=request.user, spec=spec, data=data,
        ))
        return HttpResponseRedirect(change_url)


@admin.register(ExternalTopic)
class ExternalTopicAdmin(admin.ModelAdmin):
    list_display = ("title", "body_name", "link", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "body_name")

    @admin.display(description=gettext_lazy("link"))
    def link(self, topic: ExternalTopic) -> str:
        return format_html('<a href="{0}" dir="ltr" rel="noopener">{0}</a>', topic.url)


# Routing rules and SLA policies have their own module; importing it registers them.
from . import admin_sla  # noqa: E402,F401


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    """Ready texts for the desk's answer box: global ones, and each unit's own."""

    list_display = ("label", "unit", "key", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active", "unit")
    list_select_related = ("unit",)
    search_fields = ("label", "text")
    autocomplete_fields = ("unit",)
