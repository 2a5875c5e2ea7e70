"""Every legal transition through the services, and every illegal one refused with nothing changed."""
import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Case, CaseEvent
from complaints.workflow import TRANSITIONS, Action, Role, Status, TransitionNotAllowed
from sajad.errors import DomainError
from tests import factories

pytestmark = pytest.mark.django_db


def perform(action: Action, case: Case, people, unit, actor=None):
    """Call the one service behind each action, as its usual actor would."""
    mon, head, staff = people["monitoring"], people["head"], people["unit"]
    calls = {
        Action.ASSIGN: lambda: services.case_assign(case_id=case.pk, unit=unit, actor=actor or mon),
        Action.REJECT: lambda: services.case_reject(case_id=case.pk, actor=actor or mon, reason="هرزنامه"),
        Action.MERGE: lambda: services.case_merge(
            case_id=case.pk, into_case_id=factories.filed_case(service_=case.service).case.pk,
            actor=actor or mon),
        Action.REFER: lambda: services.case_refer(
            case_id=case.pk, actor=actor or mon, body_name="دانشگاه آزاد اسلامی",
            body_url="https://azad.ac.ir/"),
        Action.REQUEST_INFO: lambda: services.case_request_info(
            case_id=case.pk, actor=actor or staff, question="لطفاً رسید را بفرستید."),
        Action.PROVIDE_INFO: lambda: services.case_provide_info(case_id=case.pk, text="رسید پیوست شد."),
        Action.RETURN_TO_MONITORING: lambda: services.case_return_to_monitoring(
            case_id=case.pk, actor=actor or staff, reason="به واحد ما مربوط نیست."),
        Action.ANSWER: lambda: services.case_answer(
            case_id=case.pk, actor=actor or staff, text="وام شما واریز شد."),
        Action.APPROVE: lambda: services.case_answer_approve(case_id=case.pk, actor=actor or mon),
        Action.SEND_BACK: lambda: services.case_answer_send_back(
            case_id=case.pk, actor=actor or mon, reason="پاسخ کامل نیست."),
        Action.OBJECT: lambda: services.case_object(case_id=case.pk, reason="هنوز واریز نشده."),
        Action.UPHOLD: lambda: services.case_objection_uphold(case_id=case.pk, actor=actor or head),
        Action.REOPEN: lambda: services.case_reopen(case_id=case.pk, actor=actor or head),
        Action.CLOSE: lambda: services.case_close(case_id=case.pk, actor=actor or mon),
    }
    return calls[action]()


# The shortest path of actions from a new case to each status.
PATHS = {
    Status.SUBMITTED: [],
    Status.ASSIGNED: [Action.ASSIGN],
    Status.WAITING_CITIZEN: [Action.ASSIGN, Action.REQUEST_INFO],
    Status.RETURNED: [Action.ASSIGN, Action.RETURN_TO_MONITORING],
    Status.ANSWERED: [Action.ASSIGN, Action.ANSWER],
    Status.PUBLISHED: [Action.ASSIGN, Action.ANSWER, Action.APPROVE],
    Status.OBJECTED: [Action.ASSIGN, Action.ANSWER, Action.APPROVE, Action.OBJECT],
    Status.CLOSED: [Action.ASSIGN, Action.ANSWER, Action.APPROVE, Action.CLOSE],
    Status.REJECTED: [Action.REJECT],
    Status.MERGED: [Action.MERGE],
    Status.REFERRED: [Action.REFER],
}


def case_in(status: Status, service, people, unit) -> Case:
    case = factories.filed_case(service_=service).case
    for action in PATHS[status]:
        case = perform(action, case, people, unit)
    assert case.status == status
    return case


def test_the_paths_reach_every_status():
    assert set(PATHS) == set(Status)


@pytest.mark.parametrize("step", TRANSITIONS, ids=lambda t: f"{t.source}-{t.action}")
def test_each_legal_transition_moves_the_case_and_writes_one_event(step, service, people, unit):
    case = case_in(step.source, service, people, unit)
    events_before = CaseEvent.objects.filter(case=case).count()
    moved = perform(step.action, case, people, unit)
    moved.refresh_from_db()
    assert moved.status == step.target
    event = CaseEvent.objects.filter(case=case).order_by("-id").first()
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1
    assert (event.kind, event.from_status, event.to_status) == (step.action, step.source, step.target)


LEGAL = {(t.source, t.action) for t in TRANSITIONS}
ILLEGAL = [(s, a) for s, a in itertools.product(Status, Action) if (s, a) not in LEGAL]


