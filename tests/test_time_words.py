"""Times of day in German, Spanish, French and Italian, read as Alexa reports ``AMAZON.TIME``.

Alexa resolves ``AMAZON.TIME`` in every locale ("HH:MM" on a 24-hour clock, "MO", "AF", "EV",
"NI" for a part of the day said alone; Slot Type Reference). The console must too, or a person
who answers "What time should I remind you each day?" in words, or repeats the time the skill
just said, is not understood. Each table mixes what the skill says in its confirmations, what
the samples list, and phrasings of our own that no sample lists.
"""

from __future__ import annotations

from functools import cache

import pytest

from skill.console import Elicitation, Resolver
from skill.locales import strings_for
from skill.utterances import normalize, spoken_number, spoken_time

GERMAN = [
    ("acht Uhr morgens", "08:00"),
    ("um acht Uhr", "08:00"),
    ("um 8 Uhr", "08:00"),
    ("acht Uhr", "08:00"),
    ("um halb neun", "08:30"),
    ("halb eins", "00:30"),
    ("viertel nach sieben", "07:15"),
    ("viertel vor acht", "07:45"),
    ("dreiviertel acht", "07:45"),
    ("zehn nach acht", "08:10"),
    ("fünf vor halb neun", "08:25"),
    ("20 Uhr", "20:00"),
    ("13 Uhr 5", "13:05"),
    ("um 13:05 Uhr", "13:05"),
    ("um 0:30 Uhr", "00:30"),
    ("um acht Uhr fünfundvierzig", "08:45"),
    ("zwanzig Uhr dreißig", "20:30"),
    ("um einundzwanzig Uhr", "21:00"),
    ("mittags", "12:00"),
    ("um zwölf Uhr mittags", "12:00"),
    ("ein Uhr mittags", "13:00"),
    ("um Mitternacht", "00:00"),
    ("abends um neun", "21:00"),
    ("halb acht abends", "19:30"),
    ("um sieben Uhr früh", "07:00"),
    ("zwei Uhr nachts", "02:00"),
    ("elf Uhr nachts", "23:00"),
    ("gegen neun", "09:00"),
    ("morgens", "MO"),
    ("am Nachmittag", "AF"),
    ("abends", "EV"),
    ("nachts", "NI"),
    ("13 Uhr morgens", None),
    ("25 Uhr", None),
    ("morgen", None),  # tomorrow, not a time of day
    ("acht Äpfel", None),
]
SPANISH = [
    ("las ocho de la mañana", "08:00"),
    ("a la una", "01:00"),
    ("a la una y cinco de la tarde", "13:05"),
    ("a la una y media de la tarde", "13:30"),
    ("a las nueve y cuarto de la noche", "21:15"),
    ("a las 9 y cuarto de la noche", "21:15"),
    ("a las doce del mediodía", "12:00"),
    ("a mediodía", "12:00"),
    ("al mediodía", "12:00"),
    ("a las ocho menos cuarto", "07:45"),
    ("las diez menos diez", "09:50"),
    ("a las doce y media de la noche", "00:30"),
    ("a la una de la madrugada", "01:00"),
    ("a las 13:05", "13:05"),
    ("a medianoche", "00:00"),
    ("las ocho y cuarenta y cinco", "08:45"),
    ("a las ocho y tres cuartos", "08:45"),
    ("a las siete en punto", "07:00"),
    ("a las veinte horas", "20:00"),
    ("a las veintiuna horas", "21:00"),
    ("sobre las seis y veinte de la tarde", "18:20"),
    ("por la mañana", "MO"),
    ("por la tarde", "AF"),
    ("por la noche", "NI"),
    ("a las trece de la noche", None),
    ("a casa", None),
]
FRENCH = [
    ("huit heures du matin", "08:00"),
    ("à midi", "12:00"),
    ("midi et quart", "12:15"),
    ("à minuit et demie", "00:30"),
    ("13 h 05", "13:05"),
    ("à 13 h 05", "13:05"),
    ("20h30", "20:30"),
    ("à 8 h", "08:00"),
    ("à 1 h", "01:00"),
    ("à une heure", "01:00"),
    ("vingt et une heures quinze", "21:15"),
    ("à vingt heures quarante-cinq", "20:45"),
    ("dix-sept heures", "17:00"),
    ("dix heures sept", "10:07"),
    ("sept heures et quart", "07:15"),
    ("huit heures moins le quart", "07:45"),
    ("huit heures moins dix", "07:50"),
    ("à neuf heures du soir", "21:00"),
    ("huit heures et demie du soir", "20:30"),
    ("deux heures de l'après-midi", "14:00"),
    ("vers sept heures pile", "07:00"),
    ("le matin", "MO"),
    ("l'après-midi", "AF"),
    ("le soir", "EV"),
    ("la nuit", "NI"),
    ("à la maison", None),
]
ITALIAN = [
    ("alle otto di mattina", "08:00"),
    ("all'una", "01:00"),
    ("all'1:00", "01:00"),
    ("a mezzogiorno", "12:00"),
    ("mezzogiorno e un quarto", "12:15"),
    ("a mezzanotte e mezza", "00:30"),
    ("alle 8 e mezza", "08:30"),
    ("alle nove e un quarto di sera", "21:15"),
    ("alle otto meno un quarto", "07:45"),
    ("le dieci meno cinque", "09:55"),
    ("alle 13 e 5", "13:05"),
    ("alle 21:15", "21:15"),
    ("alle 21 e un quarto", "21:15"),
    ("alle ventuno", "21:00"),
    ("alle otto e quarantacinque", "08:45"),
    ("alle sei e tre quarti", "06:45"),
    ("alle tre del pomeriggio", "15:00"),
    ("alle due di notte", "02:00"),
    ("alle undici di notte", "23:00"),
    ("verso le sette in punto", "07:00"),
    ("alle ore 8", "08:00"),
    ("di mattina", "MO"),
    ("il pomeriggio", "AF"),
    ("la sera", "EV"),
    ("di notte", "NI"),
    ("a casa", None),
]
TABLES = {"de": GERMAN, "es": SPANISH, "fr": FRENCH, "it": ITALIAN}


