"""Cues inside long holds and rests, the brief set intro, and the default budget.

Every timed hold and rest of 10 s or more says a word in the middle ("Halfway there." in a hold,
"Five more seconds." in a rest) and counts its last three seconds; the breaks are shortened by
the words' estimated time (``skill.ssml.spoken_seconds``, the budget's estimate), so the hold as
heard still lasts the seed's seconds. Checked over every exercise, locale, cues on and off.
"""

from __future__ import annotations

import pytest

from skill import ssml
from skill.coaching import (
    COUNTDOWN_FROM,
    CUE_MIN_SECONDS,
    narrate_rep,
    plan_set,
    set_intro,
)
from skill.config import Config
from skill.content import EXERCISE_IDS, EXERCISES, HoldKind, get_exercise
from skill.dialog import DEFAULT_BUDGET_SECONDS
from skill.locales import Strings, strings_for
from skill.ssml import split_on_breaks, spoken_seconds, to_plain_text

LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE"]
LOCALES += ["es-ES", "es-MX", "es-US", "fr-FR", "fr-CA", "it-IT"]
TIMED = [e.id for e in EXERCISES if e.hold_kind is HoldKind.SECONDS]
TOLERANCE = 0.05  # seconds


def _set_ssml(exercise_id: str, strings: Strings, *, cues: bool, brief: bool = False) -> str:
    segments = plan_set(exercise_id, strings, DEFAULT_BUDGET_SECONDS, 1, 3, brief=brief, cues=cues)
    return " ".join(s.ssml for s in segments)


Silence = tuple[str, float, int]  # ("hold" or "rest", seconds as heard, words said in it)


def timed_silences(exercise_id: str, strings: Strings, fragment: str) -> list[Silence]:
    """Every hold and rest of a set, in order: ``(kind, seconds as heard, words said in it)``.

    A hold runs from the end of the hold line ("Keep going.") to the release ("And come down.");
    a rest from the end of the release to the next words that are not a cue. Seconds as heard
    are the breaks plus the estimated time of the cue words said inside.
    """
    hold_line = strings.exercise(exercise_id, "hold")
    release = strings.exercise(exercise_id, "release")
    numbers = [strings.number(n) for n in range(COUNTDOWN_FROM, 0, -1)]
    in_hold = {strings.text("coach.halfway"), *numbers}
    in_rest = {strings.text("coach.five_more"), *numbers}
    found: list[Silence] = []
    open_kind, seconds, words = "", 0.0, 0
    for text, pause in split_on_breaks(fragment):
        if open_kind and text in (in_hold if open_kind == "hold" else in_rest):
            seconds += spoken_seconds(text) + pause
            words += 1
            continue
        if open_kind:
            found.append((open_kind, seconds, words))
            open_kind = ""
        if text.startswith(release):
            open_kind, seconds, words = "rest", pause, 0
            # A release always opens a rest; after the last rep of a side it is empty or the
            # side switch, dropped below.
        if text.endswith(hold_line):
            open_kind, seconds, words = "hold", pause, 0
    if open_kind:
        found.append((open_kind, seconds, words))
    return found


@pytest.mark.parametrize("cues", [True, False], ids=["cues", "silent"])
@pytest.mark.parametrize("exercise_id", TIMED)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_hold_and_rest_lasts_the_seed_seconds(locale, exercise_id, cues):
    strings = strings_for(locale)
    exercise = get_exercise(exercise_id)
    fragment = _set_ssml(exercise_id, strings, cues=cues)
    silences = timed_silences(exercise_id, strings, fragment)
    holds = [s for s in silences if s[0] == "hold"]
    rests = [s for s in silences if s[0] == "rest"]
    assert len(holds) == exercise.total_reps
    assert len(rests) == exercise.total_reps  # one after each release, the last of a side too
    for _, seconds, words in holds:
        assert seconds == pytest.approx(exercise.hold_seconds, abs=TOLERANCE)
        cued = cues and exercise.hold_seconds >= CUE_MIN_SECONDS
        # The middle word and the three numbers, or one silence.
        assert words == (1 + COUNTDOWN_FROM if cued else 0)
    # The rest after the last rep of a side is left out (no rest, or the side switch).
    last_of_side = {exercise.reps * (i + 1) - 1 for i in range(max(1, len(exercise.sides)))}
    for index, (_, seconds, words) in enumerate(rests):
        if index in last_of_side:
            assert words == 0
            continue
        assert seconds == pytest.approx(exercise.rest_seconds, abs=TOLERANCE)
        cued = cues and exercise.rest_seconds >= CUE_MIN_SECONDS
        assert words == (1 + COUNTDOWN_FROM if cued else 0)
    breaks = ssml.break_seconds(fragment)
    assert breaks and all(0 < b <= ssml.MAX_BREAK_SECONDS for b in breaks)
    assert 'time="-' not in fragment


