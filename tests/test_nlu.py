"""The NLU annotation sets (nlu/) and the evaluator that runs them.

The sets are in the format of Alexa's NLU Annotation Set API, built from one source per language
plus regional extras; the evaluator runs them through the console's resolver.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.config import Config
from skill.console import Console, Elicitation, Resolver, normalize, normalize_sample
from skill.entry import make_handler
from skill.locales import strings_for
from skill.nlu import (
    FALLBACK,
    Annotation,
    annotated_locales,
    built_files,
    carrier_captures,
    dumps_annotation_set,
    evaluate,
    format_report,
    load_annotation_set,
    main,
    parse_source,
    source_annotations,
)
from skill.utterances import spoken_number

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = ROOT / "interaction_model" / "interactionModels" / "custom"
ENGLISH = ["en-AU", "en-CA", "en-GB", "en-IN", "en-US"]
LOCALES = sorted(p.stem for p in MODELS_DIR.glob("*.json"))
# These conversations were written at a 90 s budget, where toe grips and tiptoe walking come
# in parts ("Ready to keep going?"); the 240 s default says those sets in one reply
# (tests/test_cues.py, tests/test_dialog_walk.py and tests/test_audio.py run at the default).
PARTS_BUDGET = 90.0
# The built-ins people use in a session, each with everyday phrasings in the set.
BUILTINS_IN_THE_SET = [
    "AMAZON.NextIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.StopIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.PreviousIntent",
]


def _model(locale: str) -> dict:
    path = MODELS_DIR / f"{locale}.json"
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


# --- the sets: format, coverage, freshness ------------------------------------------------------


def test_every_locale_has_an_annotation_set():
    assert set(LOCALES) == set(annotated_locales())


def test_the_built_sets_are_what_the_sources_build():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in built_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run python -m skill.nlu build: {stale}"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_set_is_in_the_annotation_api_format(locale):
    path = ROOT / "nlu" / f"{locale}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"data"}
    for case in data["data"]:
        assert set(case) == {"inputs", "expected"}
        assert set(case["inputs"]) == {"utterance"} and case["inputs"]["utterance"].strip()
        (expected,) = case["expected"]
        assert set(expected) == {"intent"}
        intent = expected["intent"]
        assert set(intent) <= {"name", "slots"}
        for slot in intent.get("slots", {}).values():
            assert set(slot) == {"value"} and isinstance(slot["value"], str) and slot["value"]
    assert load_annotation_set(path) == source_annotations(locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_intent_has_enough_phrasings_and_every_name_is_the_models(locale):
    # English has 25 phrasings or more for each custom intent; the other languages 15 or more.
    least = 25 if locale in ENGLISH else 15
    model = _model(locale)
    intents = {i["name"]: i for i in model["intents"]}
    annotations = source_annotations(locale)
    count: dict[str, int] = {}
    for a in annotations:
        assert a.intent in intents, f"'{a.utterance}': {a.intent} is not in the model"
        declared = {s["name"]: s["type"] for s in intents[a.intent].get("slots", [])}
        assert set(a.slots) <= set(declared), f"'{a.utterance}': undeclared slot"
        for name, value in a.slots.items():
            if declared[name] == "AMAZON.NUMBER":
                assert value.isdigit(), a.utterance
            if declared[name] == "AMAZON.TIME":
                assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|MO|AF|EV|NI", value), a.utterance
        count[a.intent] = count.get(a.intent, 0) + 1
    custom = [name for name in intents if not name.startswith("AMAZON.")]
    assert {name: count.get(name, 0) for name in custom if count.get(name, 0) < least} == {}
    assert {n: count.get(n, 0) for n in BUILTINS_IN_THE_SET if count.get(n, 0) < 7} == {}
    assert count.get(FALLBACK, 0) >= 25


def _verbatim(annotation: Annotation, phrases: list[str]) -> bool:
    """The utterance is one of the phrases with its slots filled by the annotated words."""
    said = normalize(annotation.utterance)
    for phrase in phrases:
        filled = normalize_sample(phrase)
        for name, words in annotation.words.items():
            filled = filled.replace("{" + name + "}", normalize(words))
        if filled == said:
            return True
    return False


# English only: the other languages' models were fixed by adding what their sets showed missing
# before any further phrasings were written, so most of those sets are samples now (see README).
@pytest.mark.parametrize("locale", ENGLISH)
def test_a_set_is_not_the_model_read_back(locale):
    """People's phrasings, not the model's samples: when the English set was first written, 88%
    of it was in no model word for word. The models were then fixed by adding what it showed
    missing, so many of its phrasings are samples now; at least a third must still reach their
    intent only through what the resolver forgives (fillers, politeness, contractions, an
    article) or through slot values and synonyms the model never lists in that carrier."""
    model = _model(locale)
    phrases = [s for i in model["intents"] for s in i.get("samples", [])]
    phrases += [
        p for ps in strings_for(locale).raw("console_builtin_utterances").values() for p in ps
    ]
    annotations = source_annotations(locale)
    verbatim = [a.utterance for a in annotations if _verbatim(a, phrases)]
    assert len(verbatim) < (2 / 3) * len(annotations), f"{len(verbatim)} of {len(annotations)}"


# --- the models against their sets --------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_each_model_reaches_98_percent_and_never_a_wrong_state_change(locale):
    report = evaluate(Resolver.for_locale(locale), source_annotations(locale), locale)
    assert report.accuracy >= 0.98, format_report(report, all_intents=False)
    assert report.state_changing_confusions() == {}, format_report(report, all_intents=False)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_carrier_of_one_intent_captures_a_phrase_of_another(locale):
    captures = carrier_captures(Resolver.for_locale(locale), source_annotations(locale))
    assert not captures, "\n".join(
        f"'{c.utterance}' ({c.expected}) caught by {c.intent} '{c.sample}'" for c in captures
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_annotated_exercise_or_equipment_is_a_name_the_model_knows(locale):
    resolver = Resolver.for_locale(locale)
    unknown = [
        f"{a.intent}: '{a.utterance}'"
        for a in source_annotations(locale)
        for name, value in a.slots.items()
        if resolver.slot_types[(a.intent, name)] in ("ExerciseName", "Equipment")
        and resolver.value_id(a.intent, name, value) is None
    ]
    assert not unknown


# Words that carry no intent: a sample made of a slot and only these captures anything said
# around a value ("{exercise} please" takes "slower please", "stop please", "next please").
FILLERS = {
    "en": {"the", "a", "an", "please", "um", "uh", "now", "then", "ok", "okay", "so", "just"}
    | {"one", "well", "yes", "and"},
    "de": {"das", "den", "die", "der", "bitte", "jetzt", "dann", "lieber", "also", "ok", "okay"}
    | {"mal", "noch", "ja", "und"},
    "es": {"el", "la", "los", "las", "por", "favor", "mejor", "pues", "vale", "ok", "bueno"}
    | {"ahora", "luego", "sí", "y"},
    "fr": {"le", "la", "les", "l'", "s'il", "te", "plaît", "plutôt", "alors", "ok", "bon"}
    | {"maintenant", "oui", "et"},
    "it": {"il", "lo", "la", "le", "gli", "l'", "per", "favore", "meglio", "allora", "ok"}
    | {"adesso", "ora", "poi", "sì", "e"},
}
# Generic questions that must not be an exercise carrier ("what is left for today").
GENERIC_CARRIERS = {
    "en": {"what is {exercise}", "what are {exercise}", "what's {exercise}"},
    "de": {"was ist {exercise}", "was sind {exercise}"},
    "es": {"qué es {exercise}", "qué son {exercise}"},
    "fr": {"c'est quoi {exercise}", "qu'est-ce que {exercise}"},
    "it": {"cos'è {exercise}", "cosa sono {exercise}"},
}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sample_is_a_bare_slot_or_a_slot_with_only_filler_words(locale):
    """All twelve models. Such phrases are slot samples, answered through Dialog.ElicitSlot."""
    language = locale.split("-")[0]
    found = []
    for intent in _model(locale)["intents"]:
        for sample in intent.get("samples", []):
            if "{" not in sample:
                continue
            words = re.sub(r"\{\w+\}", " ", sample).split()
            if all(w in FILLERS[language] for w in words) or sample in GENERIC_CARRIERS[language]:
                found.append(f"{intent['name']}: '{sample}'")
    assert not found


@pytest.mark.parametrize("locale", LOCALES)
def test_no_two_intents_share_a_phrase_once_fillers_are_dropped(locale):
    resolver = Resolver.for_locale(locale)
    owner: dict[str, str] = {}
    clashes = []
    for pattern in resolver.patterns:
        if owner.setdefault(pattern.text, pattern.intent) != pattern.intent:
            clashes.append(f"'{pattern.text}': {owner[pattern.text]} and {pattern.intent}")
    assert not clashes


# --- the five intents of a set in progress: pain, hold, rep, side, done -------------------------

SET_INTENTS = ["PainIntent", "HoldLengthIntent", "RepCountIntent", "WhichSideIntent"]
SET_INTENTS += ["FinishedIntent"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_set_intents_come_before_the_builtins_in_every_model(locale):
    names = [i["name"] for i in _model(locale)["intents"]]
    first_builtin = next(k for k, name in enumerate(names) if name.startswith("AMAZON."))
    assert names[first_builtin - len(SET_INTENTS) : first_builtin] == SET_INTENTS
    assert all(not i.get("slots") for i in _model(locale)["intents"] if i["name"] in SET_INTENTS)


@pytest.mark.parametrize(
    ("locale", "utterance", "intent"),
    [
        # Hard (the fallback) or tiring (a pause) is not pain; pace has intents of its own.
        ("en-US", "this is too hard", FALLBACK),
        ("en-GB", "i'm tired", "AMAZON.PauseIntent"),
        ("en-US", "faster please", "FasterIntent"),
        ("en-US", "slower please", "SlowerIntent"),
        ("en-US", "ow that hurt", "PainIntent"),
        # Sets left today are RemainingIntent's; reps left in this set are RepCountIntent's.
        ("en-US", "how many sets are left", "RemainingIntent"),
        ("en-AU", "what's left for today", "RemainingIntent"),
        ("en-US", "how many are left", "RemainingIntent"),
        ("en-US", "how many are left in this set", "RepCountIntent"),
        ("en-IN", "how many reps do i do", "RepCountIntent"),
        # Done with a set, done for the day, and the question whether the day is done.
        ("en-US", "done", "FinishedIntent"),
        ("en-CA", "i am done", "FinishedIntent"),
        ("en-US", "i'm done for today", "AMAZON.StopIntent"),
        ("en-GB", "that's enough for today", "AMAZON.StopIntent"),
        ("en-US", "am i done for today", "RemainingIntent"),
        ("en-US", "what's next", "AMAZON.NextIntent"),
        ("de-DE", "das ist zu schwer", FALLBACK),
        ("de-DE", "ich bin müde", FALLBACK),
        ("de-DE", "wie viele sätze fehlen noch", "RemainingIntent"),
        ("de-DE", "wie viele wiederholungen fehlen noch", "RepCountIntent"),
        ("de-DE", "fertig", "FinishedIntent"),
        ("de-DE", "ich bin fertig", "FinishedIntent"),
        ("de-DE", "ich bin fertig für heute", "AMAZON.StopIntent"),
        ("de-DE", "bin ich für heute fertig", "RemainingIntent"),
        ("de-DE", "weiter", "AMAZON.NextIntent"),
        ("es-ES", "esto es muy difícil", FALLBACK),
        ("es-MX", "cuántas series me quedan", "RemainingIntent"),
        ("es-US", "cuántas repeticiones me quedan", "RepCountIntent"),
        ("es-ES", "ya terminé", "FinishedIntent"),
        ("es-MX", "ya quedó", "FinishedIntent"),
        ("es-ES", "ya terminé por hoy", "AMAZON.StopIntent"),
        ("fr-FR", "c'est trop dur", FALLBACK),
        ("fr-FR", "combien de séries il me reste", "RemainingIntent"),
        ("fr-CA", "combien de répétitions il reste", "RepCountIntent"),
        ("fr-CA", "ayoye", "PainIntent"),
        ("fr-FR", "j'ai fini", "FinishedIntent"),
        ("fr-FR", "j'ai fini pour aujourd'hui", "AMAZON.StopIntent"),
        ("fr-CA", "est-ce que j'ai fini pour aujourd'hui", "RemainingIntent"),
        ("it-IT", "è troppo difficile", FALLBACK),
        ("it-IT", "quante serie mi mancano", "RemainingIntent"),
        ("it-IT", "quante ripetizioni mancano", "RepCountIntent"),
        ("it-IT", "ho finito", "FinishedIntent"),
        ("it-IT", "ho finito per oggi", "AMAZON.StopIntent"),
    ],
)
def test_the_set_intents_keep_to_their_own_phrases(locale, utterance, intent):
    assert Resolver.for_locale(locale).resolve(utterance).intent == intent


# "It hurts" stops the exercise, however it is said. These everyday phrasings all fell to the
# fallback when PainIntent first came in; some are samples now, the others reach it only through
# a softener said last ("a bit", "un peu"), a filler or a contraction. None fills a slot: the
# skill collects nothing that describes the pain or names a body part.
PAIN_PHRASINGS = {
    "en": [
        "ow my ankle hurts",
        "ouch my foot hurts",
        "it hurts a bit",
        "my foot hurts a little",
        "i have pain in my knee",
        "my knee is killing me",
        "my heel is sore",
        "my calves are burning",
        "i've pulled something",
        "something's not right with my ankle",
        "that twinged",
        "i think i hurt myself",
        "my lower back is aching",
        "i've got a cramp in my toes",
        "my shins hurt a bit",
        "um my hip's killing me",
        "i hurt my big toe",
        "ouch my back",
        "my hamstring is cramping",
        "it hurts a lot",
        "my calf really hurts",
    ],
    "de": [
        "aua mein knöchel tut weh",
        "autsch mein fuß",
        "es tut ein bisschen weh",
        "mein fuß tut ein bisschen weh",
        "ich habe schmerzen im knie",
        "mein rücken bringt mich um",
        "meine ferse schmerzt",
        "meine waden brennen",
        "ich hab mir was gezerrt",
        "mit meinem knöchel stimmt was nicht",
        "da hat es gezwickt",
        "ich glaube ich hab mir weh getan",
        "mein kreuz tut weh",
        "ich hab einen krampf in den zehen",
        "mein knie schmerzt ein bisschen",
        "die hüfte tut weh",
        "ich habe mir am fuß weh getan",
        "es zieht im oberschenkel",
    ],
    "es": [
        "ay me duele el tobillo",
        "ay mi pie",
        "me duele un poco",
        "me duele el pie un poco",
        "tengo dolor en la rodilla",
        "la espalda me está matando",
        "tengo el talón adolorido",
        "me arden las pantorrillas",
        "me di un tirón",
        "siento algo raro en el tobillo",
        "me dio una punzada",
        "creo que me lastimé",
        "me duele la parte baja de la espalda",
        "tengo un calambre en los dedos del pie",
        "me duele un poco la rodilla",
        "me lastimé la cadera",
        "se me subió el gemelo",
        "me duelen las piernas un poquito",
    ],
    "fr": [
        "aïe ma cheville",
        "ouille mon pied me fait mal",
        "ça fait un peu mal",
        "j'ai un peu mal au pied",
        "j'ai une douleur au genou",
        "mon dos me tue",
        "mon talon me fait mal",
        "mes mollets brûlent",
        "je me suis froissé un muscle",
        "j'ai un souci à la cheville",
        "ça m'a lancé",
        "je crois que je me suis fait mal",
        "j'ai mal au bas du dos",
        "j'ai une crampe dans les orteils",
        "ça tire un peu",
        "je me suis fait mal à la hanche",
        "j'ai mal aux genoux",
        "aïe j'ai mal au mollet",
    ],
    "it": [
        "ahi la caviglia",
        "ahia mi fa male il piede",
        "mi fa un po' male",
        "mi fa male il piede un po'",
        "ho un dolore al ginocchio",
        "la schiena mi sta uccidendo",
        "ho il tallone indolenzito",
        "mi bruciano i polpacci",
        "mi sono stirato un muscolo",
        "c'è qualcosa che non va alla caviglia",
        "mi è venuta una fitta",
        "credo di essermi fatta male",
        "mi fa male la zona lombare",
        "ho un crampo alle dita dei piedi",
        "mi fa male un po'",
        "mi sono fatto male all'anca",
        "mi fanno male le ginocchia",
        "ho male alla schiena",
    ],
}
# Said around a sample, in no model word for word: only the resolver's forgiveness reaches these.
PAIN_AROUND_A_SAMPLE = {
    "en": [
        "um ow my ankle hurts a bit",
        "ouch my foot hurts a little bit",
        "oh my knee is killing me now",
        "something is not right with my ankle",
        "well i have pain in my knee really",
        "my calves are burning kind of",
    ],
    "de": [
        "äh aua mein knöchel tut weh",
        "meine ferse schmerzt ein bisschen",
        "ok ich habe schmerzen im knie",
        "es zieht im oberschenkel ein wenig",
        "ähm mein kreuz tut weh bitte",
        "meine waden brennen ein bissl",
    ],
    "es": [
        "eh ay me duele el tobillo",
        "me arden las pantorrillas un poco",
        "tengo dolor en la rodilla un poquito",
        "ok me lastimé la cadera",
        "ehm creo que me lastimé",
        "me molesta el tobillo un poco",
    ],
    "fr": [
        "euh aïe ma cheville",
        "mon talon me fait mal un peu",
        "mes mollets brûlent un petit peu",
        "ok j'ai une douleur au genou",
        "ça me lance un peu",
        "euh je crois que je me suis fait mal",
    ],
    "it": [
        "ehm ahi la caviglia",
        "mi bruciano i polpacci un pochino",
        "ho un dolore al ginocchio un po'",
        "ok mi sono stirato un muscolo",
        "mi fanno male le ginocchia un po",
        "uhm ho male alla schiena",
    ],
}
# ... and what is not pain keeps its own intent: a question, a start, tiredness, difficulty, pace.
SLOWER = "SlowerIntent"
NOT_PAIN = {
    "en": [
        ("how do i do ankle circles", "HowToIntent"),
        ("start band foot pulls", "StartExerciseIntent"),
        ("which foot goes first", "WhichSideIntent"),
        ("i'm tired", "AMAZON.PauseIntent"),
        ("this is too hard", FALLBACK),
        ("slower please", SLOWER),
        ("pause for a bit", "AMAZON.PauseIntent"),
    ],
    "de": [
        ("wie geht fußkreisen", "HowToIntent"),
        ("welcher fuß zuerst", "WhichSideIntent"),
        ("ich bin müde", FALLBACK),
        ("das ist zu schwer", FALLBACK),
        ("langsamer bitte", SLOWER),
    ],
    "es": [
        ("cómo se hacen los círculos de tobillo", "HowToIntent"),
        ("estoy cansado", FALLBACK),
        ("esto es muy difícil", FALLBACK),
        ("más despacio por favor", SLOWER),
    ],
    "fr": [
        ("je suis fatigué", FALLBACK),
        ("c'est trop dur", FALLBACK),
        ("plus lentement", SLOWER),
        ("attends un peu", "AMAZON.PauseIntent"),
    ],
    "it": [
        ("sono stanco", FALLBACK),
        ("è troppo difficile", FALLBACK),
        ("più piano", SLOWER),
        ("aspetta un po'", "AMAZON.PauseIntent"),
    ],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_everyday_pain_phrasings_reach_pain_in_every_locale(locale):
    resolver = Resolver.for_locale(locale)
    language = locale.split("-")[0]
    missed = {}
    for said in PAIN_PHRASINGS[language]:
        found = resolver.resolve(said)
        if (found.intent, found.slots) != ("PainIntent", {}):
            missed[said] = found.intent
    samples = {normalize_sample(s) for i in _model(locale)["intents"] for s in i.get("samples", [])}
    for said in PAIN_AROUND_A_SAMPLE[language]:
        assert normalize(said) not in samples, said
        found = resolver.resolve(said)
        if (found.intent, found.slots) != ("PainIntent", {}):
            missed[said] = found.intent
    assert not missed
    assert {
        said: resolver.resolve(said).intent
        for said, intent in NOT_PAIN[language]
        if resolver.resolve(said).intent != intent
    } == {}


# --- name-free interaction: each launch phrase reaches what it names ------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_each_name_free_launch_phrase_reaches_what_it_names(locale):
    """A skill launch phrase opens the skill (a LaunchRequest through the NFI toolkit); said in a
    session, or after "ask leg exercises to", the same words are StartRoutineIntent samples, so
    either way they begin the day's exercises. An intent launch phrase reaches its intent."""
    path = ROOT / "interaction_model" / "name_free" / f"{locale}.json"
    points = json.loads(path.read_text(encoding="utf-8"))["interactionModel"][
        "_nameFreeInteraction"
    ]["ingressPoints"]
    resolver = Resolver.for_locale(locale)
    for point in points:
        expected = point.get("name", "StartRoutineIntent")
        found = resolver.resolve(point["value"])
        assert (found.kind, found.intent) == ("intent", expected), point["value"]
        if expected == "HowToIntent":  # the exercise is named in the phrase, never a slot
            assert _exercise_id(found.slots["exercise"]) in {
                "toe_grips",
                "tiptoe_walking",
                "ankle_circles",
                "band_foot_pulls",
                "pencil_pickup",
            }, point["value"]


