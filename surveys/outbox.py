"""Every message the surveys app sends, in one place, through the shared outbox.

Each function runs inside its caller's transaction; `notifications.api.message_queue` writes the
row once per dedupe key and has it delivered after commit.
"""
from django.urls import reverse

from notifications.api import Channel, message_queue

from .models import Invitation


def _survey_url(invitation: Invitation) -> str:
    return reverse("surveys:invited", kwargs={"token": invitation.token})


def invitation_send(*, invitation: Invitation, reminder: bool = False) -> None:
    """The invitation (or its one reminder) by SMS and e-mail, to whatever the case has."""
    template = "survey_reminder" if reminder else "survey_invitation"
    stem = "survey-rem" if reminder else "survey-inv"
    context = {"survey_path": _survey_url(invitation), "tracking_number": invitation.case.tracking_number,
               "service_name": invitation.service.name}
    if invitation.mobile:
        message_queue(template=template, channel=Channel.SMS, recipient=invitation.mobile, context=context,
                      dedupe_key=f"{stem}:{invitation.pk}:sms", about=invitation)
    if invitation.email:
        message_queue(template=template, channel=Channel.EMAIL, recipient=invitation.email, context=context,
                      dedupe_key=f"{stem}:{invitation.pk}:email", about=invitation)


def monitoring_alarm(*, recipients: list[str], episode, service, rules_text: str, plan) -> None:
    """Tell the monitoring unit that the watch raised an alarm on a service (one message per episode)."""
    context = {"service_name": service.name, "rules_text": rules_text, "details": episode.details,
               "plan_path": reverse("admin:surveys_improvementplan_change", args=[plan.pk]) if plan else ""}
    for address in recipients:
        message_queue(template="survey_watch_alarm", channel=Channel.EMAIL, recipient=address, context=context,
                      dedupe_key=f"watch-alarm:{episode.pk}:{address}"[:120], about=episode)


def action_due_reminder(*, recipients: list[str], action, due_text: str) -> None:
    context = {"plan_title": action.plan.title, "action": action.description, "due_text": due_text}
    for address in recipients:
        message_queue(template="plan_action_due", channel=Channel.EMAIL, recipient=address, context=context,
                      dedupe_key=f"plan-due:{action.pk}:{action.due_date}:{address}"[:120], about=action)


def plan_completed_to_citizen(*, plan, case) -> None:
    context = {"plan_title": plan.title, "tracking_number": case.tracking_number,
               "improvements_path": reverse("improvements")}
    if case.mobile:
        message_queue(template="plan_completed_citizen", channel=Channel.SMS, recipient=case.mobile,
                      context=context, dedupe_key=f"plan-done:{plan.pk}:{case.pk}:sms", about=plan)
    if case.email:
        message_queue(template="plan_completed_citizen", channel=Channel.EMAIL, recipient=case.email,
                      context=context, dedupe_key=f"plan-done:{plan.pk}:{case.pk}:email", about=plan)
