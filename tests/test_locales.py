"""Every locale the skill ships: its speech (complete, same fields, its own numbers), its
interaction model (same intents and slot ids, natural utterances that resolve alike), its manifest
entry, and a full round through the console spoken in that language.

tests/test_interaction_model.py keeps the detailed en-US checks; this file holds what must hold
for every locale.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from skill.coaching import plan_set
from skill.config import Config
from skill.console import Console, Elicitation, Resolver, normalize, normalize_sample
from skill.content import EXERCISE_IDS
from skill.entry import make_handler
from skill.locales import (
    DEFAULT_LOCALE,
    EXACT_FORMS,
    PLURAL_CATEGORIES,
    available_languages,
    spoken_time,
    strings_for,
)
from skill.locales import TIME_FIELDS as TIME_FIELDS_OF_LOCALES
from skill.ssml import spoken_seconds, to_plain_text
from skill.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "skill" / "locales"
MODELS_DIR = ROOT / "interaction_model" / "interactionModels" / "custom"
MANIFEST = ROOT / "interaction_model" / "skill.json"

LANGUAGE_OF = {
    "en-US": "en",
    "en-GB": "en",
    "en-CA": "en",
    "en-AU": "en",
    "en-IN": "en",
    "de-DE": "de",
    "es-ES": "es",
    "es-MX": "es",
    "es-US": "es",
    "fr-FR": "fr",
    "fr-CA": "fr",
    "it-IT": "it",
}
LOCALES = list(LANGUAGE_OF)
COUNTRIES = ["US", "GB", "CA", "AU", "IN", "DE", "ES", "MX", "FR", "IT"]
INVOCATION = {
    "en": "leg exercises",
    "de": "beinübungen",
    "es": "ejercicios de piernas",
    "fr": "exercices pour les jambes",
    "it": "esercizi per le gambe",
}
SKILL_NAME = {
    "en": "Leg Exercises",
    "de": "Beinübungen",
    "es": "Ejercicios de piernas",
    "fr": "Exercices pour les jambes",
    "it": "Esercizi per le gambe",
}
# Words Alexa uses to open or address a skill; an invocation name may not contain them.
LAUNCH_WORDS = {
    "en": {"ask", "tell", "open", "launch", "start", "begin", "load", "run", "enable", "play"},
    "de": {
        "frag",
        "frage",
        "sag",
        "sage",
        "öffne",
        "starte",
        "start",
        "beginne",
        "spiele",
        "aktiviere",
        "lade",
    },
    "es": {
        "abre",
        "abrir",
        "pregunta",
        "pregúntale",
        "dile",
        "pide",
        "pídele",
        "inicia",
        "empieza",
        "comienza",
        "juega",
        "activa",
    },
    "fr": {"ouvre", "lance", "démarre", "demande", "dis", "joue", "active", "commence"},
    "it": {"apri", "avvia", "lancia", "chiedi", "domanda", "di'", "gioca", "attiva", "inizia"},
}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "ziggy"}

CUSTOM_INTENTS = {
    "StartRoutineIntent": {},
    "StartExerciseIntent": {"exercise": "ExerciseName"},
    "HowToIntent": {"exercise": "ExerciseName"},
    "ChooseExerciseIntent": {"exercise": "ExerciseName"},
    "RemainingIntent": {},
    "ProgressIntent": {},
    "ListExercisesIntent": {},
    "SkipIntent": {},
    "SetGoalIntent": {"rounds": "AMAZON.NUMBER"},
    "ResetTodayIntent": {},
    "WeekIntent": {},
    "SetReminderIntent": {"time": "AMAZON.TIME"},
    "CancelReminderIntent": {},
    "PainIntent": {},
    "HoldLengthIntent": {},
    "RepCountIntent": {},
    "WhichSideIntent": {},
    "FinishedIntent": {},
    "SlowerIntent": {},
    "FasterIntent": {},
    "NormalSpeedIntent": {},
    "LessTalkIntent": {},
    "MoreDetailIntent": {},
    "CountdownOffIntent": {},
    "CountdownOnIntent": {},
    "NoEquipmentIntent": {"equipment": "Equipment"},
    "AddExerciseIntent": {"exercise": "ExerciseName", "equipment": "Equipment"},
    "SettingsIntent": {},
    "ResetSettingsIntent": {},
}
MIN_SAMPLES = {
    "StartRoutineIntent": 15,
    "StartExerciseIntent": 12,
    "HowToIntent": 15,
    "ChooseExerciseIntent": 5,
    "RemainingIntent": 12,
    "ProgressIntent": 10,
    "ListExercisesIntent": 8,
    "SkipIntent": 7,
    "SetGoalIntent": 8,
    "ResetTodayIntent": 6,
    "WeekIntent": 6,
    "SetReminderIntent": 8,
    "CancelReminderIntent": 6,
    "PainIntent": 12,
    "HoldLengthIntent": 12,
    "RepCountIntent": 12,
    "WhichSideIntent": 12,
    "FinishedIntent": 12,
    "SlowerIntent": 15,
    "FasterIntent": 15,
    "NormalSpeedIntent": 12,
    "LessTalkIntent": 15,
    "MoreDetailIntent": 12,
    "CountdownOffIntent": 15,
    "CountdownOnIntent": 12,
    "NoEquipmentIntent": 12,
    "AddExerciseIntent": 15,
    "SettingsIntent": 12,
    "ResetSettingsIntent": 12,
}
BUILTIN_INTENTS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.NextIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
}

# No health claims in any language: pain, healing, cures, therapy, treatment, relief, acupressure.
MEDICAL_WORDS = re.compile(
    r"\b(pain\w*|heal\w*|cure[sd]?|curing|treat\w*|therap\w*|relie\w*|relief|acupress\w*|"
    r"schmerz\w*|rückenschmerz\w*|heil\w*|therapie\w*|behandl\w*|linder\w*|akupress\w*|"
    r"beschwerde\w*|dolor\w*|curar\w*|cura\b|sanar\w*|terapi\w*|tratamiento\w*|alivi\w*|"
    r"acupresi\w*|douleur\w*|guéri\w*|thérap\w*|traitement\w*|soulag\w*|dolore\w*|guari\w*|"
    r"trattament\w*|sollievo|agopress\w*|digitopress\w*)\b",
    re.IGNORECASE,
)

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _model(locale: str) -> dict:
    return _json(MODELS_DIR / f"{locale}.json")["interactionModel"]["languageModel"]


def _manifest() -> dict:
    return _json(MANIFEST)["manifest"]


# --- speech ---------------------------------------------------------------------------------


def _leaves(node, path=()):
    """(path, value) for every leaf; a {"one", "other"} dict is one leaf; console keys skipped."""
    if isinstance(node, dict) and set(node) == {"one", "other"}:
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "_comment" or (not path and key.startswith("console_")):
                continue
            yield from _leaves(value, (*path, key))
    else:
        yield path, node


def _get(data: dict, path: tuple):
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return KeyError
        data = data[part]
    return data


def _fields(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _forms(value) -> dict[str, str]:
    return dict(value) if isinstance(value, dict) else {"": value}


def _english_form(english, form: str) -> str:
    if isinstance(english, dict):
        return english.get(form) or english["other"]
    return english


ENGLISH = strings_for("en-US")._data
# The fields a template that says a time gets (skill/locales/__init__.py, "Times of day").
TIME_FIELDS = set(TIME_FIELDS_OF_LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_english_string_exists_with_the_same_fields(locale):
    data = strings_for(locale)._data
    problems = []
    for path, english in _leaves(ENGLISH):
        key = ".".join(path)
        value = _get(data, path)
        if value is KeyError:
            problems.append(f"{key}: missing")
            continue
        if isinstance(english, list):
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems.append(f"{key}: should be a list of sentences")
            elif key == "numbers":
                continue
            elif any(_fields(v) for v in value) or not value:
                problems.append(f"{key}: list items take no fields")
            continue
        english_fields = set().union(*(_fields(t) for t in _forms(english).values()))
        forms = set(PLURAL_CATEGORIES) | set(EXACT_FORMS)
        if isinstance(value, dict) and not ("other" in value and set(value) <= forms):
            problems.append(f"{key}: should be text or plural forms (CLDR categories, 'other')")
            continue
        if "at" in english_fields:  # a time's template may use any of its fields
            english_fields = english_fields | TIME_FIELDS
        for form, text in _forms(value).items():
            if not isinstance(text, str):
                problems.append(f"{key}.{form}: not text")
                continue
            fields = _fields(text)
            # A singular may say "one" in words instead of {count}; nothing else may differ.
            allowed_missing = (
                {"count"} if form in ("one", *EXACT_FORMS) or isinstance(english, dict) else set()
            )
            if "at" in english_fields:  # the time in fields of its own ("{hour} h {minute}")
                allowed_missing |= TIME_FIELDS
            if not (english_fields - allowed_missing <= fields <= english_fields):
                problems.append(
                    f"{key}{'.' + form if form else ''}: fields {sorted(fields)} "
                    f"!= {sorted(english_fields)}"
                )
            if bool(text.strip()) != bool(_english_form(english, form).strip()):
                problems.append(f"{key}: empty in one language only")
            try:
                text.format(**{f: "x" for f in fields})
            except (IndexError, KeyError, ValueError) as exc:
                problems.append(f"{key}: does not format ({exc})")
        if (
            isinstance(value, dict)
            and "count" in english_fields
            and "time" not in english_fields  # a time's forms are chosen by its hour, unsaid
            and "count" not in _fields(value["other"])
        ):
            problems.append(f"{key}.other: must say the {{count}}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_console_phrases_exist_for_every_builtin_intent(locale):
    strings = strings_for(locale)
    builtins = strings.raw("console_builtin_utterances")
    assert set(builtins) == set(ENGLISH["console_builtin_utterances"])
    assert all(builtins.values())
    assert any(p == "{invocation}" for p in strings.raw("console_launch_phrases"))
    assert all("{invocation}" in p for p in strings.raw("console_one_shot_prefixes"))


@pytest.mark.parametrize("name", [n for n in available_languages() if "-" in n])
def test_regional_files_only_hold_what_differs(name):
    """en-GB.json, es-ES.json ... override keys of their language file, and only changed ones."""
    language = _json(LOCALE_DIR / f"{name.split('-')[0]}.json")
    for path, value in _leaves(_json(LOCALE_DIR / f"{name}.json")):
        base = _get(language, path)
        assert base is not KeyError, f"{name}: {'.'.join(path)} is not a key of the language"
        assert value != base, f"{name}: {'.'.join(path)} repeats the language file"


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_count_zero_to_ten_in_the_language(locale):
    numbers = strings_for(locale).raw("numbers")
    assert len(numbers) == 11
    assert len(set(numbers)) == 11 and all(isinstance(n, str) and n.strip() for n in numbers)
    if LANGUAGE_OF[locale] != "en":
        assert numbers[1:4] != ENGLISH["numbers"][1:4]


@pytest.mark.parametrize("language", available_languages())
def test_no_health_claims_in_any_language(language):
    for path, value in _leaves(_json(LOCALE_DIR / f"{language}.json")):
        if path == REFERRAL:
            continue  # below: it names pain and a professional, and claims nothing
        for text in value if isinstance(value, list) else _forms(value).values():
            assert not MEDICAL_WORDS.search(text), f"{language}: {text}"


# The one sentence that may name pain and a therapist: after "it hurts", see someone if it goes on.
REFERRAL = ("dialog", "pain_advice")
CLAIM_WORDS = re.compile(
    r"\b(heal\w*|cure[sd]?|curing|treat\w*|relie\w*|relief|heil\w*|behandl\w*|linder\w*|"
    r"curar\w*|cura\b|sanar\w*|tratamiento\w*|alivi\w*|guéri\w*|traitement\w*|soulag\w*|"
    r"guari\w*|trattament\w*|sollievo)\b",
    re.IGNORECASE,
)
PROFESSIONALS = re.compile(r"(doctor|ärztlich|médic|médecin|medico)", re.IGNORECASE)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pain_referral_names_a_professional_and_claims_nothing(locale):
    text = strings_for(locale).text("dialog.pain_advice")
    assert PROFESSIONALS.search(text), text
    assert not CLAIM_WORDS.search(text), text
    assert len(text) < 120, text


def test_the_listings_make_no_health_claims_in_any_language():
    for locale, info in _manifest()["publishingInformation"]["locales"].items():
        text = json.dumps(info, ensure_ascii=False)
        assert not MEDICAL_WORDS.findall(text), locale


def test_unknown_or_malformed_locales_fall_back_to_english():
    english = strings_for("en-US")
    for locale in (
        "xx-YY",
        None,
        "",
        "zz",
        "../../../../etc/passwd",
        "de-DE\x00",
        "en-GB/../x",
        42,
    ):
        strings = strings_for(locale)
        assert strings.locale == DEFAULT_LOCALE
        assert strings._data == english._data
        assert strings.text("dialog.goodbye") == "Okay, see you later."


def test_a_known_language_with_an_unknown_region_gets_the_language_file():
    assert strings_for("de-AT").text("dialog.goodbye") == strings_for("de-DE").text(
        "dialog.goodbye"
    )
    assert strings_for("en-NZ")._data == strings_for("en-US")._data
    assert strings_for("es-419").exercise_name("band_foot_pulls") == "jalar la banda con el pie"
    # Case and separators as some clients send them still find the regional file.
    assert (
        strings_for("en-gb").text("dialog.goodbye")
        == strings_for("en-GB").text("dialog.goodbye")
        != strings_for("en-US").text("dialog.goodbye")
    )
    assert strings_for("es_ES").exercise_name("band_foot_pulls") == "tirar de la banda con el pie"


# --- interaction models ---------------------------------------------------------------------


def test_every_locale_has_a_model_and_a_manifest_entry():
    assert {p.stem for p in MODELS_DIR.glob("*.json")} == set(LOCALES)
    assert set(_manifest()["publishingInformation"]["locales"]) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name_follows_alexas_rules(locale):
    language = LANGUAGE_OF[locale]
    name = _model(locale)["invocationName"]
    assert name == INVOCATION[language]
    # Lower-case letters (any alphabet), spaces between words, possessive apostrophes.
    word = r"[^\W\d_]+(?:'[^\W\d_]+)?"
    assert name == name.lower() and re.fullmatch(rf"{word}(?: {word})*", name), name
    words = name.split()
    # Two words or more; German may use one compound word (e.g. "kaffeeroboter").
    assert len(words) >= 2 or (language == "de" and len(name) >= 10)
    assert not set(words) & (LAUNCH_WORDS[language] | WAKE_WORDS)


@pytest.mark.parametrize("locale", LOCALES)
def test_model_has_the_same_intents_slots_and_samples_shape(locale):
    model = _model(locale)
    intents = {i["name"]: i for i in model["intents"]}
    assert set(intents) == set(CUSTOM_INTENTS) | BUILTIN_INTENTS
    assert len(intents) == len(model["intents"])
    for name, slots in CUSTOM_INTENTS.items():
        declared = {s["name"]: s["type"] for s in intents[name].get("slots", [])}
        assert declared == slots, name
        samples = intents[name]["samples"]
        assert len(samples) >= MIN_SAMPLES[name], name
        used = set()
        for sample in samples:
            assert sample == sample.strip() and "  " not in sample, sample
            assert sample == sample.lower(), sample
            # Letters, spaces, apostrophes and {slots}; numbers spelt out, no punctuation.
            assert re.fullmatch(r"[\w' {}]+", sample) and not re.search(r"\d", sample), sample
            assert not re.search(r"\}\s*\{", sample), sample
            refs = set(re.findall(r"\{(\w+)\}", sample))
            assert refs <= set(declared), f"{name}: {sample}"
            used |= refs
            assert not re.search(r"\balexa\b", sample), sample
        assert used == set(declared), f"{name}: a declared slot is never used"
    for name in BUILTIN_INTENTS:
        samples = intents[name].get("samples", [])
        # A built-in may be extended with everyday phrasings; the fallback never is.
        assert samples == [] if name == "AMAZON.FallbackIntent" else "{" not in "".join(samples)
    for name, intent in intents.items():
        for slot in intent.get("slots", []):  # slot samples answer a Dialog.ElicitSlot
            for sample in slot.get("samples", []):
                assert re.findall(r"\{(\w+)\}", sample) == [slot["name"]], f"{name}: {sample}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_utterance_belongs_to_two_intents(locale):
    """Custom samples, and the built-in phrases the console uses for this language."""
    owner: dict[str, str] = {}
    phrases = [(i["name"], s) for i in _model(locale)["intents"] for s in i.get("samples", [])]
    phrases += [
        (name, p)
        for name, ps in strings_for(locale).raw("console_builtin_utterances").items()
        for p in ps
    ]
    for intent, phrase in phrases:
        key = normalize_sample(phrase)
        assert owner.get(key, intent) == intent, f"'{phrase}' in {intent} and {owner[key]}"
        assert key not in owner, f"'{phrase}' twice in {intent}"
        owner[key] = intent


@pytest.mark.parametrize("locale", LOCALES)
def test_exercise_names_have_the_five_ids_and_no_shared_synonym(locale):
    names = [t["name"] for t in _model(locale)["types"]]
    assert names == ["ExerciseName", "Equipment"]  # Equipment: tests/test_interaction_model.py
    slot_type = _model(locale)["types"][0]
    ids = [v["id"] for v in slot_type["values"]]
    assert len(ids) == 5 and set(ids) == set(EXERCISE_IDS)
    owner: dict[str, str] = {}
    for value in slot_type["values"]:
        words = [value["name"]["value"], *value["name"].get("synonyms", [])]
        assert len(words) >= 11, value["id"]
        assert len({w.lower() for w in words}) == len(words), f"a repeat in {value['id']}"
        for word in words:
            assert word == word.lower(), word
            key = normalize(word)
            assert owner.get(key, value["id"]) == value["id"], f"'{word}' under two ids"
            owner[key] = value["id"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_spoken_names_are_names_the_model_knows(locale):
    """What the skill calls an exercise is what a user can say back to it."""
    strings, resolver = strings_for(locale), Resolver.for_locale(locale)
    for exercise_id in EXERCISE_IDS:
        name = strings.exercise_name(exercise_id)
        # The answer to "Which one would you like?", which elicits ChooseExerciseIntent's slot.
        _assert_resolves(resolver, name, "ChooseExerciseIntent", exercise_id, WHICH_ONE)
        # "You can come back to it with: start ankle circles."
        command = strings.text("dialog.round_left_skipped", name=name).rsplit(":", 1)[1]
        _assert_resolves(resolver, command.strip(" ."), "StartExerciseIntent", exercise_id)


WHICH_ONE = Elicitation("ChooseExerciseIntent", "exercise")


def _assert_resolves(resolver: Resolver, utterance: str, intent: str, slot_id=None, asked=None):
    found = resolver.resolve(utterance, asked)
    assert found is not None, f"'{utterance}' matches nothing"
    assert found.intent == intent, f"'{utterance}' -> {found.intent}, not {intent}"
    if slot_id is None:
        return
    (slot,) = found.slots.values()
    if slot_id.isdigit():
        assert slot["value"] == slot_id, utterance
        return
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH", f"'{utterance}': no match"
    assert authority["values"][0]["value"]["id"] == slot_id, utterance


# One list per language, resolved by every locale of that language to the same intent and slot.
# Numbers are typed as digits: the console reads AMAZON.NUMBER words in English only.
UTTERANCES = {
    "en": [
        ("start my leg exercises", "StartRoutineIntent", None),
        ("let's do my routine", "StartRoutineIntent", None),
        ("how do I do ankle circles", "HowToIntent", "ankle_circles"),
        ("how do i do the pencil one", "HowToIntent", "pencil_pickup"),
        ("start band foot pulls", "StartExerciseIntent", "band_foot_pulls"),
        ("start tiptoe walking", "StartExerciseIntent", "tiptoe_walking"),
        ("the pencil one", "ChooseExerciseIntent", "pencil_pickup"),
        ("toe grips", "ChooseExerciseIntent", "toe_grips"),
        ("what's left for today", "RemainingIntent", None),
        ("how am I doing", "ProgressIntent", None),
        ("list the exercises", "ListExercisesIntent", None),
        ("skip this exercise", "SkipIntent", None),
        ("set my daily goal to 2 rounds", "SetGoalIntent", "2"),
        ("reset today", "ResetTodayIntent", None),
        ("next", "AMAZON.NextIntent", None),
        ("pause", "AMAZON.PauseIntent", None),
        ("yes", "AMAZON.YesIntent", None),
        ("no", "AMAZON.NoIntent", None),
        ("stop", "AMAZON.StopIntent", None),
        ("help", "AMAZON.HelpIntent", None),
        ("repeat", "AMAZON.RepeatIntent", None),
        ("resume", "AMAZON.ResumeIntent", None),
        ("start over", "AMAZON.StartOverIntent", None),
        ("go back", "AMAZON.PreviousIntent", None),
    ],
    "de": [
        ("starte mein Training", "StartRoutineIntent", None),
        ("lass uns anfangen", "StartRoutineIntent", None),
        ("starten", "StartRoutineIntent", None),
        ("wie geht Fußkreisen", "HowToIntent", "ankle_circles"),
        ("wie mache ich den Zehenspitzengang", "HowToIntent", "tiptoe_walking"),
        ("wie ich Stift aufheben mache", "HowToIntent", "pencil_pickup"),
        ("wie geht diese Übung", "HowToIntent", None),
        ("starte Zehenkrallen", "StartExerciseIntent", "toe_grips"),
        ("mach die Übung mit dem Band", "StartExerciseIntent", "band_foot_pulls"),
        ("die Übung mit dem Stift", "ChooseExerciseIntent", "pencil_pickup"),
        ("Übung drei", "ChooseExerciseIntent", "ankle_circles"),
        ("was fehlt heute noch", "RemainingIntent", None),
        ("was ich heute noch machen muss", "RemainingIntent", None),
        ("wie schlage ich mich", "ProgressIntent", None),
        ("welche Übungen gibt es", "ListExercisesIntent", None),
        ("überspring diese Übung", "SkipIntent", None),
        ("setz mein Ziel auf 2 Runden", "SetGoalIntent", "2"),
        ("heute zurücksetzen", "ResetTodayIntent", None),
        ("weiter", "AMAZON.NextIntent", None),
        ("Pause", "AMAZON.PauseIntent", None),
        ("ja", "AMAZON.YesIntent", None),
        ("nein", "AMAZON.NoIntent", None),
        ("stopp", "AMAZON.StopIntent", None),
        ("Hilfe", "AMAZON.HelpIntent", None),
        ("wiederholen", "AMAZON.RepeatIntent", None),
        ("fortsetzen", "AMAZON.ResumeIntent", None),
        ("von vorne", "AMAZON.StartOverIntent", None),
        ("zurück", "AMAZON.PreviousIntent", None),
    ],
    "es": [
        ("empieza mi rutina", "StartRoutineIntent", None),
        ("vamos a empezar", "StartRoutineIntent", None),
        ("empieza", "StartRoutineIntent", None),
        ("¿cómo se hacen los círculos de tobillo?", "HowToIntent", "ankle_circles"),
        ("cómo hago el agarre con los dedos", "HowToIntent", "toe_grips"),
        ("cómo se hace este ejercicio", "HowToIntent", None),
        ("empieza caminar de puntillas", "StartExerciseIntent", "tiptoe_walking"),
        ("empieza jalones con banda", "StartExerciseIntent", "band_foot_pulls"),
        ("empieza tirones con banda", "StartExerciseIntent", "band_foot_pulls"),
        ("haz recoger el lápiz", "StartExerciseIntent", "pencil_pickup"),
        ("el del lápiz", "ChooseExerciseIntent", "pencil_pickup"),
        ("el de la banda", "ChooseExerciseIntent", "band_foot_pulls"),
        ("¿qué me queda hoy?", "RemainingIntent", None),
        ("cuántas series me faltan", "RemainingIntent", None),
        ("cómo voy", "ProgressIntent", None),
        ("qué ejercicios hay", "ListExercisesIntent", None),
        ("salta este ejercicio", "SkipIntent", None),
        ("pon mi objetivo en 2 rondas", "SetGoalIntent", "2"),
        ("reinicia hoy", "ResetTodayIntent", None),
        ("siguiente", "AMAZON.NextIntent", None),
        ("pausa", "AMAZON.PauseIntent", None),
        ("sí", "AMAZON.YesIntent", None),
        ("no", "AMAZON.NoIntent", None),
        ("para", "AMAZON.StopIntent", None),
        ("ayuda", "AMAZON.HelpIntent", None),
        ("repite", "AMAZON.RepeatIntent", None),
        ("reanuda", "AMAZON.ResumeIntent", None),
        ("empieza de nuevo", "AMAZON.StartOverIntent", None),
        ("anterior", "AMAZON.PreviousIntent", None),
    ],
    "fr": [
        ("commence ma séance", "StartRoutineIntent", None),
        ("commencer", "StartRoutineIntent", None),
        ("c'est parti", "StartRoutineIntent", None),
        ("comment faire les cercles de cheville", "HowToIntent", "ankle_circles"),
        ("explique-moi la griffe des orteils", "HowToIntent", "toe_grips"),
        ("comment faire cet exercice", "HowToIntent", None),
        ("commence les tirages à l'élastique", "StartExerciseIntent", "band_foot_pulls"),
        ("commence le ramassage du crayon", "StartExerciseIntent", "pencil_pickup"),
        ("celui avec l'élastique", "ChooseExerciseIntent", "band_foot_pulls"),
        ("la marche sur la pointe des pieds", "ChooseExerciseIntent", "tiptoe_walking"),
        ("qu'est-ce qu'il me reste aujourd'hui", "RemainingIntent", None),
        ("combien de séries il me reste", "RemainingIntent", None),
        ("où j'en suis", "ProgressIntent", None),
        ("quels sont les exercices", "ListExercisesIntent", None),
        ("passe cet exercice", "SkipIntent", None),
        ("mets mon objectif à 2 tours", "SetGoalIntent", "2"),
        ("remets la journée à zéro", "ResetTodayIntent", None),
        ("suivant", "AMAZON.NextIntent", None),
        ("on enchaîne", "AMAZON.NextIntent", None),
        ("pause", "AMAZON.PauseIntent", None),
        ("oui", "AMAZON.YesIntent", None),
        ("non", "AMAZON.NoIntent", None),
        ("stop", "AMAZON.StopIntent", None),
        ("aide", "AMAZON.HelpIntent", None),
        ("répète", "AMAZON.RepeatIntent", None),
        ("reprends", "AMAZON.ResumeIntent", None),
        ("recommence", "AMAZON.StartOverIntent", None),
        ("précédent", "AMAZON.PreviousIntent", None),
    ],
    "it": [
        ("inizia la routine", "StartRoutineIntent", None),
        ("iniziamo", "StartRoutineIntent", None),
        ("come si fanno le rotazioni della caviglia", "HowToIntent", "ankle_circles"),
        ("come si fa la raccolta della matita", "HowToIntent", "pencil_pickup"),
        ("come si fa questo esercizio", "HowToIntent", None),
        ("inizia presa con le dita dei piedi", "StartExerciseIntent", "toe_grips"),
        ("passa alla camminata in punta di piedi", "StartExerciseIntent", "tiptoe_walking"),
        ("quello con l'elastico", "ChooseExerciseIntent", "band_foot_pulls"),
        ("la matita", "ChooseExerciseIntent", "pencil_pickup"),
        ("cosa mi resta per oggi", "RemainingIntent", None),
        ("quante serie mi mancano", "RemainingIntent", None),
        ("come sto andando", "ProgressIntent", None),
        ("quali esercizi ci sono", "ListExercisesIntent", None),
        ("salta questo esercizio", "SkipIntent", None),
        ("imposta il mio obiettivo a 2 giri", "SetGoalIntent", "2"),
        ("azzera oggi", "ResetTodayIntent", None),
        ("avanti", "AMAZON.NextIntent", None),
        ("pausa", "AMAZON.PauseIntent", None),
        ("sì", "AMAZON.YesIntent", None),
        ("no", "AMAZON.NoIntent", None),
        ("stop", "AMAZON.StopIntent", None),
        ("aiuto", "AMAZON.HelpIntent", None),
        ("ripeti", "AMAZON.RepeatIntent", None),
        ("riprendi", "AMAZON.ResumeIntent", None),
        ("ricomincia", "AMAZON.StartOverIntent", None),
        ("indietro", "AMAZON.PreviousIntent", None),
    ],
}
# Local phrasing that only some locales' models add.
LOCAL_UTTERANCES = {
    "en-GB": [
        ("how am I getting on", "ProgressIntent", None),
        ("let's crack on", "StartRoutineIntent", None),
    ],
    "en-AU": [
        ("how am I going", "ProgressIntent", None),
        ("start walking on tippy toes", "StartExerciseIntent", "tiptoe_walking"),
    ],
    "en-IN": [("what is pending for today", "RemainingIntent", None)],
    "es-MX": [("caminar de puntitas", "ChooseExerciseIntent", "tiptoe_walking")],
    "es-US": [("caminar de puntitas", "ChooseExerciseIntent", "tiptoe_walking")],
    "es-ES": [("coge el lápiz", "ChooseExerciseIntent", "pencil_pickup")],
    "fr-CA": [("la marche sur le bout des pieds", "ChooseExerciseIntent", "tiptoe_walking")],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_model_of_a_language_resolves_its_utterances_alike(locale):
    resolver = Resolver.for_locale(locale)
    for utterance, intent, slot_id in UTTERANCES[LANGUAGE_OF[locale]] + LOCAL_UTTERANCES.get(
        locale, []
    ):
        # An exercise named on its own answers "Which one would you like?" (Dialog.ElicitSlot).
        asked = WHICH_ONE if intent == "ChooseExerciseIntent" else None
        _assert_resolves(resolver, utterance, intent, slot_id, asked)


ONE_SHOTS = {
    "en": ("ask leg exercises how do I do ankle circles", "HowToIntent"),
    "de": ("frag Beinübungen, wie Fußkreisen geht", "HowToIntent"),
    "es": ("pídele a ejercicios de piernas que empiece mi rutina", "StartRoutineIntent"),
    "fr": ("demande à exercices pour les jambes ce qu'il me reste aujourd'hui", "RemainingIntent"),
    "it": (
        "chiedi a esercizi per le gambe come si fanno le rotazioni della caviglia",
        "HowToIntent",
    ),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_launch_and_one_shot_phrases_in_the_language(locale):
    language = LANGUAGE_OF[locale]
    resolver = Resolver.for_locale(locale)
    for phrase in strings_for(locale).raw("console_launch_phrases"):
        spoken = "Alexa, " + phrase.format(invocation=INVOCATION[language])
        assert resolver.resolve(spoken).kind == "launch", spoken
    utterance, intent = ONE_SHOTS[language]
    found = resolver.resolve("Alexa, " + utterance)
    assert (found.intent, found.new_session) == (intent, True)


# --- manifest -------------------------------------------------------------------------------


def test_the_manifest_is_published_in_every_country_of_the_locales():
    publishing = _manifest()["publishingInformation"]
    assert publishing["distributionCountries"] == COUNTRIES
    assert publishing["isAvailableWorldwide"] is False


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_has_its_own_listing(locale):
    info = _manifest()["publishingInformation"]["locales"][locale]
    assert info["name"] == SKILL_NAME[LANGUAGE_OF[locale]]
    assert 0 < len(info["summary"]) <= 160
    assert 0 < len(info["description"]) <= 4000
    assert 0 < len(info["keywords"]) <= 30 and all(info["keywords"])


@pytest.mark.parametrize("locale", LOCALES)
def test_example_phrases_are_phrases_of_that_locales_model(locale):
    phrases = _manifest()["publishingInformation"]["locales"][locale]["examplePhrases"]
    assert 1 <= len(phrases) <= 3
    resolver = Resolver.for_locale(locale)
    assert resolver.resolve(phrases[0]).kind == "launch", phrases[0]
    for phrase in phrases:
        assert phrase.startswith("Alexa, "), phrase
        assert INVOCATION[LANGUAGE_OF[locale]] in normalize(phrase), phrase
        found = resolver.resolve(phrase)
        assert found is not None and found.new_session, phrase
        for slot in found.slots.values():
            authority = slot["resolutions"]["resolutionsPerAuthority"][0]
            assert authority["status"]["code"] == "ER_SUCCESS_MATCH", phrase


# --- a full round, spoken in each language --------------------------------------------------

ROUNDS = {
    "en": ("open leg exercises", "start my leg exercises", "next", "what's left for today"),
    "de": ("öffne Beinübungen", "starte mein Training", "weiter", "was fehlt heute noch"),
    "es": ("abre ejercicios de piernas", "empieza mi rutina", "siguiente", "¿qué me queda hoy?"),
    "fr": (
        "ouvre exercices pour les jambes",
        "commence ma séance",
        "suivant",
        "qu'est-ce qu'il me reste aujourd'hui ?",
    ),
    "it": ("apri esercizi per le gambe", "inizia la routine", "avanti", "cosa mi resta per oggi"),
}
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _said(response: dict) -> str:
    return to_plain_text(Console.speech_of(response))


@pytest.mark.parametrize("locale", LOCALES)
def test_a_full_round_in_the_language(locale, tmp_path):
    strings = strings_for(locale)
    store = SqliteStore(tmp_path / "progress.sqlite3")
    console = Console(
        make_handler(Config(default_timezone="UTC"), store),
        Resolver.for_locale(locale),
        user_id=f"amzn1.ask.account.{locale}",
        locale=locale,
        clock=lambda: NOW,
    )
    launch, start, nxt, remaining = ROUNDS[LANGUAGE_OF[locale]]

    def left(n: int) -> str:
        return strings.text("dialog.remaining_total", sets=strings.text("dialog.sets", count=n))

    responses = [console.say(launch)]
    welcome = _said(responses[0])
    assert strings.text("dialog.safety") in welcome
    assert (
        strings.text("dialog.today_status", left=strings.text("dialog.sets", count=15)) in welcome
    )
    responses.append(console.say(remaining))
    assert left(15) in _said(responses[-1])

    responses.append(console.say(start))
    first = _said(responses[-1])
    toe = strings.exercise_name("toe_grips")
    assert first.startswith(
        strings.text("coach.round_intro", round=1, goal=3)
        + " "
        + strings.text("coach.set_intro", name=toe[:1].upper() + toe[1:], set_number=1, goal=3)
    )
    count = [strings.number(n) for n in (1, 2, 3)]
    assert f"{count[0]} [1 s] {count[1]} [1 s] {count[2]}" in first
    round_done = strings.text("dialog.round_done", round=1, goal=3)
    for _ in range(40):
        responses.append(console.say(nxt))
        assert console.in_session, _said(responses[-1])
        if round_done in _said(responses[-1]):
            break
    else:
        raise AssertionError(f"{locale}: the round never ended: {_said(responses[-1])}")
    text = " ".join(_said(r) for r in responses)
    for exercise_id in EXERCISE_IDS:
        name = strings.exercise_name(exercise_id)
        assert (
            strings.text("coach.set_intro", name=name[:1].upper() + name[1:], set_number=1, goal=3)
            in text
        )
        assert strings.text("dialog.saved_set", name=name, set_number=1, goal=3) in text
    responses.append(console.say(remaining))
    assert left(10) in _said(responses[-1])
    today = store.load(console.user_id, NOW.date()).today
    assert dict(today.done) == {e: 1 for e in EXERCISE_IDS}

    for response in responses:
        ssml = Console.speech_of(response)
        ElementTree.fromstring(ssml)
        assert spoken_seconds(ssml) <= Config().budget_seconds
        assert not re.search(r"[{}]", to_plain_text(ssml)), to_plain_text(ssml)
    if LANGUAGE_OF[locale] != "en":  # nothing of the English text leaks into another language
        for key in ("dialog.ask_next_part", "coach.get_ready", "dialog.safety"):
            assert strings_for("en-US").text(key) not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_chat_command_completes_a_round_in_the_language(locale, tmp_path):
    """The bar: ``printf ... | leg-skill chat --locale X`` finishes round 1 from that language."""
    launch, start, nxt, remaining = ROUNDS[LANGUAGE_OF[locale]]
    strings = strings_for(locale)
    # One "next" per segment: the last one saves the final set and ends the round.
    segments = sum(len(plan_set(e, strings, Config().budget_seconds, 1, 3)) for e in EXERCISE_IDS)
    lines = [launch, start, *[nxt] * segments, remaining]
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "TZ": "UTC"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skill",
            "chat",
            "--locale",
            locale,
            "--store",
            str(tmp_path / "chat.sqlite3"),
            "--timezone",
            "UTC",
        ],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert strings.text("dialog.round_done", round=1, goal=3) in result.stdout
    assert (
        strings.text("dialog.remaining_total", sets=strings.text("dialog.sets", count=10))
        in result.stdout
    )


@pytest.mark.skipif(
    not os.environ.get("LEG_SKILL_WALK_EVERY_LOCALE"),
    reason="about 40 s a language; set LEG_SKILL_WALK_EVERY_LOCALE=1 to run",
)
@pytest.mark.parametrize(
    "locale", ["en-GB", "en-AU", "en-IN", "de-DE", "es-ES", "es-MX", "fr-FR", "fr-CA", "it-IT"]
)
def test_every_reachable_reply_is_within_limits_in_the_language(locale):
    """tests/test_dialog_walk.py's exhaustive walk, in another language's words."""
    from test_dialog_walk import BUDGET, _problems
    from walk import starting_snapshots, walk, within_one_set

    problems: dict[str, str] = {}
    strings = strings_for(locale)
    for snapshot in starting_snapshots().values():
        for step in walk(strings, BUDGET, [snapshot], prune=within_one_set(snapshot)):
            for problem in _problems(step, strings):
                problems.setdefault(problem, step.outcome.reply.speech[:300])
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_time_fields_name_every_field_a_time_gives_a_template():
    for locale in ("en-US", "de-DE", "fr-CA"):
        assert set(spoken_time(locale, 13, 5).fields()) == TIME_FIELDS