# --- the source format --------------------------------------------------------------------------


def test_the_source_format_marks_slots_and_their_values():
    text = """
    # a comment
    [SetGoalIntent]
    set my goal to {rounds:two=2} rounds please
    [HowToIntent]
    how do i do {exercise:the band one}
    how do i do this one
    """
    found = parse_source(text)
    assert found == [
        Annotation("set my goal to two rounds please", "SetGoalIntent", {"rounds": "2"}),
        Annotation("how do i do the band one", "HowToIntent", {"exercise": "the band one"}),
        Annotation("how do i do this one", "HowToIntent", {}),
    ]
    assert found[0].words == {"rounds": "two"}
    body = json.loads(dumps_annotation_set(found))
    assert body["data"][0] == {
        "inputs": {"utterance": "set my goal to two rounds please"},
        "expected": [{"intent": {"name": "SetGoalIntent", "slots": {"rounds": {"value": "2"}}}}],
    }
    assert body["data"][2]["expected"] == [{"intent": {"name": "HowToIntent"}}]


@pytest.mark.parametrize(
    "text",
    [
        "start {exercise:ankle circles}",  # no header
        "[StartExerciseIntent]\nstart {exercise:toe grips} and {exercise:pencil}",
        "[StartExerciseIntent]\nstart {exercise}",
    ],
)
def test_the_source_format_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_source(text)


