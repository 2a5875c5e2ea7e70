"""The lifecycle table, cell by cell, against an independent statement of the rules in §3.1."""
import itertools

import pytest

from complaints.workflow import (
    FINAL_STATUSES, OPEN_STATUSES, Action, Role, Status, TransitionNotAllowed, allowed_actions,
    transition_for,
)

A, S, R = Action, Status, Role
MON = {R.MONITORING, R.MONITORING_HEAD}

# Written out by hand from the spec, not derived from the table under test.
EXPECTED = {
    (S.SUBMITTED, A.ASSIGN): (S.ASSIGNED, MON | {R.SYSTEM}),
    (S.RETURNED, A.ASSIGN): (S.ASSIGNED, MON),
    (S.ASSIGNED, A.ASSIGN): (S.ASSIGNED, MON),
    (S.SUBMITTED, A.REJECT): (S.REJECTED, MON),
    (S.RETURNED, A.REJECT): (S.REJECTED, MON),
    (S.ASSIGNED, A.REJECT): (S.REJECTED, MON),
    (S.SUBMITTED, A.MERGE): (S.MERGED, MON),
    (S.RETURNED, A.MERGE): (S.MERGED, MON),
    (S.ASSIGNED, A.MERGE): (S.MERGED, MON),
    (S.WAITING_CITIZEN, A.MERGE): (S.MERGED, MON),
    (S.SUBMITTED, A.REFER): (S.REFERRED, MON),
    (S.RETURNED, A.REFER): (S.REFERRED, MON),
    (S.ASSIGNED, A.REFER): (S.REFERRED, MON),
    (S.ASSIGNED, A.REQUEST_INFO): (S.WAITING_CITIZEN, MON | {R.UNIT}),
    (S.WAITING_CITIZEN, A.PROVIDE_INFO): (S.ASSIGNED, {R.CITIZEN}),
    (S.ASSIGNED, A.RETURN_TO_MONITORING): (S.RETURNED, {R.UNIT}),
    (S.ASSIGNED, A.ANSWER): (S.ANSWERED, {R.UNIT}),
    (S.ANSWERED, A.APPROVE): (S.PUBLISHED, MON),
    (S.ANSWERED, A.SEND_BACK): (S.ASSIGNED, MON),
    (S.PUBLISHED, A.OBJECT): (S.OBJECTED, {R.CITIZEN}),
    (S.OBJECTED, A.UPHOLD): (S.CLOSED, {R.MONITORING_HEAD}),
    (S.OBJECTED, A.REOPEN): (S.ASSIGNED, {R.MONITORING_HEAD}),
    (S.PUBLISHED, A.CLOSE): (S.CLOSED, MON | {R.SYSTEM}),
}

CELLS = list(itertools.product(Status, Action, Role))


@pytest.mark.parametrize("status,action,role", CELLS, ids=lambda v: str(v))
def test_each_cell_of_the_table_matches_the_spec(status, action, role):
    expected = EXPECTED.get((status, action))
    if expected is not None and role in expected[1]:
        assert transition_for(status, action, role).target == expected[0]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            transition_for(status, action, role)
        assert str(refused.value.message)


def test_final_statuses_allow_nothing_to_anyone():
    for status, role in itertools.product(FINAL_STATUSES, Role):
        assert allowed_actions(status, role) == []


def test_every_open_status_has_a_way_forward_for_staff_or_citizen():
    for status in OPEN_STATUSES:
        assert any(allowed_actions(status, role) for role in Role), status


def test_allowed_actions_lists_exactly_the_legal_cells():
    for status, role in itertools.product(Status, Role):
        expected = {a for (s, a), (_t, roles) in EXPECTED.items() if s == status and role in roles}
        assert set(allowed_actions(status, role)) == expected


def test_a_refusal_names_the_action_and_the_status_in_words():
    with pytest.raises(TransitionNotAllowed) as refused:
        transition_for(S.SUBMITTED, A.CLOSE, R.MONITORING)
    text = str(refused.value.message)
    assert str(A.CLOSE.label) in text and str(S.SUBMITTED.label) in text


def test_a_role_outside_the_cell_gets_a_permission_message_not_a_state_message():
    with pytest.raises(TransitionNotAllowed) as refused:
        transition_for(S.OBJECTED, A.UPHOLD, R.MONITORING)
    assert str(S.OBJECTED.label) not in str(refused.value.message)
