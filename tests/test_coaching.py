"""Every hold and rest is timed as the seed says; every segment fits the budget."""

from __future__ import annotations

import itertools
import re

import pytest

from skill.coaching import (
    CLOSING_RESERVE_SECONDS,
    COUNT_GAP_SECONDS,
    CUE_MIN_SECONDS,
    GET_READY_SECONDS,
    SIDE_SWITCH_SECONDS,
    narrate_rep,
    plan_set,
)
from skill.content import EXERCISES, HoldKind, get_exercise
from skill.ssml import (
    MAX_BREAK_SECONDS,
    break_seconds,
    split_on_breaks,
    spoken_seconds,
    to_plain_text,
)

ALL = [e.id for e in EXERCISES]


@pytest.mark.parametrize("exercise_id", ALL)
def test_a_rep_pauses_add_up_to_the_hold_then_the_rest(exercise_id, strings):
    exercise = get_exercise(exercise_id)
    side = exercise.sides[0] if exercise.sides else None
    rep = narrate_rep(exercise, strings, 1, side, last_of_side=False, cues=False)
    pauses = break_seconds(rep.ssml)
    assert all(p <= MAX_BREAK_SECONDS for p in pauses)
    if exercise.hold_kind is HoldKind.SECONDS:
        # Without cues: one silent hold of exactly the seed's seconds, then the rest (with cues,
        # tests/test_cues.py).
        pieces = split_on_breaks(rep.ssml)
        holds = [seconds for text, seconds in pieces]
        assert holds[-2:] == [exercise.hold_seconds, exercise.rest_seconds]
    else:
        # The count is spoken aloud, "one, two, three", a count a second.
        text = to_plain_text(rep.ssml, show_pauses=False)
        numbers = [strings.number(n) for n in range(1, exercise.hold_amount + 1)]
        assert re.search(r"\b" + r"\W+".join(numbers) + r"\b", text)
        assert sum(pauses) == exercise.hold_amount * COUNT_GAP_SECONDS + exercise.rest_seconds


@pytest.mark.parametrize("exercise_id", ALL)
def test_the_whole_set_is_narrated_rep_by_rep_left_then_right(exercise_id, strings):
    exercise = get_exercise(exercise_id)
    segments = plan_set(exercise_id, strings, 90.0, 1, 3)
    text = " ".join(to_plain_text(s.ssml) for s in segments)
    if exercise.reps > 1:
        per_side = [int(n) for n in re.findall(r"Rep (\d+)\.", text)]
        assert per_side == list(range(1, exercise.reps + 1)) * max(1, len(exercise.sides))
    if exercise.sides:
        left = text.index(strings.side(exercise_id, "left"))
        right = text.index(strings.side(exercise_id, "right"))
        assert left < right
    assert segments[0].first_rep == 1 and segments[-1].last_rep == exercise.total_reps
    for before, after in itertools.pairwise(segments):
        assert after.first_rep == before.last_rep + 1


@pytest.mark.parametrize("cues", [False, True])
@pytest.mark.parametrize("exercise_id", ALL)
def test_the_breaks_of_a_set_sum_to_the_seed_timings(exercise_id, cues, strings):
    exercise = get_exercise(exercise_id)
    segments = plan_set(exercise_id, strings, 90.0, 1, 3, cues=cues)
    total = sum(sum(break_seconds(s.ssml)) for s in segments)
    # With cues, the words said inside holds and rests take their estimated time out of the
    # breaks: "Halfway there.", "Five more seconds." and the count "three, two, one".
    cue_words = {
        strings.text("coach.halfway"),
        strings.text("coach.five_more"),
        *(strings.number(n) for n in (1, 2, 3)),
    }
    spoken_in_silences = [
        text
        for s in segments
        for text, _ in split_on_breaks(s.ssml)
        if text in cue_words and exercise.hold_kind is HoldKind.SECONDS
    ]
    long_silences = max(exercise.hold_seconds, exercise.rest_seconds) >= CUE_MIN_SECONDS
    timed = exercise.hold_kind is HoldKind.SECONDS
    assert bool(spoken_in_silences) == (cues and timed and long_silences)
    total += sum(spoken_seconds(text) for text in spoken_in_silences)
    sides = max(1, len(exercise.sides))
    reps = exercise.total_reps
    hold = exercise.hold_amount * (COUNT_GAP_SECONDS if exercise.hold_kind is HoldKind.COUNT else 1)
    expected = (
        reps * hold
        + (reps - sides) * exercise.rest_seconds
        + GET_READY_SECONDS
        + (sides - 1) * SIDE_SWITCH_SECONDS
    )
    assert total == pytest.approx(expected)


def test_tiptoe_walking_is_five_walks_of_twenty_seconds_and_four_rests(strings):
    segments = plan_set("tiptoe_walking", strings, 90.0, 1, 3, cues=False)
    pauses = [p for s in segments for _, p in split_on_breaks(s.ssml) if p]
    assert pauses.count(20.0) == 5
    assert pauses.count(15.0) == 4


@pytest.mark.parametrize("budget", [60.0, 90.0, 120.0, 240.0])
@pytest.mark.parametrize("exercise_id", ALL)
def test_segments_fit_the_budget_with_room_for_the_question(exercise_id, budget, strings):
    for segment in plan_set(exercise_id, strings, budget, 2, 3):
        assert segment.seconds <= budget - CLOSING_RESERVE_SECONDS


def test_a_smaller_budget_means_more_segments(strings):
    assert len(plan_set("band_foot_pulls", strings, 60.0, 1, 3)) > len(
        plan_set("band_foot_pulls", strings, 120.0, 1, 3)
    )


def test_the_set_intro_names_the_set_and_what_is_needed(strings):
    first = to_plain_text(plan_set("pencil_pickup", strings, 90.0, 2, 3)[0].ssml)
    assert first.startswith("Pencil pick-up. Set 2 of 3 today. You'll need a pencil.")
    assert "5 reps on each side, left foot first" in first