# --- the evaluator ------------------------------------------------------------------------------

TINY_MODEL = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "leg exercises",
            "intents": [
                {"name": "RemainingIntent", "samples": ["what's left"]},
                {
                    "name": "HowToIntent",
                    "slots": [{"name": "exercise", "type": "ExerciseName"}],
                    "samples": ["how do i do {exercise}"],
                },
                {
                    "name": "SkipIntent",
                    "samples": ["skip", "what's left to skip"],
                },
                {"name": "AMAZON.FallbackIntent", "samples": []},
            ],
            "types": [
                {
                    "name": "ExerciseName",
                    "values": [
                        {
                            "id": "band_foot_pulls",
                            "name": {"value": "band foot pulls", "synonyms": ["the band one"]},
                        }
                    ],
                }
            ],
        }
    }
}


def test_the_evaluator_counts_precision_recall_and_confusions():
    resolver = Resolver(TINY_MODEL, {}, [], [])
    annotations = [
        Annotation("what's left", "RemainingIntent"),
        Annotation("what's left to skip", "RemainingIntent"),  # reaches SkipIntent
        Annotation("how do i do the band one", "HowToIntent", {"exercise": "band foot pulls"}),
        Annotation("how do i do band foot pulls", "HowToIntent", {"exercise": "band foot pulls"}),
        Annotation("how do you do it", "HowToIntent"),  # nothing matches: the fallback
        Annotation("purple monkey", FALLBACK),
    ]
    report = evaluate(resolver, annotations, "xx-XX")
    assert [o.passed for o in report.outcomes] == [True, False, True, True, False, True]
    assert report.accuracy == pytest.approx(4 / 6)
    table = report.per_intent()
    assert table["RemainingIntent"] == (1.0, 0.5, 2)
    assert table["SkipIntent"] == (0.0, None, 0)
    assert table["HowToIntent"] == (1.0, pytest.approx(2 / 3), 3)
    assert table[FALLBACK] == (0.5, 1.0, 1)
    assert report.confusions() == {
        ("HowToIntent", FALLBACK): ["how do you do it"],
        ("RemainingIntent", "SkipIntent"): ["what's left to skip"],
    }
    assert report.state_changing_confusions() == {
        ("RemainingIntent", "SkipIntent"): ["what's left to skip"]
    }
    text = format_report(report)
    assert "xx-XX: 6 utterances, accuracy 66.7%" in text
    assert '! RemainingIntent -> SkipIntent (1): "what\'s left to skip"' in text


