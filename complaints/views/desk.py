"""The unit desk (/desk/): a department's inbox, case page and the unit's workflow actions.

Thin views: `desk_view` lets in unit staff only (others get a 403 page, visitors the desk login);
every case read goes through `selectors.case_get_for_staff`, so another unit's case is the same
404 as a missing one; every POST calls one service and redirects back (PRG), turning a
`DomainError` into a message.
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sajad import calendar_display
from sajad.errors import DomainError

from .. import escalation, roles, selectors, services, sla
from ..desk_forms import AnswerForm, AssignStaffForm, InternalNoteForm, ReturnForm, RequestInfoForm
from ..models import CaseClock
from ..workflow import Action, Role, Status, allowed_actions

PAGE_SIZE = 25

TAB_LABELS = {
    "open": gettext_lazy("All open"),
    "needs_answer": gettext_lazy("Needs an answer"),
    "waiting": gettext_lazy("Waiting for the citizen"),
    "answered": gettext_lazy("Answered, awaiting approval"),
}


def desk_view(view):
    """Unit staff only: visitors go to the desk login, other users get a polite 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("desk:login"))
        if roles.staff_role(request.user) != Role.UNIT:
            return render(request, "complaints/desk/forbidden.html", {
                "is_monitoring": roles.is_monitoring(request.user),
            }, status=403)
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _deadline(case, *, calendar, now) -> dict:
    """The inbox's SLA cell: working time left (or overdue) on the unit's answer clock."""
    due = case.answer_due
    if due is None:
        if case.status == Status.WAITING_CITIZEN and case.answer_minutes_left is not None:
            return {"state": "paused", "label": _("Paused; %(time)s left") % {
                "time": calendar_display.describe_working_minutes(max(case.answer_minutes_left, 0))}}
        return {"state": "none", "label": "—"}
    state = calendar_display.deadline_state(due, now=now, calendar=calendar)
    return {"state": state.state, "due": due, "label": state.label}


