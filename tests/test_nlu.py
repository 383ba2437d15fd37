"""The NLU annotation sets (interaction_model/nlu/) and the evaluator that runs them.

The sets are in the format of Alexa's NLU Annotation Set API, built from one source per language
plus regional extras; the evaluator runs them through the console's resolver.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.console import Resolver, normalize, normalize_sample
from skill.locales import strings_for
from skill.nlu import (
    FALLBACK,
    Annotation,
    annotated_locales,
    built_files,
    dumps_annotation_set,
    evaluate,
    format_report,
    load_annotation_set,
    main,
    parse_source,
    source_annotations,
)

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = ROOT / "interaction_model" / "interactionModels" / "custom"
ENGLISH = ["en-AU", "en-CA", "en-GB", "en-IN", "en-US"]
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


def test_every_english_locale_has_an_annotation_set():
    assert set(ENGLISH) <= set(annotated_locales())


def test_the_built_sets_are_what_the_sources_build():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in built_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run python -m skill.nlu build: {stale}"


@pytest.mark.parametrize("locale", ENGLISH)
def test_a_set_is_in_the_annotation_api_format(locale):
    path = ROOT / "interaction_model" / "nlu" / f"{locale}.json"
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


@pytest.mark.parametrize("locale", ENGLISH)
def test_each_intent_has_enough_phrasings_and_every_name_is_the_models(locale):
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
    assert {name: count.get(name, 0) for name in custom if count.get(name, 0) < 25} == {}
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


@pytest.mark.parametrize("locale", ENGLISH)
def test_most_of_a_set_is_not_in_the_model_word_for_word(locale):
    """People's phrasings, not the model's own samples read back."""
    model = _model(locale)
    phrases = [s for i in model["intents"] for s in i.get("samples", [])]
    phrases += [
        p for ps in strings_for(locale).raw("console_builtin_utterances").values() for p in ps
    ]
    annotations = source_annotations(locale)
    verbatim = [a.utterance for a in annotations if _verbatim(a, phrases)]
    assert len(verbatim) < 0.5 * len(annotations), f"{len(verbatim)} of {len(annotations)}"


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
    (model_dir / "nlu" / "source").mkdir(parents=True)
    (model_dir / "nlu" / "source" / "xx.txt").write_text("[RemainingIntent]\nwhat's left\n")
    args = ["--model-dir", str(model_dir)]
    assert main([*args, "check"]) == 1
    assert main([*args, "build"]) == 0
    assert main([*args, "check"]) == 0
    capsys.readouterr()
    assert main([*args, "eval", "--min-accuracy", "0.98"]) == 0
    assert "xx-XX: 1 utterances, accuracy 100.0%" in capsys.readouterr().out