def test_a_wrong_slot_value_fails_the_case():
    resolver = Resolver(TINY_MODEL, {}, [], [])
    wrong = Annotation("how do i do the band one", "HowToIntent", {"exercise": "toe grips"})
    (outcome,) = evaluate(resolver, [wrong]).outcomes
    assert outcome.intent_ok and not outcome.passed
    assert "expected 'toe grips'" in outcome.slot_errors[0]


def test_the_command_line_builds_checks_and_evaluates(tmp_path, capsys):
    model_dir = tmp_path / "interaction_model"
    (model_dir / "interactionModels" / "custom").mkdir(parents=True)
    (model_dir / "interactionModels" / "custom" / "xx-XX.json").write_text(json.dumps(TINY_MODEL))
    (tmp_path / "nlu" / "source").mkdir(parents=True)
    (tmp_path / "nlu" / "source" / "xx.txt").write_text("[RemainingIntent]\nwhat's left\n")
    args = ["--model-dir", str(model_dir)]
    assert main([*args, "check"]) == 1
    assert main([*args, "build"]) == 0
    assert main([*args, "check"]) == 0
    capsys.readouterr()
    assert main([*args, "eval", "--min-accuracy", "0.98"]) == 0
    assert "xx-XX: 1 utterances, accuracy 100.0%" in capsys.readouterr().out


