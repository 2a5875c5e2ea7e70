"""The only code that changes a case. Views, admin, tasks and commands call these functions.

Each function owns its transaction, locks the case row, asks `workflow` whether the step is legal,
and writes the event in the same transaction. Refusals are `DomainError`s (or ValidationErrors for
bad input) with a message fit to show.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.api import deliver_on_commit
from sajad.errors import DomainError
from sajad.models import Service, Unit
from sajad.queue import enqueue_on_commit
from sajad.persian import normalize_digits, normalize_text
from sajad.validators import is_valid_mobile, is_valid_national_code, normalize_mobile

from . import escalation, notifications, roles, routing, sla, tracking
from .attachments import check_uploads
from .citizen_view import (
    answer_is_final, current_answer, escalation_open, rating_of_current_answer, rating_open,
)
from .events import actor_or_none as _actor_or_none, event_record
from .filing_store import EVENT_ID as FILED_EVENT_ID, FilingRows, ServiceClosed, filing_store
from .models import (
    Attachment, Case, CaseEvent, EventKind, IdentityTier, Kind, Priority, RoutingRule, case_search_text,
)
from .workflow import Action, Role, Status, transition_for

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class FiledCase:
    case: Case
    pin: str  # shown once for anonymous cases, empty otherwise


def _clean_citizen_fields(
    *, kind: str, identity_tier: str, full_name: str, national_code: str, mobile: str, email: str,
) -> dict:
    """Apply the identity-tier rules of §3.1 and return the fields to store."""
    errors: dict[str, str] = {}
    full_name = normalize_text(full_name)
    national_code = normalize_digits(national_code)
    mobile = normalize_mobile(mobile) if mobile else ""
    email = (email or "").strip()
    if identity_tier == IdentityTier.ANONYMOUS:
        if kind == Kind.COMPLAINT:
            errors["identity_tier"] = _(
                "A complaint cannot be anonymous; choose anonymity only for a criticism or a "
                "suggestion."
            )
        return {"errors": errors, "full_name": "", "national_code": "", "mobile": "", "email": ""}
    if identity_tier not in IdentityTier.values:
        errors["identity_tier"] = _("Choose how you want to be identified.")
    if not is_valid_mobile(mobile):
        errors["mobile"] = _("Enter a mobile number like 09121234567.")
    if identity_tier == IdentityTier.IDENTIFIED:
        if not full_name:
            errors["full_name"] = _("Please enter your full name.")
        if not is_valid_national_code(national_code):
            errors["national_code"] = _("The national code is not valid. Please check its ten digits.")
    else:
        full_name, national_code = "", ""
    return {"errors": errors, "full_name": full_name, "national_code": national_code,
            "mobile": mobile, "email": email}


def case_file(
    *, kind: str, service: Service, subject: str, description: str, identity_tier: str,
    full_name: str = "", national_code: str = "", mobile: str = "", email: str = "",
    files=(), actor=None,
) -> FiledCase:
    """File a new case with its attachments and its first event, all in one transaction.

    Raises ValidationError (keyed by field) for input the rules refuse; nothing is stored then.
    A failure after the files were written removes them again, so nothing is left half-done.
    """
    fields = _clean_citizen_fields(
        kind=kind, identity_tier=identity_tier, full_name=full_name,
        national_code=national_code, mobile=mobile, email=email,
    )
    errors = fields.pop("errors")
    if kind not in Kind.values:
        errors["kind"] = _("Choose complaint, criticism or suggestion.")
    if not service.is_active or service.is_internal:
        errors["service"] = _("This service does not accept cases.")
    subject, description = normalize_text(subject), normalize_text(description)
    if not subject:
        errors["subject"] = _("Please write a subject.")
    if not description:
        errors["description"] = _("Please describe your case.")
    try:
        checked_files = check_uploads(files)
    except ValidationError as exc:
        errors["attachments"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)

    pin = tracking.new_pin() if identity_tier == IdentityTier.ANONYMOUS else ""
    now = timezone.now()
    case = Case(
        kind=kind, service=service, subject=subject, description=description,
        identity_tier=identity_tier, pin_hash=tracking.pin_hash(pin) if pin else "",
        search_text=case_search_text(
            subject=subject, full_name=fields["full_name"], description=description,
        ),
        created_at=now, updated_at=now, status_changed_at=now, **fields,
    )
    clocks = sla.clocks_at_filing(case=case, now=now)
    case.sla_policy = clocks.policy if clocks.policy.pk else None
    filed_event = CaseEvent(
        case=case, created_at=now, kind=EventKind.FILED, actor=_actor_or_none(actor),
        actor_role=Role.CITIZEN, to_status=Status.SUBMITTED, is_public=True,
        data={"attachments": len(checked_files), "deadlines": clocks.deadlines},
    )
    stored_paths: list[str] = []
    try:
        with transaction.atomic():
            try:
                messages = filing_store(FilingRows(
                    case=case, clocks=clocks, event=filed_event,
                    messages_for=lambda case: notifications.citizen_step_messages(
                        case=case, step="filed", event_key=f"e{FILED_EVENT_ID}"),
                ))
            except ServiceClosed:
                raise ValidationError({"service": _("This service does not accept cases.")})
            _attachments_store(case=case, checked_files=checked_files, stored_paths=stored_paths)
            for message in messages:
                deliver_on_commit(message)
            enqueue_on_commit("complaints.route_case", case.pk)
    except BaseException:
        _remove_files(stored_paths)
        raise
    log.info("case filed tracking=%s kind=%s service=%s", case.tracking_number, kind, service.pk)
    return FiledCase(case=case, pin=pin)


def case_pin_upgrade(*, case: Case, pin: str) -> None:
    """Store a proven PIN under the keyed hash if the case still has a hash of the older scheme.

    Call it only after `selectors.case_find_for_citizen` accepted `pin` for `case`. Nothing happens
    (and no query runs) for current hashes and cases without a PIN; the condition on the stored
    hash makes a concurrent second call a no-op.
    """
    if not case.is_anonymous or tracking.pin_hash_is_current(case.pin_hash):
        return
    new_hash = tracking.pin_hash(pin)
    Case.objects.filter(pk=case.pk, pin_hash=case.pin_hash).update(pin_hash=new_hash)
    case.pin_hash = new_hash


def _attachments_store(*, case: Case, checked_files, stored_paths: list[str]) -> None:
    """Write checked uploads to private storage as the case's attachments (inside a transaction;
    the caller removes `stored_paths` if the transaction fails)."""
    for checked in checked_files:
        attachment = Attachment(
            case=case, original_name=checked.name, content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256,
        )
        attachment.file.save(checked.name, checked.upload, save=False)
        stored_paths.append(attachment.file.name)
        attachment.save()


def _remove_files(paths: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for path in paths:
        try:
            storage.delete(path)
        except OSError:
            log.exception("could not remove orphan attachment %s", path)


# --- transitions ------------------------------------------------------------------------------


def _actor_role(*, actor, case: Case, role: Role | None) -> Role:
    """The role the actor acts in: staff from their groups, citizens and the system as given."""
    if role in (Role.CITIZEN, Role.SYSTEM):
        return role
    held = roles.role_on_case(actor, case)
    if held is None:
        raise DomainError(_("You do not have access to this case."))
    if role is not None and role != held and not (
        held == Role.MONITORING_HEAD and role == Role.MONITORING
    ):
        raise DomainError(_("You do not have access to this case."))
    return role or held


def _transition(
    *, case_id: int, action: Action, actor=None, role: Role | None = None, note: str = "",
    is_public: bool | None = None, changes: dict | None = None, data: dict | None = None,
    check=None,
) -> Case:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        acting_role = _actor_role(actor=actor, case=case, role=role)
        step = transition_for(case.status, action, acting_role)
        if check is not None:
            check(case)
        from_status = case.status
        case.status = step.target
        case.status_changed_at = timezone.now()
        for field, value in (changes or {}).items():
            setattr(case, field, value)
        case.save()
        clock_changes = sla.clocks_on_step(case=case, step=action)
        data = dict(data or {})
        if clock_changes:
            data["deadlines"] = {
                c.clock: c.due_after.isoformat() if c.due_after else None for c in clock_changes
            }
            stopped = {c.clock: {"elapsed": c.stopped_elapsed, "budget": c.budget}
                       for c in clock_changes if c.stopped_elapsed is not None}
            if stopped:
                data["clocks_stopped"] = stopped
        event = event_record(
            case=case, kind=action, actor=actor, role=acting_role, from_status=from_status,
            to_status=step.target, note=normalize_text(note),
            is_public=step.public if is_public is None else is_public, data=data,
        )
        notifications.notify_case_step(case=case, step=str(action), event_id=event.pk)
    return case


def case_route(*, case_id: int) -> Case:
    """Route a new case once: the first matching rule assigns it, otherwise it waits for triage.

    Called by the on-commit task and by the sweep; `routed_at` makes a second call a no-op.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.routed_at is not None:
            return case
        Case.objects.filter(pk=case_id).update(routed_at=timezone.now())
        if case.status != Status.SUBMITTED:  # triaged by hand before the task ran
            return case
        rule = routing.first_matching_rule(
            RoutingRule.objects.filter(is_active=True, unit__is_active=True).order_by("order", "id"),
            service_id=case.service_id, kind=case.kind, subject=case.subject,
            description=case.description,
        )
        if rule is None:
            event_record(case=case, kind=EventKind.TRIAGE, role=Role.SYSTEM)
            return case
        return case_assign(
            case_id=case_id, unit=rule.unit, role=Role.SYSTEM, priority=rule.priority,
            note=rule.name,
        )