@pytest.mark.parametrize("status,action", ILLEGAL, ids=lambda v: str(v))
def test_each_illegal_transition_is_refused_and_changes_nothing(status, action, service, people, unit):
    case = case_in(status, service, people, unit)
    events_before = list(CaseEvent.objects.filter(case=case).values_list("id", flat=True))
    with pytest.raises(DomainError) as refused:
        perform(action, case, people, unit)
    assert str(refused.value.message)
    case.refresh_from_db()
    assert case.status == status
    assert list(CaseEvent.objects.filter(case=case).values_list("id", flat=True)) == events_before


def test_unit_staff_cannot_act_on_another_units_case(service, people, unit):
    case = case_in(Status.ASSIGNED, service, people, unit)
    with pytest.raises(DomainError):
        services.case_answer(case_id=case.pk, actor=people["other_unit"], text="پاسخ")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_a_monitoring_expert_cannot_decide_an_objection(service, people, unit):
    case = case_in(Status.OBJECTED, service, people, unit)
    with pytest.raises(TransitionNotAllowed):
        services.case_objection_uphold(case_id=case.pk, actor=people["monitoring"])
    case.refresh_from_db()
    assert case.status == Status.OBJECTED


def test_a_user_without_a_staff_group_cannot_act(service, people, unit):
    stranger = factories.staff_user()
    case = case_in(Status.SUBMITTED, service, people, unit)
    with pytest.raises(DomainError):
        services.case_assign(case_id=case.pk, unit=unit, actor=stranger)


def test_the_routing_task_may_assign_as_the_system(service, people, unit):
    case = case_in(Status.SUBMITTED, service, people, unit)
    services.case_assign(case_id=case.pk, unit=unit, role=Role.SYSTEM)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.unit == unit


def test_approval_publishes_the_units_answer_word_for_word(service, people, unit):
    case = case_in(Status.ANSWERED, service, people, unit)
    services.case_answer_approve(case_id=case.pk, actor=people["monitoring"])
    published = CaseEvent.objects.get(case=case, kind=Action.APPROVE)
    assert published.is_public and published.note == "وام شما واریز شد."
    answer = CaseEvent.objects.get(case=case, kind=Action.ANSWER)
    assert not answer.is_public  # the unit's draft is internal until approved


def test_merging_points_at_the_surviving_case(service, people, unit):
    duplicate = case_in(Status.SUBMITTED, service, people, unit)
    original = case_in(Status.ASSIGNED, service, people, unit)
    services.case_merge(case_id=duplicate.pk, into_case_id=original.pk, actor=people["monitoring"])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original and duplicate.status == Status.MERGED


def test_a_case_cannot_be_merged_into_itself_or_into_a_closed_case(service, people, unit):
    case = case_in(Status.SUBMITTED, service, people, unit)
    rejected = case_in(Status.REJECTED, service, people, unit)
    for target in (case, rejected):
        with pytest.raises(DomainError):
            services.case_merge(case_id=case.pk, into_case_id=target.pk, actor=people["monitoring"])
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_referral_records_the_body_for_the_citizen(service, people, unit):
    case = case_in(Status.REFERRED, service, people, unit)
    assert case.referred_body_name == "دانشگاه آزاد اسلامی"
    assert CaseEvent.objects.get(case=case, kind=Action.REFER).is_public


def test_a_rejection_needs_a_reason(service, people, unit):
    case = case_in(Status.SUBMITTED, service, people, unit)
    with pytest.raises(DomainError):
        services.case_reject(case_id=case.pk, actor=people["monitoring"], reason="  ")
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_an_objection_after_the_dispute_window_is_refused(service, people, unit, settings):
    case = case_in(Status.PUBLISHED, service, people, unit)
    Case.objects.filter(pk=case.pk).update(
        status_changed_at=timezone.now() - timedelta(days=settings.DISPUTE_WINDOW_DAYS + 1))
    with pytest.raises(DomainError):
        services.case_object(case_id=case.pk, reason="دیر است")
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED


def test_the_sweep_closes_an_answer_nobody_objected_to_once_the_window_ends(
        service, people, unit, settings):
    from complaints.case_sweep import case_sweep

    expired = case_in(Status.PUBLISHED, service, people, unit)
    recent = case_in(Status.PUBLISHED, service, people, unit)
    Case.objects.filter(pk=expired.pk).update(
        status_changed_at=timezone.now() - timedelta(days=settings.DISPUTE_WINDOW_DAYS + 1))
    assert case_sweep().closed == 1
    expired.refresh_from_db()
    recent.refresh_from_db()
    assert (expired.status, recent.status) == (Status.CLOSED, Status.PUBLISHED)
    closing = CaseEvent.objects.get(case=expired, kind=Action.CLOSE)
    assert closing.actor_role == "system" and closing.is_public