# --- Dialog.ElicitSlot: a bare value answers the slot the skill asked for -----------------------

WHICH_ONE = Elicitation("ChooseExerciseIntent", "exercise")
HOW_MANY = Elicitation("SetGoalIntent", "rounds")


def _exercise_id(slot: dict) -> str | None:
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    values = authority.get("values") or [{}]
    return values[0].get("value", {}).get("id")


def test_a_bare_value_is_the_fallback_unless_the_skill_asked_for_it():
    resolver = Resolver.for_locale("en-US")
    assert resolver.resolve("ankle circles").intent == FALLBACK
    assert resolver.resolve("two").intent == FALLBACK
    found = resolver.resolve("the band exercise", WHICH_ONE)
    assert (found.intent, found.elicited) == ("ChooseExerciseIntent", True)
    assert _exercise_id(found.slots["exercise"]) == "band_foot_pulls"
    assert _exercise_id(resolver.resolve("um the pencil one please", WHICH_ONE).slots["exercise"])
    goal = resolver.resolve("two", HOW_MANY)
    assert (goal.intent, goal.slots["rounds"]["value"]) == ("SetGoalIntent", "2")
    assert resolver.resolve("three please", HOW_MANY).slots["rounds"]["value"] == "3"


# One to twenty in words, in the order of the numbers, as people say them in each language.
NUMBER_WORDS = {
    "de": "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciséis diecisiete dieciocho diecinueve veinte",
    "fr": "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf vingt",
    "it": "uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
    "quattordici quindici sedici diciassette diciotto diciannove venti",
}


@pytest.mark.parametrize("language", sorted(NUMBER_WORDS))
def test_numbers_in_words_count_one_to_twenty_in_every_language(language):
    words = [w.replace("-", " ") for w in NUMBER_WORDS[language].split()]
    assert [spoken_number(w, language) for w in words] == list(range(1, 21))
    assert spoken_number("12", language) == 12
    assert spoken_number("zwei runden", language) is None
    assert spoken_number("two", language) is None  # English words are English only


@pytest.mark.parametrize(
    ("locale", "utterance", "rounds"),
    [
        ("de-DE", "setz mein ziel auf zwei runden", "2"),
        ("de-DE", "zwei runden", "2"),
        ("de-DE", "ich will nur drei runden am tag machen", "3"),
        ("es-ES", "pon mi objetivo en dos rondas", "2"),
        ("es-MX", "quiero hacer tres rondas al día", "3"),
        ("es-US", "dieciséis rondas", "16"),
        ("fr-FR", "mets mon objectif à deux tours", "2"),
        ("fr-CA", "dix-sept tours par jour", "17"),
        ("it-IT", "imposta il mio obiettivo a due giri", "2"),
        ("it-IT", "venti giri al giorno", "20"),
        ("de-DE", "setz mein ziel auf 2 runden", "2"),  # digits, as before
    ],
)
def test_a_number_in_words_fills_a_number_slot_as_digits(locale, utterance, rounds):
    found = Resolver.for_locale(locale).resolve(utterance)
    assert (found.intent, found.slots["rounds"]["value"]) == ("SetGoalIntent", rounds)