def case_assign(
    *, case_id: int, unit: Unit, actor=None, role: Role | None = None,
    priority: int | None = None, note: str = "",
) -> Case:
    """Send the case to a unit (triage, re-routing by hand, or the routing task as SYSTEM)."""
    if not unit.is_active:
        raise DomainError(_("The unit “%(unit)s” is not active.") % {"unit": unit})
    changes = {"unit": unit}
    if priority is not None:
        changes["priority"] = Priority(priority)
    return _transition(
        case_id=case_id, action=Action.ASSIGN, actor=actor, role=role, note=note,
        changes=changes, data={"unit_id": unit.pk, "unit": unit.name, "priority": priority},
        is_public=True,
    )


def case_reject(*, case_id: int, actor, reason: str) -> Case:
    if not normalize_text(reason):
        raise DomainError(_("Please give the reason for rejecting the case."))
    return _transition(case_id=case_id, action=Action.REJECT, actor=actor, note=reason)


def case_merge(*, case_id: int, into_case_id: int, actor, note: str = "") -> Case:
    """Merge a duplicate into a live case; the citizen is pointed at the surviving case."""
    if into_case_id == case_id:
        raise DomainError(_("A case cannot be merged into itself."))
    target = Case.objects.filter(pk=into_case_id).first()
    if target is None or target.status in (Status.MERGED, Status.REJECTED, Status.REFERRED):
        raise DomainError(_("The case to merge into does not exist or is no longer open."))
    return _transition(
        case_id=case_id, action=Action.MERGE, actor=actor, note=note,
        changes={"merged_into": target},
        data={"into": target.tracking_number},
    )


