"""One contract for every Store: SQLite (the reference) and DynamoDB (on DynamoDB Local)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from skill.content import DEFAULT_ROUNDS_PER_DAY, EXERCISE_IDS
from skill.progress import DayProgress, Position, Profile
from skill.store.base import Store
from skill.store.sqlite import SqliteStore


USER = "amzn1.ask.account.CONTRACT-USER"
OTHER = "amzn1.ask.account.CONTRACT-OTHER"
DAY = date(2026, 11, 24)
TOE, ANKLE, BAND = "toe_grips", "ankle_circles", "band_foot_pulls"


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path) -> Store:
    if request.param == "sqlite":
        sqlite = SqliteStore(tmp_path / "contract.sqlite3")
        yield sqlite
        sqlite.close()
    else:  # DynamoDB Local starts only when a DynamoDB case runs
        yield request.getfixturevalue("dynamo_store")


def _assert_ints(progress: DayProgress) -> None:
    for exercise_id, count in progress.done.items():
        assert type(count) is int, (exercise_id, type(count))


def test_new_user_loads_defaults(store):
    snapshot = store.load(USER, DAY)
    assert snapshot.profile == Profile()
    assert snapshot.profile.goal == DEFAULT_ROUNDS_PER_DAY
    assert snapshot.today == DayProgress(DAY, {})
    assert store.recent_days(USER, DAY) == []


def test_add_set_counts_and_stops_at_the_goal(store):
    assert store.add_set(USER, DAY, TOE, 2) == 1
    assert store.add_set(USER, DAY, TOE, 2) == 2
    assert store.add_set(USER, DAY, TOE, 2) is None  # at the goal: not counted
    assert store.add_set(USER, DAY, TOE, 3) == 3  # a higher goal lets one more in
    assert store.add_set(USER, DAY, ANKLE, 2) == 1
    today = store.load(USER, DAY).today
    assert dict(today.done) == {TOE: 3, ANKLE: 1}
    _assert_ints(today)


def test_counters_are_int(store):
    count = store.add_set(USER, DAY, BAND, 3)
    assert type(count) is int
    today = store.load(USER, DAY).today
    _assert_ints(today)
    for day in store.recent_days(USER, DAY):
        _assert_ints(day)
    profile = store.record_goal_met(USER, DAY)
    assert type(profile.streak) is int and type(profile.best_streak) is int
    profile = store.load(USER, DAY).profile
    for value in (profile.goal, profile.streak, profile.best_streak, profile.position_ts):
        assert type(value) is int


def test_days_are_separate(store):
    store.add_set(USER, DAY, TOE, 3)
    store.add_set(USER, DAY + timedelta(days=1), TOE, 3)
    store.add_set(USER, DAY + timedelta(days=1), TOE, 3)
    assert store.load(USER, DAY).today.count(TOE) == 1
    assert store.load(USER, DAY + timedelta(days=1)).today.count(TOE) == 2
    assert store.load(USER, DAY - timedelta(days=1)).today.done == {}


def test_users_are_separate(store):
    store.add_set(USER, DAY, TOE, 3)
    store.update_profile(USER, goal=2)
    other = store.load(OTHER, DAY)
    assert other.today.done == {} and other.profile == Profile()


def test_position_written_stale_refused_newer_accepted(store):
    first = Position(TOE, 2)
    assert store.update_profile(USER, position=first, position_ts=1_000) is True
    assert store.load(USER, DAY).profile.position == first
    assert store.load(USER, DAY).profile.position_ts == 1_000

    stale = Position(ANKLE, 1)
    assert store.update_profile(USER, position=stale, position_ts=999) is False
    assert store.load(USER, DAY).profile.position == first

    same_time = Position(BAND, 0)  # not older: accepted, as SQLite's ``<=`` does
    assert store.update_profile(USER, position=same_time, position_ts=1_000) is True
    assert store.load(USER, DAY).profile.position == same_time

    newer = Position(ANKLE, 3)
    assert store.update_profile(USER, position=newer, position_ts=2_000) is True
    profile = store.load(USER, DAY).profile
    assert profile.position == newer and profile.position_ts == 2_000

    assert store.update_profile(USER, position=None, position_ts=3_000) is True
    profile = store.load(USER, DAY).profile
    assert profile.position is None and profile.position_ts == 3_000


def test_goal_and_safety_saved(store):
    assert store.update_profile(USER, goal=2) is True
    assert store.update_profile(USER, safety_heard=True) is True
    profile = store.load(USER, DAY).profile
    assert profile.goal == 2 and profile.safety_heard is True
    assert profile.position is None and profile.streak == 0
    assert store.update_profile(USER, goal=3, safety_heard=False) is True
    profile = store.load(USER, DAY).profile
    assert profile.goal == 3 and profile.safety_heard is False


def test_settings_apply_even_when_the_position_is_stale(store):
    store.update_profile(USER, position=Position(TOE, 1), position_ts=5_000)
    accepted = store.update_profile(USER, goal=2, safety_heard=True,
                                    position=Position(ANKLE, 0), position_ts=4_000)
    assert accepted is False
    profile = store.load(USER, DAY).profile
    assert profile.goal == 2 and profile.safety_heard is True
    assert profile.position == Position(TOE, 1) and profile.position_ts == 5_000


def test_profile_and_day_kept_apart(store):
    store.update_profile(USER, goal=2, safety_heard=True, position=Position(TOE, 1),
                         position_ts=10)
    store.add_set(USER, DAY, TOE, 2)
    snapshot = store.load(USER, DAY)
    assert snapshot.profile.goal == 2 and snapshot.profile.position == Position(TOE, 1)
    assert dict(snapshot.today.done) == {TOE: 1}


def test_streak_consecutive_gap_same_day_best(store):
    profile = store.record_goal_met(USER, DAY)
    assert (profile.streak, profile.best_streak, profile.last_met_day) == (1, 1, DAY)
    profile = store.record_goal_met(USER, DAY + timedelta(days=1))
    assert (profile.streak, profile.best_streak) == (2, 2)
    again = store.record_goal_met(USER, DAY + timedelta(days=1))  # second device, same day
    assert (again.streak, again.best_streak) == (2, 2)
    profile = store.record_goal_met(USER, DAY + timedelta(days=4))  # a gap: starts again
    assert (profile.streak, profile.best_streak, profile.last_met_day) == (
        1, 2, DAY + timedelta(days=4))
    stored = store.load(USER, DAY + timedelta(days=4)).profile
    assert (stored.streak, stored.best_streak, stored.last_met_day) == (
        1, 2, DAY + timedelta(days=4))


def test_record_goal_met_keeps_the_other_settings(store):
    store.update_profile(USER, goal=2, safety_heard=True, position=Position(BAND, 1),
                         position_ts=7)
    profile = store.record_goal_met(USER, DAY)
    assert profile.goal == 2 and profile.safety_heard is True
    assert profile.position == Position(BAND, 1) and profile.position_ts == 7
    assert store.load(USER, DAY).profile == profile


def test_reset_day_clears_only_that_day(store):
    yesterday = DAY - timedelta(days=1)
    store.add_set(USER, yesterday, TOE, 3)
    store.add_set(USER, DAY, TOE, 3)
    store.add_set(USER, DAY, ANKLE, 3)
    store.add_set(OTHER, DAY, TOE, 3)
    store.update_profile(USER, goal=2)
    store.reset_day(USER, DAY)
    assert store.load(USER, DAY).today.done == {}
    assert dict(store.load(USER, yesterday).today.done) == {TOE: 1}
    assert dict(store.load(OTHER, DAY).today.done) == {TOE: 1}
    assert store.load(USER, DAY).profile.goal == 2
    store.reset_day(USER, DAY)  # nothing there: fine
    assert store.add_set(USER, DAY, TOE, 3) == 1  # counting starts again from zero


def test_recent_days_returns_the_window(store):
    for offset in (-8, -7, -6, -3, 0, 1):
        store.add_set(USER, DAY + timedelta(days=offset), TOE, 3)
    store.add_set(USER, DAY - timedelta(days=3), ANKLE, 3)
    days = store.recent_days(USER, DAY, 7)
    assert [d.day for d in days] == [DAY - timedelta(days=6), DAY - timedelta(days=3), DAY]
    assert dict(days[1].done) == {TOE: 1, ANKLE: 1}
    for day in days:
        _assert_ints(day)
    assert [d.day for d in store.recent_days(USER, DAY, 1)] == [DAY]
    assert [d.day for d in store.recent_days(USER, DAY - timedelta(days=6), 2)] == [
        DAY - timedelta(days=7), DAY - timedelta(days=6)]
    assert store.recent_days(OTHER, DAY, 7) == []


def test_delete_user_removes_everything(store):
    for offset in range(5):
        for exercise_id in EXERCISE_IDS:
            store.add_set(USER, DAY - timedelta(days=offset), exercise_id, 3)
    store.update_profile(USER, goal=2, safety_heard=True, position=Position(TOE, 1),
                         position_ts=1)
    store.record_goal_met(USER, DAY)
    store.add_set(OTHER, DAY, TOE, 3)
    store.delete_user(USER)
    snapshot = store.load(USER, DAY)
    assert snapshot.profile == Profile() and snapshot.today.done == {}
    assert store.recent_days(USER, DAY, 30) == []
    assert dict(store.load(OTHER, DAY).today.done) == {TOE: 1}
    store.delete_user(USER)  # nothing left: fine
