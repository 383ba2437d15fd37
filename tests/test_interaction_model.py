"""Static checks on the skill package: the manifest and the en-US interaction model.

Only stdlib json/pathlib/re: these tests must not depend on the ``skill`` package.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "interaction_model"
MANIFEST_PATH = PACKAGE / "skill.json"
MODELS_DIR = PACKAGE / "interactionModels" / "custom"

INVOCATION = "leg exercises"

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
    "PainIntent": {},
    "HoldLengthIntent": {},
    "RepCountIntent": {},
    "WhichSideIntent": {},
    "FinishedIntent": {},
    # How the coach talks, and what the person has to hand.
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
    "PainIntent": 12,
    "HoldLengthIntent": 12,
    "RepCountIntent": 12,
    "WhichSideIntent": 12,
    "FinishedIntent": 12,
    "SlowerIntent": 20,
    "FasterIntent": 20,
    "NormalSpeedIntent": 15,
    "LessTalkIntent": 20,
    "MoreDetailIntent": 15,
    "CountdownOffIntent": 20,
    "CountdownOnIntent": 15,
    "NoEquipmentIntent": 15,
    "AddExerciseIntent": 20,
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
# Bare phrases the built-in intents already own; a custom sample must not be only one of these.
BUILTIN_WORDS = {
    "help",
    "stop",
    "cancel",
    "next",
    "previous",
    "go back",
    "back",
    "repeat",
    "say that again",
    "start over",
    "restart",
    "pause",
    "resume",
    "continue",
    "yes",
    "no",
    "go home",
    "home",
}
EXERCISE_IDS = {"toe_grips", "tiptoe_walking", "ankle_circles", "band_foot_pulls", "pencil_pickup"}
MEDICAL_WORDS = re.compile(
    r"\b(pain|painful|cure[sd]?|curing|treat|treats|treated|treating|treatment|heal|heals|healed|"
    r"healing|acupressure|therapy|therapies|therapeutic|relieve[sd]?|relief)\b"
)
SLOT_REF = re.compile(r"\{([^{}]*)\}")
SAMPLE_CHARS = re.compile(r"^[a-z0-9' {}]+$")


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return _load(MANIFEST_PATH)["manifest"]


@pytest.fixture(scope="module")
def model() -> dict:
    return _load(MODELS_DIR / "en-US.json")["interactionModel"]["languageModel"]


@pytest.fixture(scope="module")
def intents(model) -> dict:
    return {intent["name"]: intent for intent in model["intents"]}


@pytest.fixture(scope="module")
def exercise_type(model) -> dict:
    (slot_type,) = [t for t in model["types"] if t["name"] == "ExerciseName"]
    return slot_type


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _all_samples(model):
    for intent in model["intents"]:
        for sample in intent.get("samples", []):
            yield intent["name"], sample


# --- interaction model ------------------------------------------------------------------------


def test_invocation_name(model):
    assert model["invocationName"] == INVOCATION


def test_intent_names_are_unique(model):
    names = [intent["name"] for intent in model["intents"]]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", sorted(CUSTOM_INTENTS))
def test_custom_intent_exists_with_its_slots(intents, name):
    assert name in intents, f"missing intent {name}"
    declared = {slot["name"]: slot["type"] for slot in intents[name].get("slots", [])}
    assert declared == CUSTOM_INTENTS[name]
    assert len(intents[name]["samples"]) >= MIN_SAMPLES[name]


@pytest.mark.parametrize("name", sorted(BUILTIN_INTENTS))
def test_builtin_intent_exists(intents, name):
    assert name in intents, f"missing intent {name}"
    # A built-in may be extended with everyday phrasings ("hang on"); the fallback never is.
    samples = intents[name].get("samples", [])
    assert samples == [] if name == "AMAZON.FallbackIntent" else len(samples) == len(set(samples))
    assert not any(SLOT_REF.search(sample) for sample in samples), name


# The slots the skill asks for on their own ("Which one would you like?", "Two or three?"). Their
# bare values are slot samples, answered through Dialog.ElicitSlot, never intent samples.
# The slots the skill elicits: "which exercise?", "two or three?" (handlers) and the reminder time.
ELICITED = {
    "ChooseExerciseIntent": "exercise",
    "SetGoalIntent": "rounds",
    "SetReminderIntent": "time",
}


def test_the_dialog_model_covers_the_elicited_slots(model, intents):
    interaction = _load(MODELS_DIR / "en-US.json")["interactionModel"]
    dialog, prompts = interaction["dialog"], interaction["prompts"]
    assert dialog["delegationStrategy"] == "SKILL_RESPONSE"  # the skill keeps the conversation
    prompt_ids = {p["id"] for p in prompts}
    assert all(p["variations"] and all(v["value"] for v in p["variations"]) for p in prompts)
    assert {i["name"]: [s["name"] for s in i["slots"]] for i in dialog["intents"]} == {
        name: [slot] for name, slot in ELICITED.items()
    }
    for dialog_intent in dialog["intents"]:
        declared = {s["name"]: s for s in intents[dialog_intent["name"]]["slots"]}
        for slot in dialog_intent["slots"]:
            assert slot["type"] == declared[slot["name"]]["type"]
            assert slot["prompts"]["elicitation"] in prompt_ids
            samples = declared[slot["name"]]["samples"]
            assert "{" + slot["name"] + "}" in samples  # the bare value answers the question
            for sample in samples:
                assert SLOT_REF.findall(sample) == [slot["name"]], sample
                assert SAMPLE_CHARS.match(sample), sample


def test_every_slot_in_a_sample_is_declared_with_its_type(intents):
    for name, intent in intents.items():
        declared = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            for slot in SLOT_REF.findall(sample):
                assert slot in declared, f"{name}: '{sample}' uses undeclared slot {{{slot}}}"
                if name in CUSTOM_INTENTS:
                    assert declared[slot] == CUSTOM_INTENTS[name][slot], f"{name}: {slot} type"


def test_declared_slots_are_used(intents):
    for name, intent in intents.items():
        used = {slot for sample in intent.get("samples", []) for slot in SLOT_REF.findall(sample)}
        for slot in intent.get("slots", []):
            assert slot["name"] in used, f"{name}: slot {slot['name']} never used in a sample"


def test_no_sample_is_duplicated(model):
    seen = {}
    for name, sample in _all_samples(model):
        key = _norm(sample)
        assert key not in seen, f"'{sample}' in {name} duplicates one in {seen[key]}"
        seen[key] = name


def test_samples_are_lower_case_without_punctuation(model):
    for name, sample in _all_samples(model):
        assert sample == sample.strip() and "  " not in sample, f"{name}: spacing in '{sample}'"
        assert SAMPLE_CHARS.match(sample), f"{name}: bad character in '{sample}'"
        assert not re.search(r"\}\s*\{", sample), f"{name}: adjacent slots in '{sample}'"


def test_no_sample_is_only_a_builtin_word(model):
    for name, sample in _all_samples(model):
        assert _norm(sample) not in BUILTIN_WORDS, f"{name}: '{sample}' belongs to a built-in"


def test_no_sample_contains_the_wake_phrasing(model):
    wake = re.compile(r"\b(alexa|(ask|open|tell|launch) " + re.escape(INVOCATION) + r")\b")
    for name, sample in _all_samples(model):
        assert not wake.search(_norm(sample)), f"{name}: '{sample}' contains the wake phrasing"


def test_exercise_name_has_the_five_ids(exercise_type):
    ids = [value["id"] for value in exercise_type["values"]]
    assert len(ids) == len(set(ids)) == 5
    assert set(ids) == EXERCISE_IDS
    for value in exercise_type["values"]:
        assert value["name"]["value"]
        assert len(value["name"].get("synonyms", [])) >= 10, value["id"]


def test_no_synonym_under_two_values(exercise_type):
    owner = {}
    for value in exercise_type["values"]:
        words = [value["name"]["value"], *value["name"].get("synonyms", [])]
        assert len({_norm(w) for w in words}) == len(words), f"repeat within {value['id']}"
        for word in words:
            key = _norm(word)
            assert key not in owner, f"'{word}' is under both {owner[key]} and {value['id']}"
            owner[key] = value["id"]


@pytest.mark.parametrize("locale", sorted(p.stem for p in MODELS_DIR.glob("*.json")))
def test_equipment_has_a_band_and_a_pencil_and_no_shared_synonym(locale):
    """What NoEquipmentIntent and AddExerciseIntent name: the two things two exercises need."""
    model = _load(MODELS_DIR / f"{locale}.json")["interactionModel"]["languageModel"]
    (slot_type,) = [t for t in model["types"] if t["name"] == "Equipment"]
    assert [value["id"] for value in slot_type["values"]] == ["band", "pencil"]
    owner = {}
    for value in slot_type["values"]:
        words = [value["name"]["value"], *value["name"].get("synonyms", [])]
        assert len(words) >= 3, value["id"]
        for word in words:
            assert word == _norm(word), word
            assert owner.setdefault(word, value["id"]) == value["id"], f"'{word}' under two ids"


# --- manifest ---------------------------------------------------------------------------------


def _sample_patterns(model):
    """Each sample as a regex, slots of type ExerciseName filled by any value or synonym."""
    names = []
    for slot_type in model["types"]:
        if slot_type["name"] == "ExerciseName":
            for value in slot_type["values"]:
                names += [value["name"]["value"], *value["name"].get("synonyms", [])]
    exercise = "(?:" + "|".join(re.escape(_norm(n)) for n in names) + ")"
    patterns = []
    for intent in model["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            parts = re.split(r"(\{[^{}]*\})", _norm(sample))
            regex = ""
            for part in parts:
                ref = SLOT_REF.fullmatch(part)
                if ref is None:
                    regex += re.escape(part)
                elif types.get(ref.group(1)) == "ExerciseName":
                    regex += exercise
                else:
                    regex += r"[a-z0-9 ]+"
            patterns.append(re.compile(regex + "$"))
    return patterns


def test_example_phrases_name_the_invocation_and_match_the_model(manifest, model):
    # en-US here; tests/test_locales.py checks every other locale against its own model.
    patterns = _sample_patterns(model)
    for locale, info in manifest["publishingInformation"]["locales"].items():
        if locale != "en-US":
            continue
        phrases = info["examplePhrases"]
        assert 1 <= len(phrases) <= 3
        for phrase in phrases:
            assert phrase.startswith("Alexa,"), phrase
            spoken = re.sub(r"[^a-z0-9' ]", "", phrase.lower())
            spoken = _norm(spoken[len("alexa") :])
            match = re.match(
                r"(open|launch|start|ask|tell) " + re.escape(INVOCATION) + r"\b ?(.*)$", spoken
            )
            assert match, f"{locale}: '{phrase}' does not name the invocation"
            rest = match.group(2)
            if rest:
                assert any(p.match(rest) for p in patterns), (
                    f"{locale}: '{rest}' is not in the model"
                )


def test_manifest_subscribes_to_skill_disabled(manifest):
    events = manifest["events"]
    names = {sub["eventName"] for sub in events["subscriptions"]}
    assert "SKILL_DISABLED" in names
    assert events["endpoint"]["uri"] == manifest["apis"]["custom"]["endpoint"]["uri"]


def test_manifest_locales_match_model_files(manifest):
    model_locales = {path.stem for path in MODELS_DIR.glob("*.json")}
    assert set(manifest["publishingInformation"]["locales"]) == model_locales


def test_manifest_basics(manifest):
    assert manifest["manifestVersion"] == "1.0"
    publishing = manifest["publishingInformation"]
    assert publishing["category"] == "HEALTH_AND_FITNESS"
    assert publishing["isAvailableWorldwide"] is False
    assert "US" in publishing["distributionCountries"]
    assert publishing["testingInstructions"]
    assert publishing["locales"]["en-US"]["name"] == "Leg Exercises"
    for info in publishing["locales"].values():
        assert info["name"]
        assert info["summary"] and info["description"] and info["keywords"]
    privacy = manifest["privacyAndCompliance"]
    assert privacy["allowsPurchases"] is False
    assert privacy["usesPersonalInfo"] is False
    assert privacy["isChildDirected"] is False
    assert privacy["isExportCompliant"] is True
    assert privacy["containsAds"] is False
    assert manifest["apis"]["custom"]["endpoint"]["uri"].startswith("arn:aws:lambda:")


def test_manifest_makes_no_medical_claims():
    text = MANIFEST_PATH.read_text(encoding="utf-8").lower()
    found = sorted(set(MEDICAL_WORDS.findall(text)))
    assert not found, f"medical words in the manifest: {found}"


# --- name-free interaction (interaction_model/name_free/) -------------------------------------

NAME_FREE_DIR = PACKAGE / "name_free"
INGRESS_LIMIT = 5  # Amazon's NFI toolkit: up to five skill launch phrases, five per intent


@pytest.mark.parametrize("locale", sorted(p.stem for p in MODELS_DIR.glob("*.json")))
def test_name_free_launch_phrases_are_in_the_toolkits_form(locale):
    """The container Amazon's NFI toolkit takes in a model: LAUNCH and INTENT ingress points,
    RAW_TEXT, no slots, at most five of each; the intents are custom intents of that model."""
    document = _load(NAME_FREE_DIR / f"{locale}.json")
    assert list(document) == ["interactionModel"]
    assert list(document["interactionModel"]) == ["_nameFreeInteraction"]
    container = document["interactionModel"]["_nameFreeInteraction"]
    assert list(container) == ["ingressPoints"]
    model = _load(MODELS_DIR / f"{locale}.json")["interactionModel"]["languageModel"]
    custom = {i["name"] for i in model["intents"] if not i["name"].startswith("AMAZON.")}
    per_target: dict[str, list[str]] = {}
    for point in container["ingressPoints"]:
        assert point["format"] == "RAW_TEXT"
        if point["type"] == "LAUNCH":
            assert set(point) == {"type", "format", "value"}
            target = "LAUNCH"
        else:
            assert point["type"] == "INTENT" and set(point) == {"type", "name", "format", "value"}
            assert point["name"] in custom, point
            target = point["name"]
        value = point["value"]
        assert value == _norm(value) and re.fullmatch(r"[\w' ]+", value), value
        assert not SLOT_REF.search(value) and not re.search(r"\d", value), value
        per_target.setdefault(target, []).append(value)
    assert set(per_target) == {"LAUNCH", "RemainingIntent", "HowToIntent"}
    for target, values in per_target.items():
        assert 1 <= len(values) <= INGRESS_LIMIT and len(set(values)) == len(values), target


def test_name_free_readme_cites_amazons_toolkit_docs():
    text = (NAME_FREE_DIR / "README.md").read_text(encoding="utf-8")
    for page in ("using-nfi-toolkit-cli", "using-nfi-toolkit-smapi", "using-nfi-toolkit-developer"):
        assert f"https://developer.amazon.com/en-US/docs/alexa/custom-skills/{page}" in text