def case_refer(*, case_id: int, actor, body_name: str, body_url: str = "", note: str = "") -> Case:
    """Mark the case as belonging to another body; the citizen sees the body's name and link."""
    body_name = normalize_text(body_name)
    if not body_name:
        raise DomainError(_("Please name the body the case is referred to."))
    return _transition(
        case_id=case_id, action=Action.REFER, actor=actor, note=note,
        changes={"referred_body_name": body_name, "referred_body_url": body_url.strip()},
        data={"body": body_name, "url": body_url.strip()},
    )


def case_request_info(*, case_id: int, actor, question: str) -> Case:
    if not normalize_text(question):
        raise DomainError(_("Please write what the citizen should add."))
    return _transition(case_id=case_id, action=Action.REQUEST_INFO, actor=actor, note=question)


def case_provide_info(*, case_id: int, text: str, files=()) -> Case:
    """The citizen's reply to a request for information (called after the tracking proof).

    Photos and documents come with it under the filing's rules (`check_uploads`: at most
    ATTACHMENT_MAX_COUNT files, PDF/JPEG/PNG by content, ATTACHMENT_MAX_BYTES each, private
    storage). The reply and its files are stored together or not at all.
    """
    if not normalize_text(text):
        raise DomainError(_("Please write the information you want to add."))
    try:
        checked_files = check_uploads(files)
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from exc
    stored_paths: list[str] = []
    try:
        with transaction.atomic():
            case = _transition(
                case_id=case_id, action=Action.PROVIDE_INFO, role=Role.CITIZEN, note=text,
                data={"attachments": len(checked_files)} if checked_files else None,
            )
            _attachments_store(case=case, checked_files=checked_files, stored_paths=stored_paths)
    except BaseException:
        _remove_files(stored_paths)
        raise
    return case


def case_return_to_monitoring(*, case_id: int, actor, reason: str) -> Case:
    if not normalize_text(reason):
        raise DomainError(_("Please say why the case is returned."))
    return _transition(
        case_id=case_id, action=Action.RETURN_TO_MONITORING, actor=actor, note=reason,
    )


