"""Persian text normalisation: the one place that decides how typed text is stored and compared.

Citizens type on Persian, Arabic and Latin keyboards. Everything the portal stores or searches goes
through `normalize_text` (free text) or `normalize_digits` (codes and numbers) first, so that
«كد ۱۲۳» and «کد 123» are the same thing to the database.
"""
import re
import unicodedata

from persiantools import characters, digits

ZWNJ = "\u200c"
# Characters that render as nothing but break equality: ZW space, LRM/RLM, bidi marks, BOM.
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Harakat that change nothing for a Persian reader are dropped from stored text; the tanwins
# (U+064B–U+064D, as in «لطفاً», «واقعاً») and the hamza marks are spelling, so they stay.
_ARABIC_DIACRITICS = re.compile("[\u064e-\u0653\u0656-\u065f\u0670]")
# For search every mark goes, and the hamza-bearing letters read as their bare forms, so that
# «تاخیر» finds «تأخیر» and «مسئول», «مسیول» compare equal.
_ALL_MARKS = re.compile("[\u064b-\u065f\u0670]")
_SEARCH_LETTERS = str.maketrans({
    "\u0623": "ا", "\u0625": "ا", "\u0622": "ا", "\u0671": "ا",  # أ إ آ ٱ
    "\u0624": "و",  # ؤ
    "\u0626": "ی",  # ئ
    "\u06c0": "ه", "\u0629": "ه",  # ۀ ة
    "\u0621": None,  # a lone hamza (ء) is often left out when typing
})
_NON_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZWNJ_RUNS = re.compile(ZWNJ + "{2,}")
_ZWNJ_NEXT_TO_SPACE = re.compile(rf" ?{ZWNJ}+ ?")


def to_ascii_digits(value: str) -> str:
    """Turn Persian (۰-۹) and Arabic-Indic (٠-٩) digits into ASCII digits."""
    # persiantools maps Arabic-Indic digits only to Persian ones, so go through Persian first.
    return digits.fa_to_en(digits.ar_to_fa(value))


def to_persian_digits(value) -> str:
    """Display form: every ASCII or Arabic-Indic digit becomes a Persian digit."""
    return digits.en_to_fa(digits.ar_to_fa(str(value)))


# A token that must keep ASCII digits when shown: a link, an e-mail address, a Latin word or code.
_KEEP_ASCII_TOKEN = re.compile(r"[A-Za-z@]|://")
_TOKEN = re.compile(r"\S+")


def display_digits(value) -> str:
    """Text as a Persian reader sees it: digits Persian, except in links, e-mails and Latin words.

    Storage keeps ASCII digits (normalize_text); this is for display only, in Persian mode. A token
    such as «https://x.ir/a/12», «ali99@mail.ir» or «ISO9001» keeps its digits, so what a citizen
    copies still works.
    """
    text = str(value)
    return _TOKEN.sub(
        lambda m: m.group(0) if _KEEP_ASCII_TOKEN.search(m.group(0)) else to_persian_digits(m.group(0)),
        text,
    )


def normalize_digits(value: str) -> str:
    """Codes, phone numbers, tracking numbers: ASCII digits, no spaces, dashes or invisible marks."""
    value = _INVISIBLE.sub("", to_ascii_digits(value or ""))
    return re.sub(r"[\s\-_./()\u200c]", "", value)


def normalize_text(value: str) -> str:
    """Free text as stored: Persian letters (ی, ک), ASCII digits, tidy spaces and ZWNJs.

    Line breaks are kept (descriptions are paragraphs); runs of spaces inside a line collapse.
    """
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = characters.ar_to_fa(value)
    value = value.replace("\u0649", "ی").replace("\u0629", "ه")  # alef maksura, teh marbuta
    value = _ARABIC_DIACRITICS.sub("", value)
    value = _INVISIBLE.sub("", value)
    value = to_ascii_digits(value)
    lines = []
    for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", line)
        line = _ZWNJ_RUNS.sub(ZWNJ, line)
        line = _ZWNJ_NEXT_TO_SPACE.sub(lambda m: " " if " " in m.group(0) else ZWNJ, line)
        lines.append(line.strip(" " + ZWNJ))
    return "\n".join(lines).strip()


def search_key(value: str) -> str:
    """A comparison form for search: normalised, lower-cased, ZWNJs read as spaces, no marks.

    «می‌خواهم» and «می خواهم» become the same key, and so do «تأخیر» and «تاخیر»; callers that
    also want «میخواهم» to match compare with spaces removed as well (`search_keys`).
    """
    value = normalize_text(value).replace(ZWNJ, " ")
    value = unicodedata.normalize("NFD", value.translate(_SEARCH_LETTERS))
    return unicodedata.normalize("NFC", _ALL_MARKS.sub("", value)).lower()


def search_keys(value: str) -> tuple[str, str]:
    """(spaced, compact) search forms: the same function for stored columns and for queries.

    *spaced* keeps one space between words, punctuation read as a space («می خواهم وام»);
    *compact* drops the spaces («میخواهموام»), so ZWNJ, space and nothing between word parts
    compare equal when each query word is looked up with LIKE '%word%' in it. Used by the FAQ
    search and the triage list's case search.
    """
    spaced = " ".join(_NON_WORD.sub(" ", search_key(value).replace("_", " ")).split())
    return spaced, spaced.replace(" ", "")