@require_GET
@desk_view
def inbox(request):
    number = request.GET.get("number", "").strip()
    if number:
        found = selectors.desk_case_find(user=request.user, tracking_number=number)
        if found is not None:
            return redirect("desk:case", found.pk)
        messages.warning(request, _("None of your unit's cases has the tracking number %(number)s.")
                         % {"number": number})
    tab = request.GET.get("tab", "open")
    if tab not in selectors.DESK_TABS:
        tab = "open"
    mine = request.GET.get("mine") == "1"
    page = Paginator(selectors.desk_inbox(user=request.user, tab=tab, mine=mine), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    calendar, now = calendar_display.display_calendar(), timezone.now()
    # New since this member last looked: cases that reached the unit (or came back) after that.
    seen = request.user.unit_membership.desk_seen_at
    rows = [{"case": case, "deadline": _deadline(case, calendar=calendar, now=now),
             "is_new": seen is not None and case.status == Status.ASSIGNED
             and case.status_changed_at > seen} for case in page]
    services.desk_visit_record(user=request.user, now=now)
    counts = selectors.desk_inbox_counts(user=request.user)
    return render(request, "complaints/desk/inbox.html", {
        "page": page,
        "rows": rows,
        "tab": tab,
        "mine": mine,
        "tabs": [(key, label, counts[key]) for key, label in TAB_LABELS.items()],
        "unit_name": request.user.unit_membership.unit.name,
    })


def _clocks(case) -> list[dict]:
    calendar, now = calendar_display.display_calendar(), timezone.now()
    rows = []
    for clock in CaseClock.objects.filter(case=case).order_by("started_at", "id"):
        state, text = sla.clock_summary(clock, now=now, calendar=calendar)
        rows.append({"clock": clock, "state": state, "text": text})
    return rows


def _render_case(request, case, *, forms=None, status=200):
    """The case page; every render shows personal data, so every render is recorded (§4)."""
    services.case_record_staff_view(case=case, actor=request.user)
    actions = allowed_actions(case.status, Role.UNIT)
    forms = forms or {}
    sent_back = selectors.desk_sent_back(case)
    return render(request, "complaints/desk/case.html", {
        "case": case,
        "unit_name": case.unit.name if case.unit else "",
        "citizen": selectors.citizen_for_unit(case),
        "timeline": selectors.desk_timeline(case),
        "attachments": list(case.attachments.all()),
        # Cases merged into this one: their text and files are part of what the unit answers.
        "merged_cases": list(case.merged_cases.prefetch_related("attachments").order_by("created_at")),
        "clocks": _clocks(case),
        # The rung's label is the ladder's own (complaints/escalation.py), as in admin.
        "escalation": escalation.rung(case.escalation_level) if case.escalation_level else None,
        "can_answer": Action.ANSWER in actions,
        "can_request_info": Action.REQUEST_INFO in actions,
        "can_return": Action.RETURN_TO_MONITORING in actions,
        "sent_back": sent_back,
        # A sent-back answer comes back into the box, to be corrected rather than retyped.
        "answer_form": forms.get("answer") or AnswerForm(
            initial={"text": sent_back["previous_answer"]} if sent_back else None, unit=case.unit),
        "info_form": forms.get("info") or RequestInfoForm(),
        "return_form": forms.get("return") or ReturnForm(),
        "note_form": forms.get("note") or InternalNoteForm(),
        # The head hands the case to a colleague (services.case_assign_to_staff checks again).
        "assign_form": (forms.get("assign") or AssignStaffForm(
            unit=case.unit, initial={"assignee": case.assignee_id}))
        if _is_head_of(request.user, case) and case.status in services.STAFF_ASSIGNABLE else None,
    }, status=status)


def _is_head_of(user, case) -> bool:
    membership = getattr(user, "unit_membership", None)
    return bool(membership and membership.is_head and membership.unit_id == case.unit_id)


@require_GET
@desk_view
def case_detail(request, case_id: int):
    case = selectors.case_get_for_staff(user=request.user, case_id=case_id)
    return _render_case(request, case)


def _act(request, case_id: int, *, form_class, key: str, call, done: str, per_unit=False):
    """One POST: gate, bind, one service call, then back to the case page with a message."""
    case = selectors.case_get_for_staff(user=request.user, case_id=case_id)
    form = form_class(request.POST, unit=case.unit) if per_unit else form_class(request.POST)
    if not form.is_valid():
        return _render_case(request, case, forms={key: form}, status=400)
    try:
        call(case, form)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("desk:case", case_id=case.pk)


@require_POST
@desk_view
def case_answer(request, case_id: int):
    return _act(
        request, case_id, form_class=AnswerForm, key="answer",
        call=lambda case, form: services.case_answer(
            case_id=case.pk, actor=request.user, text=form.answer_text()),
        per_unit=True,
        done=_("Your answer was sent to the monitoring unit for approval."),
    )


@require_POST
@desk_view
def case_request_info(request, case_id: int):
    return _act(
        request, case_id, form_class=RequestInfoForm, key="info",
        call=lambda case, form: services.case_request_info(
            case_id=case.pk, actor=request.user, question=form.cleaned_data["question"]),
        done=_("The citizen was asked for more information; the deadline is paused."),
    )


@require_POST
@desk_view
def case_return(request, case_id: int):
    return _act(
        request, case_id, form_class=ReturnForm, key="return",
        call=lambda case, form: services.case_return_to_monitoring(
            case_id=case.pk, actor=request.user, reason=form.cleaned_data["reason"]),
        done=_("The case was returned to the monitoring unit."),
    )


@require_POST
@desk_view
def case_assign_staff(request, case_id: int):
    case = selectors.case_get_for_staff(user=request.user, case_id=case_id)
    form = AssignStaffForm(request.POST, unit=case.unit)
    if not form.is_valid():
        return _render_case(request, case, forms={"assign": form}, status=400)
    assignee = form.cleaned_data["assignee"]
    try:
        services.case_assign_to_staff(case_id=case.pk, actor=request.user, assignee=assignee)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The case was assigned to %(name)s, who has been told.") % {
            "name": assignee.get_full_name() or assignee.get_username()})
    return redirect("desk:case", case_id=case.pk)


@require_POST
@desk_view
def case_note(request, case_id: int):
    return _act(
        request, case_id, form_class=InternalNoteForm, key="note",
        call=lambda case, form: services.case_add_note(
            case_id=case.pk, actor=request.user, text=form.cleaned_data["text"]),
        done=_("Your note was added. The citizen does not see it."),
    )