def case_answer(*, case_id: int, actor, text: str) -> Case:
    """The unit's answer; it waits for the monitoring unit's approval before the citizen sees it."""
    if not normalize_text(text):
        raise DomainError(_("The answer is empty."))
    return _transition(case_id=case_id, action=Action.ANSWER, actor=actor, note=text)


def case_answer_approve(*, case_id: int, actor) -> Case:
    """Publish the unit's latest answer to the citizen, word for word."""
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case_id).exists()  # no answer slips in between
        answer = (
            CaseEvent.objects.filter(case_id=case_id, kind=Action.ANSWER)
            .order_by("-created_at", "-id").values_list("note", flat=True).first()
        )
        return _transition(
            case_id=case_id, action=Action.APPROVE, actor=actor, note=answer or "", is_public=True,
        )


def case_answer_send_back(*, case_id: int, actor, reason: str) -> Case:
    if not normalize_text(reason):
        raise DomainError(_("Please say what the unit should change."))
    return _transition(case_id=case_id, action=Action.SEND_BACK, actor=actor, note=reason)


def objection_deadline(case: Case):
    """The end of the dispute window that opened when the answer was published."""
    return case.status_changed_at + timedelta(days=settings.DISPUTE_WINDOW_DAYS)


def case_object(*, case_id: int, reason: str) -> Case:
    """The citizen objects to the published answer (called after the tracking proof)."""
    if not normalize_text(reason):
        raise DomainError(_("Please write the reason for your objection."))

    def within_window(case: Case) -> None:
        if answer_is_final(case):
            raise DomainError(_("This answer is the final decision on your objection; it cannot "
                                "be objected to again."))
        if case.status == Status.PUBLISHED and timezone.now() > objection_deadline(case):
            raise DomainError(_("The period for objecting to this answer has ended."))

    return _transition(
        case_id=case_id, action=Action.OBJECT, role=Role.CITIZEN, note=reason, check=within_window,
    )