@pytest.mark.parametrize(
    ("locale", "said", "rounds"),
    [
        ("de-DE", "drei", "3"),
        ("de-DE", "eine", "1"),
        ("es-MX", "tres", "3"),
        ("es-ES", "una", "1"),
        ("fr-FR", "deux", "2"),
        ("fr-CA", "une", "1"),
        ("it-IT", "due", "2"),
        ("it-IT", "quattro", "4"),
    ],
)
def test_a_number_in_words_answers_how_many_rounds(locale, said, rounds):
    resolver = Resolver.for_locale(locale)
    goal = resolver.resolve(said, HOW_MANY)
    assert (goal.intent, goal.slots["rounds"]["value"], goal.elicited) == (
        "SetGoalIntent",
        rounds,
        True,
    )
    assert resolver.resolve(said).intent == FALLBACK  # not asked for: a bare number


@pytest.mark.parametrize(
    ("locale", "utterance", "exercise"),
    [
        ("fr-FR", "je prends les cercles de cheville", "ankle_circles"),
        ("fr-CA", "va pour l'exercice cinq", "pencil_pickup"),
        ("it-IT", "scelgo le rotazioni della caviglia", "ankle_circles"),
        ("it-IT", "prendo l'esercizio cinque", "pencil_pickup"),
        ("es-MX", "me quedo con los círculos", "ankle_circles"),
        ("de-DE", "ich nehme das bandziehen", "band_foot_pulls"),
    ],
)
def test_a_value_with_its_article_is_still_the_value_in_every_language(locale, utterance, exercise):
    found = Resolver.for_locale(locale).resolve(utterance)
    assert (found.intent, _exercise_id(found.slots["exercise"])) == (
        "ChooseExerciseIntent",
        exercise,
    )


def test_while_a_slot_is_asked_for_other_intents_still_win_when_they_match():
    resolver = Resolver.for_locale("en-US")
    assert resolver.resolve("stop", WHICH_ONE).intent == "AMAZON.StopIntent"
    assert resolver.resolve("hang on", WHICH_ONE).intent == "AMAZON.PauseIntent"
    jacks = resolver.resolve("start jumping jacks", WHICH_ONE)
    assert jacks.intent == "StartExerciseIntent" and not jacks.elicited
    # Words that match nothing fill the slot asked for, as Alexa does; the skill says it does
    # not know that exercise and asks again.
    hurts = resolver.resolve("purple monkey", WHICH_ONE)
    assert (hurts.intent, hurts.slots["exercise"]["value"]) == (
        "ChooseExerciseIntent",
        "purple monkey",
    )
    assert _exercise_id(hurts.slots["exercise"]) is None
    assert resolver.resolve("purple monkey", HOW_MANY).intent == FALLBACK  # not a number


class ScriptedSkill:
    """A handler that records each request and answers with the next scripted response."""

    def __init__(self, *responses: dict):
        self.responses = list(responses)
        self.requests: list[dict] = []

    def __call__(self, envelope: dict, context) -> dict:
        self.requests.append(envelope["request"])
        return self.responses.pop(0)


def _open(directives: list[dict] | None = None, end: bool = False) -> dict:
    body: dict = {"outputSpeech": {"type": "SSML", "ssml": "<speak>Which one?</speak>"}}
    body["shouldEndSession"] = end
    if directives is not None:
        body["directives"] = directives
    return {"version": "1.0", "response": body}


def _elicit(intent: str, slot: str, slots: dict | None = None) -> dict:
    return {
        "type": "Dialog.ElicitSlot",
        "slotToElicit": slot,
        "updatedIntent": {"name": intent, "confirmationStatus": "NONE", "slots": slots or {}},
    }


def test_the_console_answers_an_elicit_slot_directive_with_that_intent_and_slot():
    kept = {"exercise": {"name": "exercise", "confirmationStatus": "NONE"}}
    skill = ScriptedSkill(
        _open([_elicit("StartExerciseIntent", "exercise", kept)]), _open(), _open()
    )
    console = Console(skill, Resolver.for_locale("en-US"), user_id="amzn1.ask.account.X")
    console.say("start jumping jacks")
    console.say("the band one")
    request = skill.requests[-1]
    assert request["dialogState"] == "IN_PROGRESS"
    assert request["intent"]["name"] == "StartExerciseIntent"
    assert _exercise_id(request["intent"]["slots"]["exercise"]) == "band_foot_pulls"
    console.say("the band one")  # that response asked nothing: a bare name is the fallback
    assert skill.requests[-1]["intent"]["name"] == FALLBACK
    assert skill.requests[-1]["dialogState"] == "COMPLETED"


def test_an_elicitation_keeps_the_intents_other_slots_and_ends_with_the_session():
    other = {"exercise": {"name": "exercise", "value": "toe grips", "confirmationStatus": "NONE"}}
    skill = ScriptedSkill(_open([_elicit("SetGoalIntent", "rounds", other)], end=True), _open())
    console = Console(skill, Resolver.for_locale("en-US"), user_id="amzn1.ask.account.X")
    console.say("help")
    assert console.elicitation() is None  # the session ended: nothing is asked any more
    console.say("two")
    assert skill.requests[-1]["intent"]["name"] == FALLBACK
    skill.responses = [_open([_elicit("SetGoalIntent", "rounds", other)]), _open()]
    console.say("help")
    console.say("two")
    slots = skill.requests[-1]["intent"]["slots"]
    assert slots["rounds"]["value"] == "2" and slots["exercise"]["value"] == "toe grips"


def test_a_response_with_another_dialog_directive_is_taken_at_its_word():
    skill = ScriptedSkill(_open([{"type": "Dialog.Delegate"}]), _open())
    console = Console(skill, Resolver.for_locale("en-US"), user_id="amzn1.ask.account.X")
    console.say("help")
    console.session["attributes"] = {"dialog": {"mode": "ask_exercise"}}
    assert console.elicitation() is None


# --- the phrases of the issue, through the console and the skill --------------------------------


@pytest.fixture
def chat(tmp_path):
    """A console on the real skill that records the intent each utterance reached."""
    from skill.store.sqlite import SqliteStore

    handler = make_handler(
        Config(default_timezone="UTC", budget_seconds=PARTS_BUDGET),
        SqliteStore(tmp_path / "p.sqlite3"),
    )
    requests: list[dict] = []

    def recording(envelope, context):
        requests.append(envelope["request"])
        return handler(envelope, context)

    console = Console(recording, Resolver.for_locale("en-US"), user_id="amzn1.ask.account.NLU")
    console.requests = requests
    return console


