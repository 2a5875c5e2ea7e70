"""Which unit answers a case: ordered rules, first match wins (pure; no database access)."""
import re
from collections.abc import Iterable

from sajad.persian import search_key

_SEPARATORS = re.compile(r"[,\n،;]+")


def rule_keywords(raw: str) -> list[str]:
    """The rule's keywords in comparison form: «ثبت‌نام، وام» → ["ثبت نام", "وام"]."""
    return [k for k in (search_key(part).strip() for part in _SEPARATORS.split(raw or "")) if k]


def _compact(text: str) -> str:
    return text.replace(" ", "")


def rule_matches(rule, *, service_id: int, kind: str, text_key: str) -> bool:
    if rule.service_id is not None and rule.service_id != service_id:
        return False
    if rule.kind and rule.kind != kind:
        return False
    keywords = rule_keywords(rule.keywords)
    if not keywords:
        return True
    # Compare with spaces removed too, so «ثبت نام», «ثبت‌نام» and «ثبتنام» are one word.
    compact = _compact(text_key)
    return any(k in text_key or _compact(k) in compact for k in keywords)


def first_matching_rule(rules: Iterable, *, service_id: int, kind: str, subject: str, description: str):
    """The first rule (in the given order) that matches the case, or None for manual triage."""
    text_key = search_key(f"{subject}\n{description}")
    for rule in rules:
        if rule_matches(rule, service_id=service_id, kind=kind, text_key=text_key):
            return rule
    return None