def cases_close_after_dispute_window(*, now=None, limit: int = 1000) -> int:
    """Close published cases nobody objected to once the window has passed (run by the sweep)."""
    now = now or timezone.now()
    ids = list(
        Case.objects.filter(
            status=Status.PUBLISHED,
            status_changed_at__lt=now - timedelta(days=settings.DISPUTE_WINDOW_DAYS),
        ).order_by("status_changed_at").values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for case_id in ids:
        try:
            case_close(case_id=case_id, role=Role.SYSTEM,
                       note=_("Closed automatically: no objection within the dispute period."))
            closed += 1
        except DomainError:  # objected or closed meanwhile
            continue
    return closed


def case_objection_uphold(*, case_id: int, actor, note: str = "") -> Case:
    return _transition(case_id=case_id, action=Action.UPHOLD, actor=actor, note=note, is_public=True)


def case_reopen(*, case_id: int, actor, note: str = "") -> Case:
    return _transition(case_id=case_id, action=Action.REOPEN, actor=actor, note=note)


def case_close(*, case_id: int, actor=None, role: Role | None = None, note: str = "") -> Case:
    return _transition(case_id=case_id, action=Action.CLOSE, actor=actor, role=role, note=note)


def case_record_staff_view(*, case: Case, actor, what: str = EventKind.VIEWED, data=None) -> None:
    """Audit: every time staff open a citizen's personal data, the log says who and when."""
    event_record(
        case=case, kind=what, actor=actor, role=roles.staff_role(actor) or "", data=data or {},
    )


def deadlines_recompute_open(*, reason: str, batch: int = 500) -> int:
    """After a policy or calendar change: new deadlines for every running clock, each recorded.

    Works case by case in short transactions (the row lock keeps it from racing a transition) and
    walks by id, so it can be re-run safely and never holds the whole table.
    """
    from sajad.calendar_store import load_calendar

    from .models import CaseClock

    calendar = load_calendar()
    changed, last_id = 0, 0
    while True:
        case_ids = list(
            CaseClock.objects.filter(stopped_at__isnull=True, case_id__gt=last_id)
            .order_by("case_id").values_list("case_id", flat=True).distinct()[:batch]
        )
        if not case_ids:
            return changed
        for case_id in case_ids:
            with transaction.atomic():
                case = Case.objects.select_for_update().get(pk=case_id)
                changes = sla.clocks_recompute(case=case, calendar=calendar)
                if changes:
                    changed += 1
                    event_record(
                        case=case, kind=EventKind.DEADLINES, role=Role.SYSTEM, note=reason,
                        data={c.clock: {"before": c.due_before.isoformat() if c.due_before else None,
                                        "after": c.due_after.isoformat() if c.due_after else None}
                              for c in changes},
                    )
        last_id = case_ids[-1]


def case_add_note(*, case_id: int, actor, text: str) -> CaseEvent:
    """Write a staff-only note on the case; it never reaches the citizen's timeline.

    Only staff whose role reaches the case may write (the rule of the staff access gate: unit staff
    on their own unit's cases). The row lock orders the note among concurrent transitions.
    """
    text = normalize_text(text)
    if not text:
        raise DomainError(_("The note is empty."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        role = _actor_role(actor=actor, case=case, role=None)
        return event_record(
            case=case, kind=EventKind.NOTE, actor=actor, role=role, note=text, is_public=False,
        )


def case_rate(*, case_id: int, score: int) -> Case:
    """The citizen rates the published answer from 1 to 5, once (after the tracking proof)."""
    if score not in range(1, 6):
        raise DomainError(_("Please choose a score from 1 to 5."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not rating_open(case):
            raise DomainError(
                _("You have already rated this answer. Thank you.")
                if rating_of_current_answer(case) is not None
                else _("You can rate the answer once it has been published.")
            )
        # case.rating holds the score of the latest answer (the final one after an objection);
        # each answer's own score stays in its RATED event.
        case.rating = score
        case.save(update_fields=["rating", "updated_at"])
        event_record(case=case, kind=EventKind.RATED, role=Role.CITIZEN,
                     data={"score": score, "answer": current_answer(case).pk})
    return case


def case_escalate_by_citizen(*, case_id: int) -> Case:
    """Past a deadline, the citizen may raise the case one level up the escalation ladder."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        deadline = escalation.missed_deadline_key(case=case)
        if not escalation_open(case):
            if case.is_overdue and escalation.citizen_escalated_on(case=case, deadline_key=deadline):
                raise DomainError(
                    _("You have already asked for escalation for this deadline. Your case has now "
                      "been escalated %(where)s.")
                    % {"where": escalation.rung(case.escalation_level).label}
                )
            raise DomainError(
                _("Your case is already with the highest authority.")
                if case.escalation_level >= escalation.TOP_LEVEL and case.is_overdue
                else _("You can ask for escalation only when a deadline has passed.")
            )
        level = escalation.case_raise_by_citizen(case=case)
        event = event_record(
            case=case, kind=EventKind.CITIZEN_ESCALATION, role=Role.CITIZEN, is_public=True,
            # The missed deadline this request was for: one request per deadline (escalation_open).
            data={"level": level, **({"deadline": deadline} if deadline else {})},
        )
        notifications.notify_case_step(case=case, step="citizen_escalation", event_id=event.pk)
    return case


# Statuses in which the unit is working on a case, so its head may hand it to a colleague.
STAFF_ASSIGNABLE = (Status.ASSIGNED, Status.WAITING_CITIZEN)


def case_assign_to_staff(*, case_id: int, actor, assignee, note: str = "") -> Case:
    """The unit's head hands one of the unit's open cases to a named staff member of the unit.

    Recorded on the (internal) timeline and e-mailed (and texted, when a mobile is known) to the
    assignee. Refused for anyone but the head of the case's unit, for someone outside the unit,
    and for cases the unit is not working on.
    """
    from sajad.models import UnitMember

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not UnitMember.objects.filter(user=actor, unit_id=case.unit_id, is_head=True).exists():
            raise DomainError(_("Only the head of the case's unit can assign it to a colleague."))
        if case.status not in STAFF_ASSIGNABLE:
            raise DomainError(_("Only a case your unit is working on can be assigned."))
        member = UnitMember.objects.filter(user=assignee, unit_id=case.unit_id).select_related(
            "user").first()
        if member is None or not assignee.is_active:
            raise DomainError(_("Choose a colleague of this unit."))
        if case.assignee_id == assignee.pk:
            raise DomainError(_("The case is already assigned to this colleague."))
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        name = assignee.get_full_name() or assignee.get_username()
        event = event_record(
            case=case, kind=EventKind.STAFF_ASSIGNED, actor=actor, role=Role.UNIT,
            note=normalize_text(note), data={"assignee_id": assignee.pk, "assignee": name},
        )
        notifications.notify_staff_assigned(case=case, assignee=assignee, event_id=event.pk)
    return case


def desk_visit_record(*, user, now=None) -> None:
    """Remember when a unit member last looked at the inbox (what arrives later is "new")."""
    from sajad.models import UnitMember

    UnitMember.objects.filter(user=user).update(desk_seen_at=now or timezone.now())
