"""Merging keeps both sides: the unit sees the merged cases' content, each merged citizen gets the
answer on their own tracking page and is told when it is published, admin links the survivor."""
import pytest
from django.urls import reverse

from complaints import services
from complaints.workflow import Role, Status
from notifications.models import Message
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(unit, private_media):
    monitor = f.monitoring_user()
    service = f.service(unit_=unit)
    keep = f.filed_case(service_=service, mobile="09121111111").case
    duplicate = f.filed_case(
        service_=service, mobile="09122222222", description="سلف خوابگاه ۳ هفته است تعطیل است.",
        files=[f.upload("عکس.png", f.PNG_BYTES)],
    ).case
    services.case_merge(case_id=duplicate.pk, into_case_id=keep.pk, actor=monitor)
    services.case_assign(case_id=keep.pk, unit=unit, role=Role.SYSTEM)
    return {"keep": keep, "duplicate": duplicate, "monitor": monitor, "unit": unit}


def test_the_unit_sees_the_merged_cases_text_and_opens_its_files(client, merged):
    head = f.unit_user(merged["unit"], is_head=True)
    client.force_login(head)
    page = client.get(reverse("desk:case", args=[merged["keep"].pk])).content.decode()
    assert "سلف خوابگاه ۳ هفته است تعطیل است." in page and "عکس.png" in page
    attachment = merged["duplicate"].attachments.get()
    response = client.get(reverse("complaints:staff_attachment", args=[attachment.pk]))
    assert response.status_code == 200


def test_each_merged_citizen_sees_and_is_told_of_the_answer_on_their_own_page(client, merged):
    keep, duplicate = merged["keep"], merged["duplicate"]
    head = f.unit_user(merged["unit"], is_head=True)
    services.case_answer(case_id=keep.pk, actor=head, text="سلف از شنبه باز می‌شود.")
    services.case_answer_approve(case_id=keep.pk, actor=merged["monitor"])

    told = Message.objects.about(duplicate).filter(template="citizen_answer_published")
    assert list(told.values_list("recipient", flat=True)) == ["09122222222"]
    client.post("/complaints/track/", {"tracking_number": duplicate.tracking_number,
                                       "secret": "09122222222"})
    page = client.get(f"/complaints/track/{duplicate.tracking_number}/").content.decode()
    assert "سلف از شنبه باز می‌شود." in page
    assert keep.tracking_number not in page  # not pointed at someone else's case


def test_admin_shows_the_surviving_case_as_a_link(client, merged):
    client.force_login(f.monitoring_user())
    page = client.get(reverse("admin:complaints_case_change", args=[merged["duplicate"].pk]))
    target = reverse("admin:complaints_case_change", args=[merged["keep"].pk])
    assert f'<a href="{target}">' in page.content.decode()