@pytest.mark.parametrize("locale", LOCALES)
def test_with_cues_no_silence_in_a_set_lasts_ten_seconds_or_more_unbroken(locale):
    strings = strings_for(locale)
    for exercise_id in EXERCISE_IDS:
        cued = [p for _, p in split_on_breaks(_set_ssml(exercise_id, strings, cues=True))]
        silent = [p for _, p in split_on_breaks(_set_ssml(exercise_id, strings, cues=False))]
        # Half of tiptoe walking's 20 s walk is the longest silence left: 10 s, not more.
        assert max(cued) <= ssml.MAX_BREAK_SECONDS, exercise_id
        if exercise_id in ("tiptoe_walking", "pencil_pickup"):
            assert max(silent) >= CUE_MIN_SECONDS  # what the cues break up


def test_a_walk_and_a_rest_of_tiptoe_walking_as_heard_in_english():
    strings = strings_for("en-US")
    rep = narrate_rep(get_exercise("tiptoe_walking"), strings, 2, None, last_of_side=False)
    assert to_plain_text(rep.ssml) == (
        "Rep 2. Up on your toes, and walk. Keep going. [10 s] Halfway there. [6.2 s] "
        "three [0.6 s] two [0.6 s] one [0.6 s] And come down. Rest. [10 s] "
        "Five more seconds. [0.8 s] three [0.6 s] two [0.6 s] one [0.6 s]"
    )
    silent = narrate_rep(
        get_exercise("tiptoe_walking"), strings, 2, None, last_of_side=False, cues=False
    )
    assert to_plain_text(silent.ssml) == (
        "Rep 2. Up on your toes, and walk. Keep going. [20 s] And come down. Rest. [15 s]"
    )


@pytest.mark.parametrize(
    ("locale", "halfway", "five_more", "count"),
    [
        ("de-DE", "Schon die Hälfte.", "Noch fünf Sekunden.", "drei [0.6 s] zwei [0.6 s] eins"),
        ("es-MX", "Ya llevas la mitad.", "Cinco segundos más.", "tres [0.6 s] dos [0.6 s] uno"),
        ("fr-FR", "Déjà la moitié.", "Encore cinq secondes.", "trois [0.6 s] deux [0.6 s] un"),
        ("it-IT", "Sei a metà.", "Ancora cinque secondi.", "tre [0.6 s] due [0.6 s] uno"),
    ],
)
def test_the_cues_in_each_language(locale, halfway, five_more, count):
    text = to_plain_text(_set_ssml("tiptoe_walking", strings_for(locale), cues=True))
    assert text.count(halfway) == 5 and text.count(five_more) == 4
    assert text.count(count) == 9


def test_a_ten_second_hold_says_halfway_at_five_seconds():
    strings = strings_for("en-US")
    rep = narrate_rep(get_exercise("pencil_pickup"), strings, 2, "left", last_of_side=False)
    assert (
        "Hold it. [5 s] Halfway there. [1.2 s] three [0.6 s] two [0.6 s] one [0.6 s] And let"
        in (to_plain_text(rep.ssml))
    )
    # Band foot pulls' 5 s hold stays a silence.
    band = narrate_rep(get_exercise("band_foot_pulls"), strings, 2, "left", last_of_side=False)
    assert "Hold it there. [5 s] And release. [2 s]" in to_plain_text(band.ssml)


@pytest.mark.parametrize("exercise_id", ["toe_grips", "ankle_circles"])
def test_counted_holds_are_unchanged_by_cues(exercise_id):
    strings = strings_for("en-US")
    assert _set_ssml(exercise_id, strings, cues=True) == _set_ssml(exercise_id, strings, cues=False)


