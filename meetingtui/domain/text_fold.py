"""How text is compared: one rule for every search, suggestion, duplicate check and theme.

People type the same word many ways ("Café", "cafe", "CAFÉ"; "bus-stop" and "bus stop"), and a
Spanish speaker on a phone with no accents must still find "café". So text is *folded* before it
is compared: lower case, accents removed (NFKD, marks dropped), the letters that are
not a letter plus an accent spelt apart (``LETTERS_APART``: "œuvre" is "oeuvre", "Łódź" is
"lodz"), and every run of characters that are not letters or digits a space, the same as
SQLite's ``unicode61 remove_diacritics 2`` tokenizer (over text spelt apart, revision
0020_fold_letters) and PostgreSQL's ``meetingtui_fold`` split it. Stored text is never changed;
only comparisons use the folded form.

Common words ("the", "and", "de", "la") say nothing about what an idea is about, so ``words``
leaves them out; ``fold`` keeps everything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NOT_WORD = re.compile(r"[^\w]+|_+")

LETTERS_APART: dict[str, str] = {
    "œ": "oe",
    "æ": "ae",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ß": "ss",
}
"""Letters of their own, not a letter plus an accent, so Unicode's decomposition leaves them as
they are (and SQLite's unicode61 with them): spelt as people type them without the key, so that
"oeuvre" finds "œuvre", "Lodz" finds "Łódź" and "Strasse" finds "Straße". The one table: the
published site's script is given it (export/site.py), and SQLite's index spells them apart as
revision 0020_fold_letters copied it (a test compares them)."""

CAPITALS_APART: dict[str, str] = {
    "Œ": "oe",
    "Æ": "ae",
    "Ø": "o",
    "Ł": "l",
    "Đ": "d",
    "Ð": "d",
    "Þ": "th",
    "ẞ": "ss",
}
"""The capitals of ``LETTERS_APART`` (case folding finds them in Python; SQLite's ``replace``
matches case exactly, so its index needs both)."""

FINAL_FORMS: dict[str, str] = {"ς": "σ"}
"""Lower case has two sigmas (word-final "ς" and "σ"); a search folds them into one, as Unicode's
case folding does. Folded text only (not SQLite's index, whose tokenizer folds case itself)."""

SEARCH_LETTERS: dict[str, str] = {**LETTERS_APART, **CAPITALS_APART, **FINAL_FORMS}
"""Everything ``fold`` spells apart after lowering, accents removed: the table the published
site's script is given, so that it folds exactly as ``fold`` does."""

_APART = str.maketrans({**LETTERS_APART, **CAPITALS_APART})
_FOLD = str.maketrans(SEARCH_LETTERS)


def spell_apart(text: str) -> str:
    """``text`` with the letters of ``LETTERS_APART`` (either case) spelt apart and nothing
    else changed: what SQLite's index holds, and so what its search must be given."""
    return text.translate(_APART)


_COMMON_WORDS = (
    # English
    "a an and are as at be been but by can could do does for from had has have how i if in into "
    "is it its more most my no not of on or our so some than that the their them then there "
    "these they this those to too very was we were what when where which who why will with would "
    "you your all any also should need needs want please get make less us me just like "
    # Spanish (folded: "más" is "mas")
    "al como con de del el en es esta este hay la las lo los mas mi muy no o para pero por "
    "que se sin su sus un una uno unos unas y ya"
)
STOPWORDS = frozenset(_COMMON_WORDS.split())


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space: ``"Café—Bus-stop!" -> "cafe bus
    stop"``."""
    return " ".join(_NOT_WORD.split(unaccented(text))).strip()


@lru_cache(maxsize=4096)
def unaccented(text: str) -> str:
    """Lower case and accents removed, as ``fold`` does, but every other character kept as it
    is (spaces and punctuation too): for matching what is typed from the start of a label."""
    # Lowered, not case folded: a browser's toLowerCase does the same (the published site folds
    # what is typed in its script), and SEARCH_LETTERS does what case folding adds that
    # matters here (ß is ss, ς is σ). Every mark is dropped, spacing ones too, as the script's
    # \p{M} does.
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return bare.translate(_FOLD)


def words(text: str) -> list[str]:
    """The folded words that carry meaning, in order (stop words and one-letter words left out;
    numbers kept: "bus 42" is not "bus 7")."""
    return [word for word in fold(text).split() if word not in STOPWORDS and len(word) > 1]


def word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


def trigrams(text: str) -> frozenset[str]:
    """Three-letter pieces of each folded word (padded, so short words count): typos and
    plurals still share most of them ("bench"/"benches", "appointment"/"apointment")."""
    return word_trigrams(words(text))


def word_trigrams(found: Iterable[str]) -> frozenset[str]:
    """``trigrams`` of words already folded (``words``)."""
    grams: set[str] = set()
    for word in found:
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared over all (0 when either is empty)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)
