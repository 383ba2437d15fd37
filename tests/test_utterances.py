"""skill/utterances.py: the one form utterances and samples are matched in, and slot values."""

from __future__ import annotations

import pytest

from skill.utterances import canonical, canonical_sample, normalize, spoken_number, spoken_time


@pytest.mark.parametrize(
    "said, form",
    [
        ("Um, what's left please?", "what is left"),
        ("what is left", "what is left"),
        ("Okay so can you start ankle circles for me", "start ankle circles"),
        ("Alexa, next please", "next"),
        ("i'm done", "i am done"),
        ("I'd like to do toe grips now", "i would like to do toe grips"),
        ("no thank you", "no"),
        ("right, let's get cracking", "let us get cracking"),
        ("kindly start my exercises", "start my exercises"),
        # Never empty: a filler said alone is what was said.
        ("okay", "okay"),
        ("please", "please"),
        ("now", "now"),
    ],
)
def test_english_fillers_and_contractions(said, form):
    assert canonical(said) == form


def test_other_languages_drop_only_hesitations_and_a_closing_please():
    assert canonical("Äh, starte Fußkreisen bitte", "de") == "starte fußkreisen"
    assert canonical("wie bitte", "de") == "wie"
    assert canonical("empieza mi rutina por favor", "es") == "empieza mi rutina"
    assert canonical("euh commence s'il te plaît", "fr") == "commence"
    assert canonical("inizia per favore", "it") == "inizia"
    assert canonical("what's left please", "xx") == normalize("what's left please")


@pytest.mark.parametrize(
    ("said", "language", "form"),
    [
        ("it hurts a bit", "en", "it hurts"),
        ("my foot hurts a little", "en", "my foot hurts"),
        ("my knee hurts a little bit now", "en", "my knee hurts"),
        ("um my calf is sore kind of", "en", "my calf is sore"),
        ("it hurts really", "en", "it hurts"),
        ("something's not right with my ankle", "en", "something is not right with my ankle"),
        ("mein knie schmerzt ein bisschen", "de", "mein knie schmerzt"),
        ("es zieht ein wenig bitte", "de", "es zieht"),
        ("me duele un poco", "es", "me duele"),
        ("me duele un poquito", "es", "me duele"),
        ("ça tire un peu", "fr", "ça tire"),
        ("ça me lance un petit peu", "fr", "ça me lance"),
        ("mi fa male un po'", "it", "mi fa male"),
        ("mi fa male un po", "it", "mi fa male"),
    ],
)
def test_a_softener_said_last_is_dropped(said, language, form):
    assert canonical(said, language) == form


def test_a_softener_inside_the_phrase_or_alone_stays():
    assert canonical("it really hurts") == "it really hurts"
    assert canonical("a little") == "a little"
    assert canonical("es tut ein bisschen weh", "de") == "es tut ein bisschen weh"
    assert canonical("ça fait un peu mal", "fr") == "ça fait un peu mal"
    assert canonical("un po'", "it") == "un po'"
    assert canonical("me duele algo", "es") == "me duele algo"  # "algo" is a thing, not a degree


def test_samples_keep_their_slots():
    assert canonical_sample("{exercise} please") == "{exercise}"
    assert canonical_sample("can you start {exercise} now") == "start {exercise}"
    assert canonical_sample("what's {exercise}") == "what is {exercise}"


@pytest.mark.parametrize(
    "words, number",
    [("2", 2), ("two", 2), ("twelve", 12), ("twenty one", 21), ("forty", 40), ("a", None)],
)
def test_spoken_numbers(words, number):
    assert spoken_number(words) == number
    assert spoken_number("two rounds") is None


@pytest.mark.parametrize(
    "words, value",
    [
        ("8 am", "08:00"),
        ("8 pm", "20:00"),
        ("seven thirty pm", "19:30"),
        ("6 30 am", "06:30"),
        ("eight in the morning", "08:00"),
        ("nine at night", "21:00"),
        ("7 oh five am", "07:05"),
        ("quarter past seven", "07:15"),
        ("quarter to eight", "07:45"),
        ("half past six", "06:30"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("twelve am", "00:00"),
        ("21 00", "21:00"),
        ("morning", "MO"),
        ("the evening", "EV"),
        ("afternoon", "AF"),
        ("night", "NI"),
        ("at home", None),
        ("thirteen pm", None),
        ("8 sixty", None),
    ],
)
def test_spoken_times_as_alexa_reports_them(words, value):
    assert spoken_time(words) == value


@pytest.mark.parametrize(
    ("words", "language", "value"),
    [
        ("8 uhr", "de", "08:00"),
        ("20 uhr 30", "de", "20:30"),
        ("7 uhr abends", "de", "19:00"),
        ("8 heures", "fr", "08:00"),
        ("20h30", "fr", "20:30"),
        ("7 heures du soir", "fr", "19:00"),
        ("8 de la tarde", "es", "20:00"),
        ("9 30", "es", "09:30"),
        ("8 di sera", "it", "20:00"),
        ("7", "it", "07:00"),
        ("acht äpfel", "de", None),
        ("25 uhr", "de", None),
        ("13 di sera", "it", None),
    ],
)
def test_other_languages_times_in_digits(words, language, value):
    assert spoken_time(words, language) == value
