"""Which case step sends which message to whom. Delivery itself is the `notifications` app's.

Called inside the step's transaction (services, the SLA sweep's digests), so a message is written
exactly when its step is, and never for a step that rolled back.
"""
from django.conf import settings
from django.urls import reverse

from sajad.models import Unit

from notifications.api import Channel, Message, deliver_on_commit, message_build

from .models import Case

# Which message each step sends to the citizen (§3.1 "Notifications").
CITIZEN_TEMPLATES = {
    "filed": "citizen_filed",
    "request_info": "citizen_info_requested",
    "approve": "citizen_answer_published",
    "close": "citizen_closed",
    "uphold": "citizen_closed",
}
UNIT_TEMPLATES = {"assign": "unit_new_case", "reopen": "unit_new_case", "send_back": "unit_new_case"}
# Digests of the SLA sweep: written in bulk by SQL, rendered at delivery (see digest_context).
DIGEST_TEMPLATES = ("sla_reminder", "sla_escalation")
DIGEST_MAX_LINES = 50


def _store(message: Message) -> None:
    # Every key here starts with the id of the event written in the caller's transaction, so no
    # row holds it yet: one INSERT, no look-up (`message_queue`'s get_or_create).
    message.save(force_insert=True)
    deliver_on_commit(message)


def _build(*, case: Case, template: str, channel: str, recipient: str, key: str) -> Message:
    return message_build(
        template=template, channel=channel, recipient=recipient, context={"case": case},
        dedupe_key=key, about=case, about_label=case.tracking_number,
    )


def _queue(**message) -> None:
    _store(_build(**message))


def citizen_step_messages(*, case: Case, step: str, event_key: str) -> list[Message]:
    """The citizen's messages of a step (SMS to the mobile, e-mail to the address), built but not
    stored; their keys start with `event_key`, "e<the step's event id>"."""
    template = CITIZEN_TEMPLATES.get(step)
    if not template:
        return []
    return [
        _build(case=case, template=template, channel=channel, recipient=recipient,
               key=f"{event_key}:{channel.value}")
        for channel, recipient in ((Channel.SMS, case.mobile), (Channel.EMAIL, case.email))
        if recipient
    ]


def notify_case_step(*, case: Case, step: str, event_id: int) -> None:
    """Write the outbox rows a step calls for; must run inside the step's transaction."""
    for message in citizen_step_messages(case=case, step=step, event_key=f"e{event_id}"):
        _store(message)
    if step == "approve":
        # Citizens whose cases were merged into this one hear of the answer too, each with their
        # own tracking number (the answer shows on their own tracking page).
        for merged in case.merged_cases.all():
            if merged.mobile:
                _queue(case=merged, template="citizen_answer_published", channel=Channel.SMS,
                       recipient=merged.mobile, key=f"e{event_id}:merged{merged.pk}:sms")
            if merged.email:
                _queue(case=merged, template="citizen_answer_published", channel=Channel.EMAIL,
                       recipient=merged.email, key=f"e{event_id}:merged{merged.pk}:email")
    if step == "citizen_escalation":
        # The monitoring unit owns escalations; the responsible unit hears of it too.
        targets = [u for u in (case.unit, Unit.objects.filter(is_monitoring=True).first()) if u]
        for address in dict.fromkeys(a for u in targets for a in unit_addresses(u)):
            _queue(case=case, template="unit_citizen_escalation", channel=Channel.EMAIL,
                   recipient=address, key=f"e{event_id}:unit:{address}")
    template = UNIT_TEMPLATES.get(step)
    if template and case.unit_id:
        for address in unit_addresses(case.unit):
            _queue(case=case, template=template, channel=Channel.EMAIL, recipient=address,
                   key=f"e{event_id}:unit:{address}")
        for mobile in unit_mobiles(case.unit):
            _queue(case=case, template=template, channel=Channel.SMS, recipient=mobile,
                   key=f"e{event_id}:unit-sms:{mobile}")


def notify_staff_assigned(*, case: Case, assignee, event_id: int) -> None:
    """Tell a staff member that their head gave them a case (e-mail, and SMS if a mobile is known)."""
    if assignee.email:
        _queue(case=case, template="staff_case_assigned", channel=Channel.EMAIL,
               recipient=assignee.email, key=f"e{event_id}:staff:email")
    mobile = getattr(getattr(assignee, "unit_membership", None), "mobile", "")
    if mobile:
        _queue(case=case, template="staff_case_assigned", channel=Channel.SMS, recipient=mobile,
               key=f"e{event_id}:staff:sms")


def unit_addresses(unit) -> list[str]:
    """The unit's shared mailbox and its heads' addresses, without duplicates."""
    addresses = [unit.email] if unit.email else []
    heads = unit.members.filter(is_head=True).exclude(user__email="").values_list("user__email", flat=True)
    return list(dict.fromkeys(addresses + list(heads)))


def unit_mobiles(unit) -> list[str]:
    """The mobiles of the unit's heads, for SMS about new cases (staff contacts, admin)."""
    return list(dict.fromkeys(
        unit.members.filter(is_head=True).exclude(mobile="").values_list("mobile", flat=True)))


def digest_context(stored: dict) -> dict:
    """The context of an SLA digest at delivery: the cases it lists, oldest first, and its link.

    The link opens the case itself when the digest names one, else the list: on the unit desk for
    unit staff (`desk`, set by the sweep), in admin for the monitoring unit (and for digests
    written before the flag existed).
    """
    case_ids = stored.get("case_ids", [])
    cases = list(
        Case.objects.filter(pk__in=case_ids).select_related("unit").order_by("created_at")
        [:DIGEST_MAX_LINES]
    )
    if stored.get("desk"):
        path = reverse("desk:case", args=[case_ids[0]]) if len(case_ids) == 1 else reverse("desk:inbox")
    else:
        path = (reverse("admin:complaints_case_change", args=[case_ids[0]]) if len(case_ids) == 1
                else reverse("admin:complaints_case_changelist"))
    return {"cases": cases, "count": len(case_ids), "more": max(len(case_ids) - len(cases), 0),
            "site_url": settings.SITE_URL, "link": settings.SITE_URL + path}