def test_the_plan_is_cached_with_its_switches():
    strings = strings_for("en-US")
    assert plan_set("tiptoe_walking", strings, 240.0, 1, 3, cues=False) is plan_set(
        "tiptoe_walking", strings, 240.0, 1, 3, cues=False
    )
    assert plan_set("tiptoe_walking", strings, 240.0, 1, 3) != plan_set(
        "tiptoe_walking", strings, 240.0, 1, 3, cues=False
    )
    assert plan_set("tiptoe_walking", strings, 240.0, 1, 3) != plan_set(
        "tiptoe_walking", strings, 240.0, 1, 3, brief=True
    )


# --- the brief intro ------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_brief_intro_is_shorter_and_still_names_the_exercise_and_the_reps(locale, exercise_id):
    strings = strings_for(locale)
    exercise = get_exercise(exercise_id)
    full = set_intro(exercise, strings, 2, 3)
    brief = set_intro(exercise, strings, 2, 3, brief=True)
    assert len(to_plain_text(brief)) < len(to_plain_text(full))
    assert spoken_seconds(brief) < spoken_seconds(full)
    heard = to_plain_text(brief)
    assert (
        strings.text(
            "coach.set_intro", name=strings.exercise_title(exercise_id), set_number=2, goal=3
        )
        in heard
    )
    assert strings.exercise(exercise_id, "setup_short") in heard
    if exercise.sides:
        first = strings.side(exercise_id, exercise.sides[0])
        key = "coach.reps_per_side" if exercise.reps > 1 else "coach.reps_once_per_side"
        reps = strings.text(key, reps=exercise.reps, first_side=first)
    else:
        reps = strings.text("coach.reps_plain", reps=exercise.reps)
    assert reps in heard
    assert heard.endswith(strings.text("coach.get_ready") + " [3 s]")
    # No equipment line, no full setup.
    assert strings.exercise(exercise_id, "setup") not in heard
    you_need = strings.raw("coach.you_need").split("{")[0].strip()
    assert you_need not in heard
    # The full intro is today's: equipment and setup.
    assert strings.exercise(exercise_id, "setup") in to_plain_text(full)


def test_the_brief_intro_in_english():
    strings = strings_for("en-US")
    first = to_plain_text(plan_set("pencil_pickup", strings, 240.0, 2, 3, brief=True)[0].ssml)
    assert first.startswith(
        "Pencil pick-up. Set 2 of 3 today. Put the pencil on the floor in front of you. "
        "We'll do 5 reps on each side, left foot first. Get ready. [3 s] Rep 1."
    )


# --- the default budget ---------------------------------------------------------------------


def test_the_default_budget_is_the_documented_240_seconds():
    assert DEFAULT_BUDGET_SECONDS == 240.0
    assert Config().budget_seconds == DEFAULT_BUDGET_SECONDS


@pytest.mark.parametrize("brief", [False, True])
@pytest.mark.parametrize("cues", [True, False])
@pytest.mark.parametrize("locale", LOCALES)
def test_a_set_of_tiptoe_walking_asks_to_keep_going_at_most_once(locale, cues, brief):
    strings = strings_for(locale)
    segments = plan_set(
        "tiptoe_walking", strings, DEFAULT_BUDGET_SECONDS, 1, 3, brief=brief, cues=cues
    )
    assert len(segments) <= 2  # "Ready to keep going?" comes between two segments
    for exercise_id in EXERCISE_IDS:
        for segment in plan_set(exercise_id, strings, DEFAULT_BUDGET_SECONDS, 1, 3, cues=cues):
            assert len(ssml.speak(segment.ssml)) < ssml.MAX_SPEECH_CHARS
            assert all(b <= ssml.MAX_BREAK_SECONDS for b in ssml.break_seconds(segment.ssml))


def test_through_the_dialog_tiptoe_walking_asks_to_keep_going_at_most_once(make_console):
    strings = strings_for("en-US")
    console = make_console()
    ask = strings.text("dialog.ask_next_part")
    finished = strings.text("coach.set_done", name=strings.exercise_name("tiptoe_walking"))
    heard = [to_plain_text(console.speech_of(console.say("start tiptoe walking")))]
    while finished not in heard[-1]:
        assert len(heard) < 6, heard
        heard.append(to_plain_text(console.speech_of(console.say("next"))))
    said = " ".join(heard)
    assert said.count(ask) <= 1, said
    assert said.count("Halfway there.") == 5 and said.count("Five more seconds.") == 4
