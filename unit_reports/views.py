"""Desk pages of report calls: the unit's calls, its report (draft, files, submit), its files.

Thin views behind the desk's gate (unit staff only); every read goes through `selectors`, so a
call that did not ask the user's unit, or another unit's file, is the same 404 as a missing one.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints.views.desk import desk_view
from complaints.views.files import attachment_response
from sajad.errors import DomainError

from . import selectors, services
from .forms import ReportForm
from .self_assessment import self_assessment_draft


def _unit(request):
    return request.user.unit_membership.unit


@require_http_methods(["GET"])
@desk_view
def call_list(request):
    return render(request, "unit_reports/desk/list.html", {
        "calls": selectors.desk_calls(user=request.user),
        "unit_name": _unit(request).name,
    })


def _initial(desk_call, unit) -> dict:
    report = desk_call.report
    if report is None:
        return {"self_assessment": self_assessment_draft(unit=unit, period=desk_call.call.period)}
    initial = {"self_assessment": report.self_assessment}
    for answer in report.answers.all():
        initial[f"section_{answer.section_id}"] = answer.text
    return initial


@require_http_methods(["GET", "POST"])
@desk_view
def report_page(request, call_id: int):
    desk_call = selectors.desk_call_get(user=request.user, call_id=call_id)
    unit = _unit(request)
    sections = list(desk_call.call.sections.all())
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, sections=sections)
        if not form.is_valid():
            return _render(request, desk_call, unit, form, status=400)
        try:
            report = services.report_save(call=desk_call.call, unit=unit, answers=form.answers(),
                                 self_assessment=form.cleaned_data["self_assessment"],
                                 files=form.cleaned_data["files"], actor=request.user)
        except DomainError as exc:
            # Nothing was stored; the text typed stays on the page.
            messages.error(request, exc.message)
            return _render(request, desk_call, unit, form, status=400)
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft was saved. It is not submitted yet."))
        else:
            try:
                services.report_submit(report_id=report.pk, actor=request.user)
            except DomainError as exc:
                messages.error(request, "%s %s" % (exc.message, _("Your text was kept as a draft.")))
            else:
                messages.success(request, _("Your unit's report was submitted to the monitoring unit."))
        return redirect("desk_reports:report", call_id=desk_call.call.pk)
    return _render(request, desk_call, unit, ReportForm(initial=_initial(desk_call, unit),
                                                        sections=sections))


def _render(request, desk_call, unit, form, status=200):
    report = desk_call.report
    editable = desk_call.is_open and (report is None or report.status in services.EDITABLE)
    return render(request, "unit_reports/desk/report.html", {
        "desk_call": desk_call,
        "call": desk_call.call,
        "report": report,
        "form": form,
        "editable": editable,
        "is_head": request.user.unit_membership.is_head,
        "answers": list(report.answers.select_related("section")) if report else [],
        "files": list(report.files.all()) if report else [],
        "now": timezone.now(),
        "unit_name": unit.name,
    }, status=status)


@require_POST
@desk_view
def file_delete(request, call_id: int, file_id: int):
    desk_call = selectors.desk_call_get(user=request.user, call_id=call_id)
    if desk_call.report is None:
        return redirect("desk_reports:report", call_id=call_id)
    try:
        services.report_file_remove(report_id=desk_call.report.pk, file_id=file_id,
                                    actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file was removed from the report."))
    return redirect("desk_reports:report", call_id=call_id)


@require_http_methods(["GET"])
@desk_view
def file_download(request, file_id: int):
    return attachment_response(selectors.report_file_get_for_desk(user=request.user, file_id=file_id))
