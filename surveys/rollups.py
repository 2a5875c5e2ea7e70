"""The daily summaries (AnswerDay, ResponseDay) that results and the watch read.

`record` adds one response to them inside the transaction that stores it (an upsert per row, so
concurrent responses add up); `rebuild` recomputes them from the answers in one statement per
table (after a bulk load, or to repair). Days are Tehran dates, so Jalali months and the watch's
Saturday-to-Friday weeks are whole sets of days.
"""
from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import Answer, AnswerDay, Response, ResponseDay

SUMMARISED = ("csat", "nps", "ces", "need_met", "single", "multiple")


def record(*, response: Response, answers: list[Answer]) -> None:
    day = timezone.localdate(response.submitted_at)
    service_id, unit_id = response.service_id or 0, response.unit_id or 0
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO surveys_responseday (day, survey_id, service_id, unit_id, channel, n) "
            "VALUES (%s, %s, %s, %s, %s, 1) ON CONFLICT (day, survey_id, service_id, unit_id, channel) "
            "DO UPDATE SET n = surveys_responseday.n + 1",
            [day, response.survey_id, service_id, unit_id, response.channel])
        for answer in answers:
            if answer.kind not in SUMMARISED or answer.value is None:
                continue
            cursor.execute(
                "INSERT INTO surveys_answerday (day, survey_id, question_id, service_id, unit_id, kind, value, n) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, 1) "
                "ON CONFLICT (day, question_id, service_id, unit_id, value) "
                "DO UPDATE SET n = surveys_answerday.n + 1",
                [day, answer.survey_id, answer.question_id, service_id, unit_id, answer.kind, answer.value])


def rebuild() -> None:
    """Recompute both summaries from the answers and responses (PostgreSQL: two statements)."""
    with transaction.atomic():
        AnswerDay.objects.all().delete()
        ResponseDay.objects.all().delete()
        if connection.vendor == "postgresql":
            tz = settings.TIME_ZONE
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO surveys_answerday (day, survey_id, question_id, service_id, unit_id, kind, value, n) "
                    "SELECT (answered_at AT TIME ZONE %s)::date, survey_id, question_id, COALESCE(service_id, 0), "
                    "COALESCE(unit_id, 0), kind, value, count(*) FROM surveys_answer "
                    "WHERE value IS NOT NULL AND kind = ANY(%s) GROUP BY 1, 2, 3, 4, 5, 6, 7", [tz, list(SUMMARISED)])
                cursor.execute(
                    "INSERT INTO surveys_responseday (day, survey_id, service_id, unit_id, channel, n) "
                    "SELECT (submitted_at AT TIME ZONE %s)::date, survey_id, COALESCE(service_id, 0), "
                    "COALESCE(unit_id, 0), channel, count(*) FROM surveys_response GROUP BY 1, 2, 3, 4, 5", [tz])
            return
        for response in Response.objects.prefetch_related("answers").iterator(chunk_size=500):
            record(response=response, answers=list(response.answers.all()))