def _said(response: dict) -> str:
    from skill.ssml import to_plain_text

    return to_plain_text(Console.speech_of(response))


@pytest.mark.parametrize(
    "utterance, intent, says",
    [
        ("what is left for today", "RemainingIntent", "sets left today"),
        ("how many sets are left", "RemainingIntent", "sets left today"),
        ("what have I got left", "RemainingIntent", "sets left today"),
        ("am I done for today", "RemainingIntent", "sets left today"),
        ("set my goal to two rounds", "SetGoalIntent", "Your daily goal is now 2 rounds"),
        ("what's next", "AMAZON.NextIntent", "Toe grips"),
        ("next exercise", "AMAZON.NextIntent", "Toe grips"),
        ("i finished", "FinishedIntent", "Okay, see you later."),
        ("next please", "AMAZON.NextIntent", "Toe grips"),
        ("i need a break", "AMAZON.PauseIntent", ""),
        ("hang on", "AMAZON.PauseIntent", ""),
        ("stop please", "AMAZON.StopIntent", ""),
        ("remind me every morning", "SetReminderIntent", ""),
        # Their own intents now; what the skill answers is written with its handlers.
        ("it hurts", "PainIntent", "Stop there and rest."),
        ("how long do I hold it", "HoldLengthIntent", "Each exercise has its own hold."),
        ("how many reps are left", "RepCountIntent", "There's no exercise under way just now."),
        ("which rep am I on", "RepCountIntent", "There's no exercise under way just now."),
        ("which foot goes first", "WhichSideIntent", ""),
        ("i'm done", "FinishedIntent", ""),
        # Pace has its own intent now, never an exercise name; its answer is the dialog's.
        ("slower please", "SlowerIntent", "All right, I'll speak more slowly from now on."),
    ],
)
def test_the_issues_phrases_reach_their_intent(chat, utterance, intent, says):
    chat.say("open leg exercises")
    response = chat.say(utterance)
    assert chat.requests[-1]["intent"]["name"] == intent
    assert says in _said(response)
    assert "an exercise called" not in _said(response)


def test_the_issues_phrases_mid_set_keep_the_set(chat):
    chat.say("open leg exercises")
    chat.say("start tiptoe walking")
    text = _said(chat.say("slower please"))
    assert chat.requests[-1]["intent"]["name"] == "SlowerIntent"
    assert "an exercise called" not in text, text
    assert text == (
        "All right, I'll speak more slowly from now on. Ready to carry on with tiptoe walking?"
    )
    for utterance, intent, answer in [
        ("how long do I hold it", "HoldLengthIntent", "Each rep of tiptoe walking lasts 20"),
        ("which rep am I on", "RepCountIntent", "You've done 1 of 5 reps of tiptoe walking"),
        ("which leg is it", "WhichSideIntent", "You do tiptoe walking with both feet at once"),
    ]:
        text = _said(chat.say(utterance))
        assert chat.requests[-1]["intent"]["name"] == intent, utterance
        assert text.startswith(answer), text
        assert text.endswith("Ready to carry on with tiptoe walking?"), text
    assert _said(chat.say("next")).startswith("Rep 2.")
    assert chat.requests[-1]["intent"]["name"] == "AMAZON.NextIntent"
    assert _said(chat.say("it hurts")).startswith("Stop there and rest.")
    assert chat.requests[-1]["intent"]["name"] == "PainIntent"


def test_the_band_exercise_answers_which_one(chat):
    chat.say("open leg exercises")
    assert "Which one would you like?" in _said(chat.say("start jumping jacks"))
    assert _said(chat.say("the band exercise")).startswith("Band foot pulls. Set 1 of 3")
    assert chat.requests[-1]["intent"]["name"] == "ChooseExerciseIntent"
    assert chat.requests[-1]["dialogState"] == "IN_PROGRESS"


def test_what_is_questions_are_no_longer_exercise_names_in_german_either():
    resolver = Resolver.for_locale("de-DE")
    for said in ["was ist heute noch übrig", "was ist das"]:
        assert resolver.resolve(said).intent != "HowToIntent", said


def test_a_bare_exercise_name_at_the_menu_is_not_understood(chat):
    """Not asked for, a name alone is the fallback (no bare '{exercise}' sample any more)."""
    chat.say("open leg exercises")
    assert _said(chat.say("ankle circles")).startswith("Sorry, I didn't get that.")


# --- a coach that adapts: pace, talk, countdown, equipment, settings ----------------------------

ADAPTATION_INTENTS = [
    "SlowerIntent",
    "FasterIntent",
    "NormalSpeedIntent",
    "LessTalkIntent",
    "MoreDetailIntent",
    "CountdownOffIntent",
    "CountdownOnIntent",
    "NoEquipmentIntent",
    "AddExerciseIntent",
    "SettingsIntent",
    "ResetSettingsIntent",
]
ADD, START = "AddExerciseIntent", "StartExerciseIntent"
BAND_PULLS, PENCIL = "band_foot_pulls", "pencil_pickup"
COMMANDS = json.loads((ROOT / "docs" / "commands.json").read_text(encoding="utf-8"))


def _value_id(found, slot: str) -> str | None:
    return _exercise_id(found.slots[slot]) if slot in found.slots else None


