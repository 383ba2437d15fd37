"""Pure: what the console's resolver does to words before matching them, as an NLU would.

People say "um, what's left please" where the model lists "what's left"; Alexa's NLU shrugs off
the filler, the politeness and the contraction. :func:`canonical` brings an utterance and every
sample to one form (lower case, contractions spelt out, fillers dropped) so that the resolver
matches them the same way.

So does it shrug off a degree said at the end: "my foot hurts a little", "it hurts a bit",
"ça tire un peu", "me duele un poco", "mi fa male un po'" mean what the sample without it means,
and no intent of the skill turns on how much. Only these trailing softeners are dropped (see
``_SOFTENERS``), never one inside the phrase, where "ein bisschen" in "es tut ein bisschen weh"
or "un peu" in "ça fait un peu mal" stands between the words a sample lists: those are samples.

:func:`spoken_number` and :func:`spoken_time` read the values of
``AMAZON.NUMBER`` and ``AMAZON.TIME`` slots as Alexa reports them ("2", "07:30", "MO").

Numbers in words are read in every language the skill speaks: English up to fifty-nine (times
need the minutes), German, Spanish, French and Italian from zero to twenty ("zwei runden", "dos
rondas", "deux tours", "due giri" are "2", as Alexa reports an ``AMAZON.NUMBER``), from a small
table per language below. A library was weighed first: ``text2num`` (on PyPI, kept up, reads
all five languages) would do it, but it is a compiled extension that the skill package and its
Lambda bundle would carry for twenty words a language, and the console needs no more than the
numbers people give as a daily goal; ``num2words`` goes the other way. Times outside English
still arrive in digits ("8 uhr"), as Alexa transcribes them there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["canonical", "canonical_sample", "normalize", "spoken_number", "spoken_time"]

_SLOT = re.compile(r"(\{\w+\})")


def normalize(text: str) -> str:
    """Lower case, apostrophes kept, other punctuation dropped, spaces collapsed.

    Parameters
    ----------
    text : str
        Anything typed or heard.

    Returns
    -------
    str
        Words separated by single spaces.
    """
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Phrasing:
    """A language's words that carry no meaning for the NLU, and its contractions."""

    anywhere: tuple[tuple[str, ...], ...] = ()
    leading: tuple[tuple[str, ...], ...] = ()
    trailing: tuple[tuple[str, ...], ...] = ()
    contractions: tuple[tuple[str, str], ...] = ()


def _words(*phrases: str) -> tuple[tuple[str, ...], ...]:
    # Longest first, so "thank you" goes before "you" could ever be looked at.
    return tuple(sorted((tuple(p.split()) for p in phrases), key=len, reverse=True))


