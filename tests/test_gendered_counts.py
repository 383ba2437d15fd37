"""A count of one before or after a feminine noun is said as a word ("una", "une"), never as the
digit a speech engine reads as masculine "uno"/"un" (issue 16's quoted fault)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skill.config import Config
from skill.console import Console, Resolver
from skill.entry import make_handler
from skill.locales import strings_for
from skill.ssml import to_plain_text
from skill.store.sqlite import SqliteStore

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
OPEN = {
    "es-MX": "abre ejercicios de piernas",
    "es-ES": "abre ejercicios de piernas",
    "fr-FR": "ouvre exercices pour les jambes",
    "fr-CA": "ouvre exercices pour les jambes",
    "it-IT": "apri esercizi per le gambe",
}
START_TIPTOE = {
    "es-MX": "empieza con caminar de puntitas",
    "es-ES": "empieza con caminar de puntillas",
    "fr-FR": "commence l'exercice marche sur la pointe des pieds",
    "fr-CA": "commence l'exercice marche sur la pointe des pieds",
    "it-IT": "inizia l'esercizio camminata in punta di piedi",
}
ONE = {"es": "una", "fr": "une", "it": "una"}


@pytest.mark.parametrize("locale", sorted(OPEN))
def test_one_of_the_sets_or_reps_is_a_feminine_word(locale):
    strings = strings_for(locale)
    word = ONE[locale[:2]]
    for key, fields in [
        ("dialog.progress_today", {"total": 15}),
        ("coach.segment_done", {"total": 5}),
        ("dialog.reps_status", {"count": 4, "total": 5, "name": "x"}),
    ]:
        text = strings.text(key, done=strings.tally(1), **fields)
        assert f" {word} " in f" {text} ".replace(":", " ").replace(".", " "), text
        assert " 1 " not in f" {text} ", text


@pytest.mark.parametrize("locale", sorted(OPEN))
def test_the_first_rep_of_tiptoe_walking_is_counted_as_a_word(locale, tmp_path):
    console = Console(
        make_handler(Config(), SqliteStore(tmp_path / "p.sqlite3")),
        Resolver.for_locale(locale),
        user_id="amzn1.ask.account.TALLY",
        clock=lambda: NOW,
        locale=locale,
    )
    console.say(OPEN[locale])
    text = to_plain_text(Console.speech_of(console.say(START_TIPTOE[locale])))
    done = strings_for(locale).text("coach.segment_done", done=ONE[locale[:2]], total=5)
    assert done in text, text


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_languages_without_the_problem_keep_digits(locale):
    assert strings_for(locale).tally(1) == "1"
