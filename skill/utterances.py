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

Numbers in words are read in every language the skill speaks, up to fifty-nine (times need
the minutes): "zwei runden", "dos rondas", "deux tours", "due giri" are "2", as Alexa reports an
``AMAZON.NUMBER``, from a small table per language below. A library was weighed first:
``text2num`` (on PyPI, kept up, reads all five languages) would do it, but it is a compiled
extension that the skill package and its Lambda bundle would carry for sixty words a language;
``num2words`` goes the other way.

Times of day are read in words or digits in every language too ("half past seven", "um halb
neun", "a las nueve y cuarto de la noche", "à minuit et demie", "alle otto meno un quarto"),
as Alexa resolves ``AMAZON.TIME`` in all of them.
"""

from __future__ import annotations

import re
import unicodedata

from .records import record

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


@record(frozen=True)
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


# Twenty-one to fifty-nine, made from the tens and the units above: German puts the unit first
# ("einundzwanzig"), Spanish writes the twenties as one word ("veintiuno", "veintidós") and
# joins the others with "y" ("cuarenta y cinco"), French with "et" for one ("vingt et une",
# "trente deux"), Italian as one word that drops the tens' last vowel before "uno" and "otto"
# ("ventuno", "trentotto", "quarantacinque"). Accents are folded for the look-up ("veintidos",
# "ventitre" as typed).
_TENS_WORDS = {
    "de": {"zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50},
    "es": {"treinta": 30, "cuarenta": 40, "cincuenta": 50},
    "fr": {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50},
    "it": {"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50},
}


def _fold(words: str) -> str:
    decomposed = unicodedata.normalize("NFD", " ".join(words.replace("-", " ").split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _compound(language: str, tens: str, unit: str) -> list[str]:
    if language == "de":
        return [unit + "und" + tens]
    if language == "es":
        return [f"{tens} y {unit}"]
    if language == "fr":
        return [f"{tens} et {unit}"] if unit in ("un", "une") else [f"{tens} {unit}"]
    return [tens[:-1] + unit if unit[0] in "aeiou" else tens + unit]


def _all_number_words(language: str) -> dict[str, int]:
    units = _NUMBER_WORDS[language]
    table = dict(units)
    if language == "es":  # "veintiuno", "veintidós", "veintiún"
        table |= {"veinti" + w: 20 + n for w, n in units.items() if 1 <= n <= 9}
        table |= {"veintiún": 21}
    for tens, ten in _TENS_WORDS[language].items():
        table[tens] = ten
        for unit, n in units.items():
            if 1 <= n <= 9:
                table |= dict.fromkeys(_compound(language, tens, unit), ten + n)
    return {_fold(w): n for w, n in table.items()}


_ALL_NUMBER_WORDS = {language: _all_number_words(language) for language in _NUMBER_WORDS}


def spoken_number(words: str, language: str = "en") -> int | None:
    """A whole number from digits or words up to fifty-nine, in English ("twenty one", "21"),
    German, Spanish, French and Italian ("zwei", "dieciséis", "dix-sept", "einundzwanzig",
    "cuarenta y cinco", "vingt et une", "trentotto").

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
        return _ALL_NUMBER_WORDS.get(language, {}).get(_fold(words))
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
    """An ``AMAZON.TIME`` value, as Alexa reports one: "08:00", "19:30", or "MO", "AF", "EV",
    "NI" for a part of the day said alone.

    Source: Alexa Skills Kit, Slot Type Reference, "AMAZON.TIME"
    (https://developer.amazon.com/docs/alexa/custom-skills/slot-type-reference.html): times
    on a 24-hour clock as ``HH:MM``, "morning", "afternoon", "evening", "night" as ``MO``,
    ``AF``, ``EV``, ``NI``; available in every locale.

    Parameters
    ----------
    words : str
        Normalized words. English: "8 am", "seven thirty pm", "eight in the morning", "noon",
        "quarter past seven", "morning" ("8:30" arrives as "8 30"). German, Spanish, French,
        Italian: digits or words, with what is said before a time ("um acht uhr morgens",
        "a la una y media de la tarde", "à 13 h 05", "all'una", "alle 21 e un quarto"); a
        time said without a part of the day is read on a 24-hour clock ("acht uhr": "08:00").
    language : str
        ``"en"``, ``"de"``, ``"es"``, ``"fr"`` or ``"it"``; any other reads nothing.

    Returns
    -------
    str or None
        ``None`` when the words are not a time of day.
    """
    if language != "en":
        return _local_time(words, language) if language in _CLOCKS else None
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


# --- Times of day outside English ------------------------------------------------------------
#
# Alexa resolves AMAZON.TIME in every language it serves (Slot Type Reference, "AMAZON.TIME":
# https://developer.amazon.com/docs/alexa/custom-skills/slot-type-reference.html, "available
# in all supported locales"): a time of day becomes "HH:MM" on a 24-hour clock, a part of the day
# said alone "MO", "AF", "EV" or "NI", noon and midnight "12:00" and "00:00". What the console
# reads, per language: the words said before a time ("um", "a las", "à", "alle", "all'"), the
# hour in digits or words with its hour word ("Uhr", "heures", "h"), the minutes after it, a
# quarter or a half after it or before the next hour ("y cuarto", "moins le quart", "meno un
# quarto", German "viertel nach", "viertel vor", "halb neun"), and a part of the day before or
# after it ("morgens", "de la tarde", "du soir", "di sera").

_MORNING, _AFTERNOON, _EVENING, _NIGHT = "MO", "AF", "EV", "NI"
# "De la madrugada" and "mittags" have no code of their own.
_SMALL_HOURS, _MIDDAY = "small hours", "midday"
# What a part of the day said alone reports; the others are their own code.
_BARE_PART = {_SMALL_HOURS: _NIGHT, _MIDDAY: "12:00"}
# The 24-hour clock hours a part of the day takes, for "20 uhr abends" (kept) or "13 di sera"
# (not a time).
_PART_HOURS = {
    _MORNING: range(0, 12),
    _AFTERNOON: range(12, 20),
    _EVENING: range(16, 24),
    _NIGHT: (*range(18, 24), *range(0, 6)),
    _SMALL_HOURS: range(0, 7),
    _MIDDAY: range(11, 16),
}


def _part_hour(hour: int, part: str) -> int | None:
    """The 24-hour clock hour of ``hour`` said with a part of the day ("nine at night": 21)."""
    if not 1 <= hour <= 12:
        return hour if hour in _PART_HOURS[part] else None
    if part in (_MORNING, _SMALL_HOURS):
        return hour % 12
    if part == _NIGHT:  # "las doce de la noche" is midnight, "ein uhr nachts" one in the morning
        return 0 if hour == 12 else hour if hour < 6 else hour + 12
    if part == _MIDDAY:  # "zwölf uhr mittags" is noon, "ein uhr mittags" one in the afternoon
        return hour if hour >= 11 else hour + 12
    return hour % 12 + 12


def _prepare(words: str) -> str:
    """Normalized words with an elided article apart ("all'una": "all' una") and "20h30" split."""
    words = re.sub(r"(\w')(?=\w)", r"\1 ", normalize(words))
    return re.sub(r"\b(\d{1,2})h(\d{2})?\b", r"\1 h \2", words).strip()


def _phrases(*phrases: str) -> tuple[tuple[str, ...], ...]:
    return _words(*(_prepare(p) for p in phrases))


@record(frozen=True)
class _Clock:
    """How a language says a time of day (each phrase as :func:`_prepare` leaves it)."""

    before: tuple[tuple[str, ...], ...]  # "a las", "all'": said before a time, dropped
    hour_words: frozenset[str]  # "uhr", "heures", "h": after the hour, or after the minutes
    dropped: tuple[tuple[str, ...], ...]  # "en punto", "minuten": carry nothing
    parts: dict[str, str]  # "de la tarde": afternoon
    moments: dict[str, int]  # "mitternacht": 0
    join: frozenset[str]  # "y" in "ocho y diez"
    minus: frozenset[str]  # "menos" in "ocho menos diez"
    quarter: frozenset[str]
    half: frozenset[str]
    three_quarters: frozenset[str] = frozenset()


def _clock(
    before: tuple[str, ...],
    hour_words: tuple[str, ...],
    dropped: tuple[str, ...],
    parts: dict[str, str],
    moments: dict[str, int],
    join: tuple[str, ...],
    minus: tuple[str, ...],
    quarter: tuple[str, ...],
    half: tuple[str, ...],
    three_quarters: tuple[str, ...] = (),
) -> _Clock:
    return _Clock(
        before=_phrases(*before),
        hour_words=frozenset(hour_words),
        dropped=_phrases(*dropped),
        parts={_prepare(p): part for p, part in parts.items()},
        moments={_prepare(m): hour for m, hour in moments.items()},
        join=frozenset(join),
        minus=frozenset(minus),
        quarter=frozenset(_prepare(q) for q in quarter),
        half=frozenset(half),
        three_quarters=frozenset(_prepare(q) for q in three_quarters),
    )


_CLOCKS = {
    "de": _clock(
        before=("um", "gegen", "so um", "so gegen", "ungefähr um", "etwa um", "ab"),
        hour_words=("uhr",),
        dropped=("minuten", "minute"),
        parts={"morgens": _MORNING, "am morgen": _MORNING, "früh": _MORNING}
        | {"in der früh": _MORNING, "frühmorgens": _MORNING, "vormittags": _MORNING}
        | {"am vormittag": _MORNING, "mittags": _MIDDAY, "am mittag": _MIDDAY}
        | {"nachmittags": _AFTERNOON, "am nachmittag": _AFTERNOON, "abends": _EVENING}
        | {"am abend": _EVENING, "heute abend": _EVENING, "nachts": _NIGHT}
        | {"in der nacht": _NIGHT},
        moments={"mitternacht": 0, "mittag": 12},
        join=("und",),
        minus=(),
        quarter=(),
        half=(),
    ),
    "es": _clock(
        before=(
            "a las",
            "a la",
            "las",
            "la",
            "a",
            "al",
            "el",
            "sobre las",
            "sobre la",
            "hacia las",
            "hacia la",
            "para las",
            "para la",
            "a eso de las",
            "a eso de la",
        ),
        hour_words=("horas", "hrs"),
        dropped=("en punto", "minutos", "minuto"),
        parts={"de la mañana": _MORNING, "por la mañana": _MORNING, "en la mañana": _MORNING}
        | {"la mañana": _MORNING, "esta mañana": _MORNING, "de la tarde": _AFTERNOON}
        | {"por la tarde": _AFTERNOON, "en la tarde": _AFTERNOON, "la tarde": _AFTERNOON}
        | {"esta tarde": _AFTERNOON, "de la noche": _NIGHT, "por la noche": _NIGHT}
        | {"en la noche": _NIGHT, "la noche": _NIGHT, "esta noche": _NIGHT, "noche": _NIGHT}
        | {"de la madrugada": _SMALL_HOURS, "de madrugada": _SMALL_HOURS}
        | {"la madrugada": _SMALL_HOURS, "en la madrugada": _SMALL_HOURS}
        | {"del mediodía": _MIDDAY, "al mediodía": _MIDDAY},
        moments={"mediodía": 12, "medio día": 12, "medianoche": 0, "media noche": 0},
        join=("y",),
        minus=("menos",),
        quarter=("cuarto",),
        half=("media",),
        three_quarters=("tres cuartos",),
    ),
    "fr": _clock(
        before=("à", "vers", "pour", "sur les", "aux alentours de"),
        hour_words=("heures", "heure", "h"),
        dropped=("pile", "précises", "précise", "minutes", "minute"),
        parts={"du matin": _MORNING, "le matin": _MORNING, "matin": _MORNING}
        | {"ce matin": _MORNING, "dans la matinée": _MORNING, "en matinée": _MORNING}
        | {"de l'après-midi": _AFTERNOON, "l'après-midi": _AFTERNOON}
        | {"après-midi": _AFTERNOON, "dans l'après-midi": _AFTERNOON}
        | {"cet après-midi": _AFTERNOON, "du soir": _EVENING, "le soir": _EVENING}
        | {"soir": _EVENING, "ce soir": _EVENING, "en soirée": _EVENING}
        | {"dans la soirée": _EVENING, "de la nuit": _NIGHT, "la nuit": _NIGHT}
        | {"nuit": _NIGHT, "dans la nuit": _NIGHT},
        moments={"minuit": 0, "midi": 12},
        join=("et",),
        minus=("moins",),
        quarter=("quart", "le quart"),
        half=("demie", "demi"),
        three_quarters=("trois quarts",),
    ),
    "it": _clock(
        before=(
            "alle",
            "all'",
            "a",
            "le",
            "l'",
            "verso le",
            "verso l'",
            "per le",
            "per l'",
            "alle ore",
            "ore",
            "verso",
            "per",
        ),
        hour_words=(),
        dropped=("in punto", "minuti", "minuto"),
        parts={"di mattina": _MORNING, "del mattino": _MORNING, "della mattina": _MORNING}
        | {"di mattino": _MORNING, "la mattina": _MORNING, "mattina": _MORNING}
        | {"stamattina": _MORNING, "del pomeriggio": _AFTERNOON, "di pomeriggio": _AFTERNOON}
        | {"il pomeriggio": _AFTERNOON, "nel pomeriggio": _AFTERNOON, "pomeriggio": _AFTERNOON}
        | {"oggi pomeriggio": _AFTERNOON, "di sera": _EVENING, "della sera": _EVENING}
        | {"la sera": _EVENING, "alla sera": _EVENING, "sera": _EVENING, "stasera": _EVENING}
        | {"di notte": _NIGHT, "della notte": _NIGHT, "la notte": _NIGHT, "notte": _NIGHT}
        | {"stanotte": _NIGHT},
        moments={"mezzanotte": 0, "mezzogiorno": 12, "mezzodì": 12},
        join=("e",),
        minus=("meno",),
        quarter=("quarto", "un quarto"),
        half=("mezza", "mezzo"),
        three_quarters=("tre quarti",),
    ),
}


def _strip(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> list[str] | None:
    """``tokens`` without the first of ``phrases`` it starts with (``None``: none)."""
    found = next((p for p in phrases if _starts(tokens, 0, p) and len(tokens) > len(p)), None)
    return tokens[len(found) :] if found else None


def _part(tokens: list[str], clock: _Clock) -> tuple[list[str], str] | None:
    """A part of the day said after the time or before it, and the rest."""
    for size in range(max(len(p.split()) for p in clock.parts), 0, -1):
        if len(tokens) > size:
            if (part := clock.parts.get(" ".join(tokens[-size:]))) is not None:
                return tokens[:-size], part
            if (part := clock.parts.get(" ".join(tokens[:size]))) is not None:
                return tokens[size:], part
    return None


def _after_hour(tokens: list[str], clock: _Clock, language: str) -> int | None:
    """Minutes after (or, negative, before) the hour: "y cuarto" 15, "moins le quart" -15."""
    if not tokens:
        return 0
    sign = -1 if tokens[0] in clock.minus else 1
    if sign < 0 or tokens[0] in clock.join:
        tokens = tokens[1:]
    words = " ".join(tokens)
    if words in clock.quarter:
        return sign * 15
    if sign > 0 and words in clock.half:
        return 30
    if sign > 0 and words in clock.three_quarters:
        return 45
    minutes = spoken_number(words, language)
    if minutes is None or not (0 if sign > 0 else 1) <= minutes < (60 if sign > 0 else 31):
        return None
    return sign * minutes


def _german_before_hour(tokens: list[str]) -> tuple[list[str], int] | None:
    """German says a half or a quarter before the hour it leads to: "halb neun" is 8:30,
    "viertel nach sieben" 7:15, "viertel vor acht" and "dreiviertel acht" 7:45, "zehn nach
    halb acht" 7:40. The hour's words and the minutes from it."""
    if len(tokens) >= 2 and tokens[0] == "halb":
        return tokens[1:], -30
    if len(tokens) >= 2 and tokens[0] == "dreiviertel":
        return tokens[1:], -15
    if len(tokens) >= 3 and tokens[:2] == ["drei", "viertel"]:
        return tokens[2:], -15
    at = next((i for i, t in enumerate(tokens) if t in ("nach", "vor")), None)
    if at is None or at == 0 or at == len(tokens) - 1:
        if len(tokens) >= 2 and tokens[0] == "viertel":  # "viertel acht": a quarter past seven
            return tokens[1:], -45
        return None
    hour, base = tokens[at + 1 :], 0
    if hour[0] == "halb" and len(hour) > 1:
        hour, base = hour[1:], -30
    amount = " ".join(tokens[:at])
    minutes = 15 if amount == "viertel" else spoken_number(amount, "de")
    if minutes is None or not 1 <= minutes <= 30:
        return None
    return hour, base + (minutes if tokens[at] == "nach" else -minutes)


def _hours(tokens: list[str], clock: _Clock, language: str) -> list[tuple[list[str], int]]:
    """Ways to read the words as an hour and the minutes from it, the longest hour first."""
    while len(tokens) > 1 and tokens[-1] in clock.hour_words:  # "13 05 uhr", "vingt heures"
        tokens = tokens[:-1]
    ways = []
    at = next((i for i, t in enumerate(tokens) if t in clock.hour_words), None)
    if at is not None:  # "dix heures sept", "13 uhr 5": the hour word ends the hour
        offset = _after_hour(tokens[at + 1 :], clock, language)
        return [(tokens[:at], offset)] if offset is not None else []
    if language == "de" and (before := _german_before_hour(tokens)) is not None:
        ways.append(before)
    for size in range(len(tokens), 0, -1):
        offset = _after_hour(tokens[size:], clock, language)
        if offset is not None:
            ways.append((tokens[:size], offset))
    return ways


def _local_time(words: str, language: str) -> str | None:
    """An ``AMAZON.TIME`` value from words in German, Spanish, French or Italian."""
    clock = _CLOCKS[language]
    tokens = _prepare(words).split()
    kept: list[str] = []
    at = 0
    while at < len(tokens):
        dropped = next((d for d in clock.dropped if _starts(tokens, at, d)), None)
        at, kept = (at + len(dropped), kept) if dropped else (at + 1, [*kept, tokens[at]])
    tokens, part = kept, None
    while tokens:
        if part is None and (bare := clock.parts.get(" ".join(tokens))) is not None:
            return _BARE_PART.get(bare, bare)
        rest = _strip(tokens, clock.before)
        if rest is not None:
            tokens = rest
            continue
        found = _part(tokens, clock) if part is None else None
        if found is None:
            break
        tokens, part = found
    for hour_words, offset in _hours(tokens, clock, language):
        said = " ".join(hour_words)
        if said in clock.moments:
            hour: int | None = clock.moments[said]
        else:
            hour = spoken_number(said, language)
            if hour is None or hour > 24 or (hour == 24 and (part or offset)):
                continue
            hour %= 24
            if part is not None:
                hour = _part_hour(hour, part)
        if hour is None:
            continue
        minutes = (hour * 60 + offset) % (24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return None