@pytest.mark.parametrize(
    ("locale", "utterance", "intent", "slot", "value_id"),
    [
        # "stop" and "no" keep their built-ins; what follows them picks the new intent.
        ("en-US", "stop", "AMAZON.StopIntent", None, None),
        ("en-US", "stop counting", "CountdownOffIntent", None, None),
        ("en-US", "stop counting down", "CountdownOffIntent", None, None),
        ("en-GB", "no", "AMAZON.NoIntent", None, None),
        ("en-US", "no thanks", "AMAZON.NoIntent", None, None),
        ("en-US", "no countdown", "CountdownOffIntent", None, None),
        ("en-US", "no more reminders", "CancelReminderIntent", None, None),
        ("en-US", "no band", "NoEquipmentIntent", "equipment", "band"),
        ("en-AU", "no pencil", "NoEquipmentIntent", "equipment", "pencil"),
        ("en-IN", "i haven't got a resistance band", "NoEquipmentIntent", "equipment", "band"),
        ("en-CA", "there's no pen here", "NoEquipmentIntent", "equipment", "pencil"),
        # "Add ... back" is not a start, and a start is not an "add".
        ("en-US", "add band foot pulls back", ADD, "exercise", BAND_PULLS),
        ("en-US", "start band foot pulls", START, "exercise", BAND_PULLS),
        ("en-US", "i want to do pencil pick up again", ADD, "exercise", PENCIL),
        ("en-US", "i want to do pencil pick up", START, "exercise", PENCIL),
        ("en-GB", "i've got a band now", "AddExerciseIntent", "equipment", "band"),
        ("en-US", "i found a pencil", "AddExerciseIntent", "equipment", "pencil"),
        # The steps are HowToIntent's; tiredness is a pause, difficulty the fallback; pain is pain.
        ("en-US", "tell me the steps", "HowToIntent", None, None),
        ("en-US", "what are the steps again", "HowToIntent", None, None),
        ("en-US", "i'm tired", "AMAZON.PauseIntent", None, None),
        ("en-US", "this is too hard", FALLBACK, None, None),
        ("en-US", "too fast", "SlowerIntent", None, None),
        ("en-US", "it hurts", "PainIntent", None, None),
        ("en-US", "my ankle hurts", "PainIntent", None, None),
        ("en-US", "reset today", "ResetTodayIntent", None, None),
        ("en-US", "reset my settings", "ResetSettingsIntent", None, None),
        ("de-DE", "stopp", "AMAZON.StopIntent", None, None),
        ("de-DE", "nein", "AMAZON.NoIntent", None, None),
        ("de-DE", "kein countdown", "CountdownOffIntent", None, None),
        ("de-DE", "kein band", "NoEquipmentIntent", "equipment", "band"),
        ("de-DE", "keinen stift", "NoEquipmentIntent", "equipment", "pencil"),
        ("de-DE", "nimm bandziehen wieder auf", ADD, "exercise", BAND_PULLS),
        ("de-DE", "ich will bandziehen machen", START, "exercise", BAND_PULLS),
        ("de-DE", "ich bin müde", FALLBACK, None, None),
        ("de-DE", "sag mir die schritte", "HowToIntent", None, None),
        ("es-ES", "no", "AMAZON.NoIntent", None, None),
        ("es-MX", "para", "AMAZON.StopIntent", None, None),
        ("es-MX", "deja de contar", "CountdownOffIntent", None, None),
        ("es-US", "no tengo una liga", "NoEquipmentIntent", "equipment", "band"),
        ("es-ES", "sin lápiz", "NoEquipmentIntent", "equipment", "pencil"),
        ("es-ES", "quiero hacer recoger el lápiz otra vez", ADD, "exercise", PENCIL),
        ("es-ES", "quiero hacer recoger el lápiz", START, "exercise", PENCIL),
        ("fr-FR", "non", "AMAZON.NoIntent", None, None),
        ("fr-FR", "arrête", "AMAZON.StopIntent", None, None),
        ("fr-FR", "arrête de compter", "CountdownOffIntent", None, None),
        ("fr-CA", "pas d'élastique", "NoEquipmentIntent", "equipment", "band"),
        ("fr-FR", "je n'ai pas de stylo", "NoEquipmentIntent", "equipment", "pencil"),
        ("fr-FR", "c'est trop dur", FALLBACK, None, None),
        ("it-IT", "no", "AMAZON.NoIntent", None, None),
        ("it-IT", "basta", "AMAZON.StopIntent", None, None),
        ("it-IT", "smetti di contare", "CountdownOffIntent", None, None),
        ("it-IT", "non ho l'elastico", "NoEquipmentIntent", "equipment", "band"),
        ("it-IT", "ho trovato una matita", "AddExerciseIntent", "equipment", "pencil"),
        ("it-IT", "sono stanco", FALLBACK, None, None),
    ],
)
def test_the_adaptation_intents_keep_to_their_own_phrases(
    locale, utterance, intent, slot, value_id
):
    found = Resolver.for_locale(locale).resolve(utterance)
    assert found.intent == intent, utterance
    if slot is not None:
        assert _value_id(found, slot) == value_id, utterance


def test_every_language_has_one_suggested_command_for_each_new_intent():
    assert sorted(COMMANDS) == ["de", "en", "es", "fr", "it"]
    for language, commands in COMMANDS.items():
        assert sorted(commands) == sorted(ADAPTATION_INTENTS), language
        assert all(c.strip() == c and len(c.split()) <= 6 for c in commands.values()), language


@pytest.mark.parametrize("locale", LOCALES)
def test_the_suggested_commands_are_samples_of_their_intent(locale):
    """docs/commands.json: what the skill suggests saying is, word for word, a sample of the
    intent (its slot filled with a value the model knows), in every model of the language. The
    exercise is filled with the names the skill speaks for the two exercises that need a thing."""
    resolver = Resolver.for_locale(locale)
    strings = strings_for(locale)
    samples = {i["name"]: i.get("samples", []) for i in _model(locale)["intents"]}
    wrong = {}
    for intent, phrase in COMMANDS[locale.split("-")[0]].items():
        said = [phrase]
        if "{exercise}" in phrase:
            said = [
                phrase.replace("{exercise}", strings.exercise_name(exercise))
                for exercise in (BAND_PULLS, PENCIL)
            ]
        for words in said:
            found = resolver.resolve(words)
            known = all(_exercise_id(slot) for slot in found.slots.values())
            spans = {name: slot["value"] for name, slot in found.slots.items()}
            filled = Annotation(words, intent, words=spans)
            if found.intent != intent or not known or not _verbatim(filled, samples[intent]):
                wrong[words] = found.intent
    assert not wrong
