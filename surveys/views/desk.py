"""The owner unit's improvement actions on the desk (/desk/improvements/): see and report progress.

Unit staff only (as the rest of the desk); an action of another unit is the same 404 as none.
"""
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from complaints import roles
from complaints.workflow import Role
from sajad.errors import DomainError

from .. import selectors, services


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=gettext_lazy("Percent done"), min_value=0, max_value=100)
    note = forms.CharField(label=gettext_lazy("What was done"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


def unit_desk_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("desk:login"))
        if roles.staff_role(request.user) != Role.UNIT:
            return render(request, "complaints/desk/forbidden.html",
                          {"is_monitoring": roles.is_monitoring(request.user)}, status=403)
        return view(request, *args, **kwargs)
    return never_cache(wrapped)


@unit_desk_only
def actions(request):
    unit_id = roles.user_unit_id(request.user)
    items = [(action, ProgressForm(initial={"percent": action.percent_done}, prefix=f"a{action.pk}"))
             for action in selectors.actions_for_unit(unit_id=unit_id)]
    return render(request, "surveys/desk_actions.html", {"items": items,
                                                          "unit_name": request.user.unit_membership.unit.name})


@unit_desk_only
@require_POST
def action_progress(request, action_id: int):
    unit_id = roles.user_unit_id(request.user)
    action = selectors.action_get_for_unit(unit_id=unit_id, action_id=action_id)
    if action is None:
        raise Http404
    form = ProgressForm(request.POST, prefix=f"a{action.pk}")
    if not form.is_valid():
        messages.error(request, _("The percentage must be a whole number from 0 to 100."))
        return redirect("surveys_desk:actions")
    try:
        services.action_report_progress(action_id=action.pk, actor=request.user, unit_id=unit_id,
                                        percent=form.cleaned_data["percent"], note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Progress recorded."))
    return redirect("surveys_desk:actions")
