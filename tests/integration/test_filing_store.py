"""The filing's one-statement write (PostgreSQL) stores exactly what the ORM write stores."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import filing_store, services
from complaints.models import Case, CaseClock, CaseEvent, IdentityTier, Kind, SlaStep
from notifications.models import Message
from sajad.models import Service
from sajad.templatetags.sajad_tags import tracking_display
from tests import factories

pytestmark = pytest.mark.django_db

FILED_AT = dt.datetime(2026, 11, 22, 9, 17, 5, 123456, tzinfo=dt.timezone.utc)  # a Sunday morning


def _columns(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _stored(case: Case) -> dict:
    """Every stored column of the case and its clocks, steps and event, without their own ids."""
    def row(obj, *drop):
        return {k: v for k, v in _columns(obj).items() if k not in ("id", *drop)}

    case = Case.objects.get(pk=case.pk)
    clocks = CaseClock.objects.filter(case=case).order_by("clock")
    return {
        "case": row(case, "tracking_number", "pin_hash", "search_text"),
        "clocks": [row(c, "case_id") for c in clocks],
        "steps": sorted(
            (s.clock.clock, s.kind, s.level, s.due_at, s.taken_at)
            for s in SlaStep.objects.filter(clock__case=case).select_related("clock")
        ),
        "events": [row(e, "case_id") for e in CaseEvent.objects.filter(case=case)],
        "messages": [
            {**row(m, "about_id", "about_label", "subject", "body"), "dedupe_key": m.dedupe_key.split(":")[1]}
            for m in Message.objects.about(case).order_by("channel")
        ],
    }


@pytest.fixture
def filed_at(monkeypatch):
    monkeypatch.setattr(services.timezone, "now", lambda: FILED_AT)
    return FILED_AT


@pytest.mark.parametrize("tier", [IdentityTier.IDENTIFIED, IdentityTier.ANONYMOUS])
def test_the_one_statement_write_stores_what_the_orm_writes(service, filed_at, monkeypatch, tier):
    kind = Kind.SUGGESTION if tier == IdentityTier.ANONYMOUS else Kind.COMPLAINT
    email = "zahra@example.ir" if tier == IdentityTier.IDENTIFIED else ""
    fast = factories.filed_case(service_=service, tier=tier, kind=kind, email=email).case
    monkeypatch.setattr(filing_store, "_store_postgresql", filing_store._store_orm)
    orm = factories.filed_case(service_=service, tier=tier, kind=kind, email=email).case

    fast_rows, orm_rows = _stored(fast), _stored(orm)
    assert fast_rows == orm_rows
    # Not a comparison of two empty lists: the clocks, their steps and the event are there.
    assert len(fast_rows["clocks"]) == 2 and len(fast_rows["steps"]) >= 6
    # The acknowledgement names the case's own number, under the event's key.
    event = CaseEvent.objects.get(case=fast)
    for message in Message.objects.about(fast):
        assert message.dedupe_key.startswith(f"e{event.pk}:") and message.about_label == fast.tracking_number
        assert tracking_display(fast.tracking_number) in message.body + message.subject
    assert len(fast_rows["messages"]) == (2 if tier == IdentityTier.IDENTIFIED else 0)
    assert fast_rows["case"]["created_at"] == filed_at and fast_rows["case"]["sla_policy_id"]
    recorded = fast_rows["events"][0]["data"]["deadlines"]
    assert {k: dt.datetime.fromisoformat(v) for k, v in recorded.items()} == {
        c["clock"]: c["due_at"] for c in fast_rows["clocks"]
    }
    # What case_file hands back is what was stored, key included.
    assert _columns(fast) == _columns(Case.objects.get(pk=fast.pk))


def test_filing_writes_the_case_and_its_outbox_row_in_one_statement(service):
    with CaptureQueriesContext(connection) as queries:
        factories.filed_case(service_=service, tier=IdentityTier.CONTACT_ONLY, email="")
    writes = [q["sql"].split()[0] for q in queries.captured_queries
              if q["sql"].split()[0] in ("WITH", "INSERT", "UPDATE")]
    assert writes == ["WITH"], writes
    assert Message.objects.count() == 1 and CaseClock.objects.count() == 2


def test_a_service_closed_after_the_form_was_checked_refuses_the_case(service):
    stale = Service.objects.get(pk=service.pk)
    Service.objects.filter(pk=service.pk).update(is_active=False)  # closed a moment ago
    with pytest.raises(ValidationError) as refused:
        factories.filed_case(service_=stale)
    assert "service" in refused.value.message_dict
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert not CaseClock.objects.exists() and not Message.objects.exists()


def test_the_orm_write_refuses_a_closed_service_too(service, monkeypatch):
    monkeypatch.setattr(filing_store, "_store_postgresql", filing_store._store_orm)
    stale = Service.objects.get(pk=service.pk)
    Service.objects.filter(pk=service.pk).update(is_internal=True)
    with pytest.raises(ValidationError):
        factories.filed_case(service_=stale)
    assert not Case.objects.exists()


def test_a_taken_tracking_number_leaves_no_stray_rows_behind(service, monkeypatch):
    first = factories.filed_case(service_=service).case
    numbers = iter([first.tracking_number, first.tracking_number])
    monkeypatch.setattr(filing_store.tracking, "new_tracking_number",
                        lambda: next(numbers, "123456782"))
    second = factories.filed_case(service_=service).case
    assert second.tracking_number == "123456782" != first.tracking_number
    assert CaseClock.objects.count() == 4 and CaseEvent.objects.count() == 2
    assert timezone.is_aware(second.created_at)
    # The acknowledgement was written for the number the case got, not the one that was taken.
    sms = Message.objects.about(second).get()
    assert sms.about_label == "123456782" and tracking_display("123456782") in sms.body + sms.subject
    assert Message.objects.count() == 2