@pytest.mark.parametrize("language", sorted(TABLES))
def test_times_in_words_and_digits_are_read_as_alexa_reports_them(language):
    read = {said: spoken_time(normalize(said), language) for said, _ in TABLES[language]}
    assert read == dict(TABLES[language])


def test_the_minutes_are_counted_to_fifty_nine_in_words():
    assert spoken_number("neunundfünfzig", "de") == 59
    assert spoken_number("veintidós", "es") == spoken_number("veintidos", "es") == 22
    assert spoken_number("cincuenta y nueve", "es") == 59
    assert spoken_number("trente et un", "fr") == 31
    assert spoken_number("trentotto", "it") == 38
    assert spoken_number("sessanta", "it") is None


LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]
LOCALES += ["de-DE", "es-ES", "es-MX", "es-US", "fr-FR", "fr-CA", "it-IT"]
ASKED = Elicitation("SetReminderIntent", "time")
# "Remind me every day at ..." said at once, and the time said alone as the answer to "What time
# should I remind you each day?", in each language.
EVERY_DAY = {
    "en": [("remind me every day at 8 am", "08:00"), ("remind me daily at noon", "12:00")],
    "de": [
        ("erinnere mich jeden Tag um acht Uhr morgens", "08:00"),
        ("erinnere mich täglich um halb neun", "08:30"),
        ("erinnere mich jeden Tag abends um neun", "21:00"),
    ],
    "es": [
        ("recuérdame todos los días a las ocho de la mañana", "08:00"),
        ("recuérdame todos los días a mediodía", "12:00"),
        ("recuérdame cada día a la una y media de la tarde", "13:30"),
    ],
    "fr": [
        ("rappelle-moi tous les jours à huit heures du matin", "08:00"),
        ("rappelle-moi tous les jours à minuit et demie", "00:30"),
        ("rappelle-moi chaque jour vers neuf heures du soir", "21:00"),
    ],
    "it": [
        ("ricordami ogni giorno alle otto di mattina", "08:00"),
        ("ricordami ogni giorno all'una", "01:00"),
        ("ricordami tutti i giorni a mezzogiorno", "12:00"),
    ],
}
ALONE = {
    "en": [("seven thirty pm", "19:30"), ("in the morning", "MO")],
    "de": [("um 13:05 Uhr", "13:05"), ("viertel vor acht", "07:45"), ("mittags", "12:00")],
    "es": [("a las doce y media de la noche", "00:30"), ("a las 9 y cuarto de la noche", "21:15")],
    "fr": [("à 13 h 05", "13:05"), ("sept heures et quart", "07:15"), ("le soir", "EV")],
    "it": [("a mezzanotte e mezza", "00:30"), ("alle 21 e un quarto", "21:15")],
}


@cache
def _resolver(locale: str) -> Resolver:
    return Resolver.for_locale(locale)


def _reminder_time(locale: str, said: str, asked: Elicitation | None = None) -> str | None:
    found = _resolver(locale).resolve(said, asked)
    return found.slots["time"]["value"] if found.intent == "SetReminderIntent" else found.intent


@pytest.mark.parametrize("locale", LOCALES)
def test_a_daily_reminder_at_a_time_in_words_resolves_in_every_model(locale):
    language = locale.split("-")[0]
    said = {s: _reminder_time(locale, s) for s, _ in EVERY_DAY[language]}
    assert said == dict(EVERY_DAY[language])
    alone = {s: _reminder_time(locale, s, ASKED) for s, _ in ALONE[language]}
    assert alone == dict(ALONE[language])


def _time_heard(sentence: str, language: str) -> str | None:
    """The time a listener takes from a sentence: the longest clause ending that is one."""
    for clause in sentence.replace(",", ".").split("."):
        words = normalize(clause).split()
        for start in range(len(words)):
            value = spoken_time(" ".join(words[start:]), language)
            if value is not None:
                return value
    return None


@pytest.mark.parametrize("locale", LOCALES)
def test_the_time_the_skill_confirms_is_read_back_as_that_time(locale):
    """Someone repeats the time they just heard in "I'll remind you every day at ...": it is the
    time that was set."""
    strings = strings_for(locale)
    times = [(0, 0), (0, 30), (1, 0), (8, 0), (12, 0), (13, 5), (19, 30), (21, 15), (23, 45)]
    heard = {
        (h, m): _time_heard(strings.text("reminder.set", **strings.time(h, m).fields()), locale[:2])
        for h, m in times
    }
    assert heard == {(h, m): f"{h:02d}:{m:02d}" for h, m in times}