# Softeners and intensifiers said last, per language: "it hurts a bit", "my knee hurts a lot",
# "mein knie schmerzt ein bisschen", "me duele un poco", "ça tire un peu", "mi fa male un po'".
# Degree words only, never a word that could be what was asked for ("etwas", "algo" and "poco"
# alone name a thing or an amount; "mucho" and "sehr" are left to samples).
_SOFTENERS = {
    "en": _words("a bit", "a little", "a little bit", "a tiny bit", "a wee bit", "a lot")
    + _words("kind of", "sort of", "kinda", "sorta", "really"),
    "de": _words("ein bisschen", "ein bissl", "ein bissel", "ein wenig"),
    "es": _words("un poco", "un poquito", "un poquitito"),
    "fr": _words("un peu", "un petit peu"),
    "it": _words("un po'", "un po", "un poco", "un pochino", "un pochettino"),
}
_ENGLISH = _Phrasing(
    anywhere=_words("um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "please")
    + _words("just", "kindly"),
    leading=_words("alexa", "ok", "okay", "so", "well", "oh", "hey", "now", "right")
    + _words("can you", "could you", "would you", "will you"),
    trailing=_words("thanks", "thank you", "for me", "to me", "then", "now", "right now")
    + _SOFTENERS["en"],
    contractions=(
        ("what's", "what is"),
        ("whats", "what is"),
        ("that's", "that is"),
        ("it's", "it is"),
        ("there's", "there is"),
        ("here's", "here is"),
        ("how's", "how is"),
        ("where's", "where is"),
        ("who's", "who is"),
        ("let's", "let us"),
        ("something's", "something is"),
        ("i'm", "i am"),
        ("i've", "i have"),
        ("i'd", "i would"),
        ("i'll", "i will"),
        ("you're", "you are"),
        ("we're", "we are"),
        ("we've", "we have"),
        ("we'll", "we will"),
        ("they're", "they are"),
        ("isn't", "is not"),
        ("aren't", "are not"),
        ("don't", "do not"),
        ("doesn't", "does not"),
        ("didn't", "did not"),
        ("can't", "can not"),
        ("cannot", "can not"),
        ("won't", "will not"),
        ("haven't", "have not"),
        ("hasn't", "has not"),
        ("wasn't", "was not"),
        ("shouldn't", "should not"),
        ("wouldn't", "would not"),
        ("couldn't", "could not"),
        ("what've", "what have"),
        ("wanna", "want to"),
        ("gonna", "going to"),
        ("gotta", "got to"),
        ("lemme", "let me"),
        ("gimme", "give me"),
    ),
)
# Other languages: only what cannot change a sample's meaning (hesitations, a closing "please",
# a softener said last).
_PHRASINGS = {
    "en": _ENGLISH,
    "de": _Phrasing(
        anywhere=_words("äh", "ähm", "öhm"),
        leading=_words("alexa", "ok", "okay"),
        trailing=_words("bitte") + _SOFTENERS["de"],
    ),
    "es": _Phrasing(
        anywhere=_words("eh", "em", "ehm"),
        leading=_words("alexa", "ok", "okay"),
        trailing=_words("por favor") + _SOFTENERS["es"],
    ),
    "fr": _Phrasing(
        anywhere=_words("euh", "heu"),
        leading=_words("alexa", "ok", "okay"),
        trailing=_words("s'il te plaît", "s'il vous plaît") + _SOFTENERS["fr"],
    ),
    "it": _Phrasing(
        anywhere=_words("ehm", "uhm"),
        leading=_words("alexa", "ok", "okay"),
        trailing=_words("per favore", "per piacere") + _SOFTENERS["it"],
    ),
}


def _starts(tokens: list[str], at: int, words: tuple[str, ...]) -> bool:
    return tuple(tokens[at : at + len(words)]) == words


def _canonical_tokens(tokens: list[str], language: str) -> list[str]:
    phrasing = _PHRASINGS.get(language, _Phrasing())
    expanded: list[str] = []
    contractions = dict(phrasing.contractions)
    for token in tokens:
        expanded += contractions.get(token, token).split()
    kept: list[str] = []
    at = 0
    while at < len(expanded):
        filler = next((w for w in phrasing.anywhere if _starts(expanded, at, w)), None)
        if filler and len(expanded) > len(filler):  # "please" alone stays "please"
            at += len(filler)
            continue
        kept.append(expanded[at])
        at += 1
    changed = True
    while changed:
        changed = False
        for words in phrasing.leading:
            if _starts(kept, 0, words) and len(kept) > len(words):
                kept, changed = kept[len(words) :], True
        for words in phrasing.trailing:
            if tuple(kept[-len(words) :]) == words and len(kept) > len(words):
                kept, changed = kept[: -len(words)], True
    return kept


def canonical(text: str, language: str = "en") -> str:
    """One form for everything that means the same to an NLU.

    Parameters
    ----------
    text : str
        An utterance, or a slot value.
    language : str
        ``"en"``, ``"de"`` ...; an unknown language is only normalized.

    Returns
    -------
    str
        Normalized words with contractions spelt out ("what's" -> "what is") and fillers
        dropped: hesitations and "please" anywhere, "okay", "so", "can you" ... in front, "thanks",
        "then", "now", and a softener ("a bit", "un peu") ... at the end. Never empty unless
        ``text`` is.
    """
    return " ".join(_canonical_tokens(normalize(text).split(), language))


def canonical_sample(sample: str, language: str = "en") -> str:
    """:func:`canonical` for a sample utterance, keeping its ``{slot}`` references.

    Parameters
    ----------
    sample : str
        A sample such as ``"{exercise} please"``.
    language : str
        As for :func:`canonical`.

    Returns
    -------
    str
        ``"{exercise}"`` for that example.
    """
    tokens: list[str] = []
    for piece in _SLOT.split(sample):
        tokens += [piece] if _SLOT.fullmatch(piece) else normalize(piece).split()
    return " ".join(_canonical_tokens(tokens, language))


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_NUMBERS = {word: n for n, word in enumerate(_UNITS)}


# Zero to twenty in the other languages, as said alone or before a noun ("eine runde", "una
# ronda", "une série", "un giro"); hyphens are spaces by then ("dix sept").
_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "de": {"null": 0, "eins": 1, "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "zwo": 2}
    | {"drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
    | {"zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15}
    | {"sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20},
    "es": {"cero": 0, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4}
    | {"cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11}
    | {"doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16}
    | {"diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20},
    "fr": {"zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
    | {"six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12}
    | {"treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "dix sept": 17}
    | {"dix huit": 18, "dix neuf": 19, "vingt": 20},
    "it": {"zero": 0, "uno": 1, "una": 1, "un": 1, "due": 2, "tre": 3, "quattro": 4}
    | {"cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11}
    | {"dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16}
    | {"diciassette": 17, "diciotto": 18, "diciannove": 19, "venti": 20},
}


def spoken_number(words: str, language: str = "en") -> int | None:
    """A whole number from digits or words: English up to fifty-nine ("twenty one", "21"),
    German, Spanish, French and Italian up to twenty ("zwei", "dieciséis", "dix-sept").

    Parameters
    ----------
    words : str
        Normalized words.
    language : str
        ``"en"``, ``"de"``, ``"es"``, ``"fr"`` or ``"it"``; another language reads digits only.

    Returns
    -------
    int or None
        ``None`` when the words are not one number.
    """
    if words.isdigit():
        return int(words)
    if language != "en":
        return _NUMBER_WORDS.get(language, {}).get(" ".join(words.replace("-", " ").split()))
    tokens = words.replace("-", " ").split()
    if len(tokens) == 1 and tokens[0] in _NUMBERS:
        return _NUMBERS[tokens[0]]
    if tokens and tokens[0] in _TENS:
        if len(tokens) == 1:
            return _TENS[tokens[0]]
        if len(tokens) == 2 and tokens[1] in _UNITS[1:10]:
            return _TENS[tokens[0]] + _UNITS.index(tokens[1])
    return None


_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_AFTER_NOON = {"pm", "p m", "in the afternoon", "in the evening", "at night", "tonight"}
_BEFORE_NOON = {"am", "a m", "in the morning"}
_PART_WORDS = sorted(
    [*_AFTER_NOON, *_BEFORE_NOON, "o'clock"], key=lambda words: len(words), reverse=True
)


def _minute(words: str | None) -> int | None:
    if words is None:
        return 0
    if words.startswith("oh "):
        n = spoken_number(words[3:])
        return n if n is not None and n < 10 else None
    n = spoken_number(words)
    return n if n is not None and n < 60 else None


def spoken_time(words: str, language: str = "en") -> str | None:
    """An ``AMAZON.TIME`` value from English words: "08:00", "19:30", or "MO", "AF", "EV", "NI".

    Other languages arrive as Alexa transcribes them, in digits: "8 uhr", "20 uhr 30",
    "8 heures", "20h30", "las 8 de la tarde" is "8 de la tarde" here, "8 30" (see
    :func:`_digit_time`).

    Parameters
    ----------
    words : str
        Normalized words: "8 am", "seven thirty pm", "eight in the morning", "noon",
        "quarter past seven", "morning" ("8:30" arrives as "8 30").

    Returns
    -------
    str or None
        ``None`` when the words are not a time of day.
    """
    if language != "en":
        return _digit_time(words, language)
    words = words.removeprefix("the ")
    if words in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[words]
    if words in ("noon", "midday", "twelve noon"):
        return "12:00"
    if words == "midnight":
        return "00:00"
    relative = re.fullmatch(r"(half|quarter) (past|to) (\w+)", words)
    if relative:
        hour = spoken_number(relative.group(3))
        if hour is None or not 1 <= hour <= 12:
            return None
        minutes = 30 if relative.group(1) == "half" else 15
        if relative.group(2) == "to":
            hour, minutes = (hour - 1) % 12 or 12, 60 - minutes
        return f"{hour:02d}:{minutes:02d}"
    part = next((p for p in _PART_WORDS if words.endswith(" " + p)), None)
    if part is not None:
        words = words[: -len(part) - 1]
    hour_words, _, minute_words = words.partition(" ")
    hour, minute = spoken_number(hour_words), _minute(minute_words or None)
    if hour is None or minute is None or hour > 23:
        return None
    if part in _AFTER_NOON or part in _BEFORE_NOON:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if part in _AFTER_NOON else 0)
    return f"{hour:02d}:{minute:02d}"


# Words around a time given in digits, per language: the hour word, and parts of the day that
# say before or after noon ("8 uhr abends", "8 heures du soir", "8 de la tarde", "8 di sera").
_HOUR_WORDS = {"de": ("uhr",), "fr": ("heures", "heure", "h"), "es": ("en punto",), "it": ()}
_DIGIT_PARTS = {
    "de": {"morgens": False, "früh": False, "am morgen": False, "vormittags": False}
    | {"abends": True, "am abend": True, "nachmittags": True, "am nachmittag": True},
    "fr": {"du matin": False, "du soir": True, "de l'après midi": True, "de l'après-midi": True},
    "es": {"de la mañana": False, "de la tarde": True, "de la noche": True},
    "it": {"di mattina": False, "del mattino": False, "di sera": True, "della sera": True}
    | {"del pomeriggio": True, "di pomeriggio": True},
}


def _digit_time(words: str, language: str) -> str | None:
    """``hh:mm`` from a time in digits with the language's hour word and part of the day."""
    after_noon = None
    for part, later in _DIGIT_PARTS.get(language, {}).items():
        if words.endswith(" " + part):
            words, after_noon = words[: -len(part) - 1], later
            break
    tokens = re.sub(r"^(\d{1,2})h(\d{2})?$", r"\1 \2", words).split()
    tokens = [t for t in tokens if t not in _HOUR_WORDS.get(language, ())]
    if not tokens or len(tokens) > 2 or not all(t.isdigit() for t in tokens):
        return None
    hour, minute = int(tokens[0]), int(tokens[1]) if len(tokens) == 2 else 0
    if hour > 23 or minute > 59:
        return None
    if after_noon is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if after_noon else 0)
    return f"{hour:02d}:{minute:02d}"
