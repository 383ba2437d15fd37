"""One contract for every Store: SQLite (the reference) and DynamoDB (on DynamoDB Local)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from skill.content import DEFAULT_ROUNDS_PER_DAY, EXERCISE_IDS
from skill.progress import KNOWN_AFTER_SETS, DayProgress, Position, Profile, Settings
from skill.records import replace
from skill.store.base import Store
from skill.store.sqlite import _SCHEMA, SqliteStore

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


def test_a_position_keeps_its_day_and_one_without_a_day_reads_back_without(store):
    kept = Position(TOE, 2, DAY)
    assert store.update_profile(USER, position=kept, position_ts=1_000) is True
    read = store.load(USER, DAY + timedelta(days=1)).profile.position
    assert read == kept and read is not None and read.day == DAY
    assert store.update_profile(USER, position=Position(ANKLE, 1), position_ts=2_000) is True
    read = store.load(USER, DAY).profile.position
    assert read == Position(ANKLE, 1) and read is not None and read.day is None


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
    accepted = store.update_profile(
        USER, goal=2, safety_heard=True, position=Position(ANKLE, 0), position_ts=4_000
    )
    assert accepted is False
    profile = store.load(USER, DAY).profile
    assert profile.goal == 2 and profile.safety_heard is True
    assert profile.position == Position(TOE, 1) and profile.position_ts == 5_000


def test_profile_and_day_kept_apart(store):
    store.update_profile(USER, goal=2, safety_heard=True, position=Position(TOE, 1), position_ts=10)
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
        1,
        2,
        DAY + timedelta(days=4),
    )
    stored = store.load(USER, DAY + timedelta(days=4)).profile
    assert (stored.streak, stored.best_streak, stored.last_met_day) == (
        1,
        2,
        DAY + timedelta(days=4),
    )


def test_a_rest_day_is_kept_with_the_streak_and_read_back(store):
    """One missed day in any 7 keeps the streak (skill/progress.py); the rest day and the flag
    that the rule was said are written with the streak and loaded back."""
    store.record_goal_met(USER, DAY)
    rest = DAY + timedelta(days=1)
    profile = store.record_goal_met(USER, DAY + timedelta(days=2))
    assert (profile.streak, profile.best_streak, profile.rest_day, profile.rest_day_told) == (
        2,
        2,
        rest,
        True,
    )
    assert store.load(USER, DAY + timedelta(days=2)).profile == profile
    assert store.record_goal_met(USER, DAY + timedelta(days=2)) == profile  # same day: no change
    store.update_profile(USER, goal=2, position=Position(TOE, 1), position_ts=9)
    kept = store.load(USER, DAY + timedelta(days=3)).profile
    assert (kept.rest_day, kept.rest_day_told) == (rest, True)  # other settings leave them be
    # A second missed day 3 days after the first: the streak starts again, with no rest day
    # (a new streak gets its own); the flag that the rule was said stays.
    profile = store.record_goal_met(USER, DAY + timedelta(days=4))
    assert (profile.streak, profile.best_streak, profile.rest_day, profile.rest_day_told) == (
        1,
        2,
        None,
        True,
    )
    assert store.load(USER, DAY + timedelta(days=4)).profile == profile
    # Seven days after the first rest day, another one is forgiven.
    for offset in (5, 6, 7):
        store.record_goal_met(USER, DAY + timedelta(days=offset))
    profile = store.record_goal_met(USER, DAY + timedelta(days=9))
    assert (profile.streak, profile.rest_day) == (5, DAY + timedelta(days=8))
    assert store.load(USER, DAY + timedelta(days=9)).profile == profile


def _streak_of(profile: Profile) -> tuple:
    return (profile.streak, profile.best_streak, profile.last_met_day, profile.rest_day)


@pytest.mark.parametrize("rest_day_kept", [False, True])
def test_a_day_whose_goal_is_no_longer_met_leaves_the_streak_exactly(store, rest_day_kept):
    """Today's sets cleared, the goal raised: the streak, the best, the last day met and the
    rest day are as they were before today, in the store as in what it returns."""
    store.record_goal_met(USER, DAY)
    store.record_goal_met(USER, DAY + timedelta(days=1))
    today = DAY + timedelta(days=3 if rest_day_kept else 2)
    before = store.load(USER, today).profile
    met = store.record_goal_met(USER, today)
    assert met.streak == 3 and met.best_streak == 3
    assert (met.rest_day is not None) is rest_day_kept

    withdrawn = store.withdraw_goal_met(USER, today)
    assert _streak_of(withdrawn) == _streak_of(before) == (2, 2, DAY + timedelta(days=1), None)
    assert _streak_of(store.load(USER, today).profile) == _streak_of(before)
    # Twice, or for a day that is not the last one met: nothing changes.
    assert _streak_of(store.withdraw_goal_met(USER, today)) == _streak_of(before)
    assert _streak_of(store.withdraw_goal_met(USER, DAY)) == _streak_of(before)
    # Met again later that day: the same streak as the first time.
    assert _streak_of(store.record_goal_met(USER, today)) == _streak_of(met)
    assert _streak_of(store.load(USER, today).profile) == _streak_of(met)


def test_withdrawing_a_new_streaks_first_day_goes_back_to_the_lapsed_one(store):
    for offset in range(4):
        store.record_goal_met(USER, DAY + timedelta(days=offset))  # best 4
    later = DAY + timedelta(days=10)
    assert store.record_goal_met(USER, later).streak == 1
    withdrawn = store.withdraw_goal_met(USER, later)
    assert _streak_of(withdrawn) == (4, 4, DAY + timedelta(days=3), None)  # as before `later`
    assert _streak_of(store.load(USER, later).profile) == (4, 4, DAY + timedelta(days=3), None)


def test_withdrawing_with_nothing_recorded_changes_nothing(store):
    assert _streak_of(store.withdraw_goal_met(USER, DAY)) == (0, 0, None, None)
    assert store.load(USER, DAY).profile == Profile()


def test_record_goal_met_keeps_the_other_settings(store):
    store.update_profile(USER, goal=2, safety_heard=True, position=Position(BAND, 1), position_ts=7)
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
        DAY - timedelta(days=7),
        DAY - timedelta(days=6),
    ]
    assert store.recent_days(OTHER, DAY, 7) == []


def test_delete_user_removes_everything(store):
    for offset in range(5):
        for exercise_id in EXERCISE_IDS:
            store.add_set(USER, DAY - timedelta(days=offset), exercise_id, 3)
    store.update_profile(USER, goal=2, safety_heard=True, position=Position(TOE, 1), position_ts=1)
    store.record_goal_met(USER, DAY)
    store.add_set(OTHER, DAY, TOE, 3)
    store.delete_user(USER)
    snapshot = store.load(USER, DAY)
    assert snapshot.profile == Profile() and snapshot.today.done == {}
    assert store.recent_days(USER, DAY, 30) == []
    assert dict(store.load(OTHER, DAY).today.done) == {TOE: 1}
    store.delete_user(USER)  # nothing left: fine


# -- time zone and reminder token -------------------------------------------------------------

ZONE = "Pacific/Auckland"
TOKEN = "amzn1.alert.reminder.0f9a1c2e-7d4b-4c3a-9e8f-123456789abc"


def _rest(profile: Profile) -> tuple:
    """Everything in the profile but the time zone and reminder token."""
    return (
        profile.goal,
        profile.safety_heard,
        profile.position,
        profile.position_ts,
        profile.streak,
        profile.best_streak,
        profile.last_met_day,
    )


def test_new_profiles_have_no_time_zone_and_no_reminder(store):
    assert store.load(USER, DAY).profile.time_zone is None
    assert store.load(USER, DAY).profile.reminder_token is None
    store.update_profile(USER, goal=2)  # a profile that exists, without either
    profile = store.load(USER, DAY).profile
    assert profile.time_zone is None and profile.reminder_token is None


def test_time_zone_saved_changed_and_cleared(store):
    assert store.update_profile(USER, time_zone=ZONE) is True
    assert store.load(USER, DAY).profile.time_zone == ZONE
    assert store.update_profile(USER, time_zone="Europe/Berlin") is True
    assert store.load(USER, DAY).profile.time_zone == "Europe/Berlin"
    assert store.update_profile(USER, time_zone=None) is True
    assert store.load(USER, DAY).profile.time_zone is None


def test_reminder_token_saved_read_and_cleared(store):
    assert store.update_profile(USER, reminder_token=TOKEN) is True
    assert store.load(USER, DAY).profile.reminder_token == TOKEN
    assert store.update_profile(USER, reminder_token=None) is True
    assert store.load(USER, DAY).profile.reminder_token is None
    assert store.update_profile(USER, reminder_token=None) is True  # nothing there: fine
    assert store.load(USER, DAY).profile == Profile()


def test_updating_one_leaves_the_rest_untouched(store):
    store.update_profile(
        USER,
        goal=2,
        safety_heard=True,
        position=Position(TOE, 1),
        position_ts=50,
        time_zone=ZONE,
        reminder_token=TOKEN,
    )
    store.record_goal_met(USER, DAY)
    before = store.load(USER, DAY).profile
    assert (before.time_zone, before.reminder_token) == (ZONE, TOKEN)

    store.update_profile(USER, time_zone="America/New_York")
    profile = store.load(USER, DAY).profile
    assert profile.time_zone == "America/New_York" and profile.reminder_token == TOKEN
    assert _rest(profile) == _rest(before)

    store.update_profile(USER, reminder_token=None)
    profile = store.load(USER, DAY).profile
    assert profile.time_zone == "America/New_York" and profile.reminder_token is None
    assert _rest(profile) == _rest(before)

    store.update_profile(USER, time_zone=None, reminder_token="token-2")
    profile = store.load(USER, DAY).profile
    assert profile.time_zone is None and profile.reminder_token == "token-2"
    assert _rest(profile) == _rest(before)


def test_unset_leaves_time_zone_and_reminder_alone(store):
    store.update_profile(USER, time_zone=ZONE, reminder_token=TOKEN)
    assert store.update_profile(USER) is True  # nothing to change
    assert store.update_profile(USER, goal=2, safety_heard=True) is True
    assert store.update_profile(USER, position=Position(BAND, 2), position_ts=10) is True
    assert store.update_profile(USER, position=None, position_ts=20) is True
    store.record_goal_met(USER, DAY)
    profile = store.load(USER, DAY).profile
    assert (profile.time_zone, profile.reminder_token) == (ZONE, TOKEN)
    assert profile.goal == 2 and profile.safety_heard is True and profile.streak == 1


def test_combined_update_in_one_call(store):
    store.update_profile(USER, reminder_token=TOKEN, position=Position(TOE, 0), position_ts=1)
    assert (
        store.update_profile(
            USER, goal=2, time_zone=ZONE, position=Position(ANKLE, 2), position_ts=100
        )
        is True
    )
    profile = store.load(USER, DAY).profile
    assert profile.goal == 2 and profile.time_zone == ZONE and profile.reminder_token == TOKEN
    assert profile.position == Position(ANKLE, 2) and profile.position_ts == 100

    # Clearing the position and the reminder and setting the zone, in one call.
    assert (
        store.update_profile(
            USER, time_zone="Asia/Kolkata", reminder_token=None, position=None, position_ts=200
        )
        is True
    )
    profile = store.load(USER, DAY).profile
    assert profile.time_zone == "Asia/Kolkata" and profile.reminder_token is None
    assert profile.position is None and profile.position_ts == 200 and profile.goal == 2


def test_time_zone_and_reminder_apply_even_when_the_position_is_stale(store):
    store.update_profile(USER, position=Position(TOE, 1), position_ts=5_000, reminder_token=TOKEN)
    accepted = store.update_profile(
        USER,
        goal=2,
        time_zone=ZONE,
        reminder_token=None,
        position=Position(ANKLE, 0),
        position_ts=4_000,
    )
    assert accepted is False
    profile = store.load(USER, DAY).profile
    assert profile.goal == 2 and profile.time_zone == ZONE and profile.reminder_token is None
    assert profile.position == Position(TOE, 1) and profile.position_ts == 5_000
    # Only the stale position, nothing else: refused, nothing changed.
    assert store.update_profile(USER, position=None, position_ts=4_000) is False
    assert store.load(USER, DAY).profile == profile


@pytest.mark.parametrize(
    "arguments",
    [
        {"time_zone": "x" * 65},
        {"reminder_token": "t" * 513},
        {"time_zone": ""},
        {"reminder_token": ""},
        {
            "goal": 2,
            "time_zone": ZONE,
            "reminder_token": "t" * 513,
            "position": Position(TOE, 1),
            "position_ts": 1,
        },
    ],
)
def test_bad_time_zone_or_reminder_token_raises_before_writing(store, arguments):
    store.update_profile(USER, time_zone=ZONE, reminder_token=TOKEN)
    before = store.load(USER, DAY).profile
    with pytest.raises(ValueError):
        store.update_profile(USER, **arguments)
    assert store.load(USER, DAY).profile == before


def test_time_zone_and_reminder_token_at_their_size_limits(store):
    zone, token = "z" * 64, "t" * 512
    assert store.update_profile(USER, time_zone=zone, reminder_token=token) is True
    profile = store.load(USER, DAY).profile
    assert (profile.time_zone, profile.reminder_token) == (zone, token)
    with pytest.raises(TypeError):
        store.update_profile(USER, time_zone=12)


def test_delete_user_forgets_time_zone_and_reminder(store):
    store.update_profile(USER, time_zone=ZONE, reminder_token=TOKEN)
    store.update_profile(OTHER, time_zone="Europe/Paris")
    store.delete_user(USER)
    assert store.load(USER, DAY).profile == Profile()
    assert store.load(OTHER, DAY).profile.time_zone == "Europe/Paris"


# -- SQLite: files made by the previous version ------------------------------------------------

# The profiles table as the version before time zones and reminders created it (day_sets has not
# changed since: its statement is taken from the current schema), with a user's data.
_OLD_PROFILES = """
CREATE TABLE profiles (
    user_id TEXT PRIMARY KEY,
    goal INTEGER,
    safety_heard INTEGER NOT NULL DEFAULT 0,
    position TEXT,
    position_ts INTEGER NOT NULL DEFAULT 0,
    streak INTEGER NOT NULL DEFAULT 0,
    best_streak INTEGER NOT NULL DEFAULT 0,
    last_met_day TEXT
);
INSERT INTO profiles VALUES ('amzn1.ask.account.CONTRACT-USER', 2, 1,
                             '{"exercise": "toe_grips", "segment": 1}', 70, 3, 5, '2026-11-24');
"""


def test_sqlite_file_of_the_previous_version_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(_OLD_PROFILES)
    old.executescript(_SCHEMA[_SCHEMA.index("CREATE TABLE IF NOT EXISTS day_sets") :])
    old.execute(f"INSERT INTO day_sets VALUES ('{USER}', '{DAY}', '{TOE}', 2)")
    old.commit()
    old.close()

    store = SqliteStore(path)
    snapshot = store.load(USER, DAY)
    kept = Profile(
        goal=2,
        safety_heard=True,
        position=Position(TOE, 1),
        position_ts=70,
        streak=3,
        best_streak=5,
        last_met_day=DAY,
    )
    assert snapshot.profile == kept  # old data read, new fields None
    assert dict(snapshot.today.done) == {TOE: 2}

    assert store.update_profile(USER, time_zone=ZONE, reminder_token=TOKEN) is True
    assert store.add_set(USER, DAY, TOE, 3) == 3
    store.close()

    reopened = SqliteStore(path)  # a second open finds the columns there: nothing to do
    snapshot = reopened.load(USER, DAY)
    assert snapshot.profile == replace(kept, time_zone=ZONE, reminder_token=TOKEN)
    assert dict(snapshot.today.done) == {TOE: 3}
    assert reopened.update_profile(USER, reminder_token=None, position=None, position_ts=80) is True
    profile = reopened.load(USER, DAY).profile
    assert profile.reminder_token is None and profile.time_zone == ZONE
    assert (profile.goal, profile.streak, profile.best_streak) == (2, 3, 5)
    reopened.close()

    check = sqlite3.connect(path)
    columns = [row[1] for row in check.execute("PRAGMA table_info(profiles)")]
    check.close()
    added = ["time_zone", "reminder_token", "rest_day", "rest_day_told", "streak_before"]
    assert columns[-5:] == added
    assert all(columns.count(name) == 1 for name in added)


# --- an exercise left out for the day (after "it hurts") -----------------------------------------


def test_an_exercise_left_out_is_kept_with_that_day_only(store):
    store.add_set(USER, DAY, TOE, 3)
    store.leave_out(USER, DAY, ANKLE)
    store.leave_out(USER, DAY, ANKLE)  # idempotent: a retried write changes nothing
    today = store.load(USER, DAY).today
    assert today.left_out == frozenset({ANKLE})
    assert dict(today.done) == {TOE: 1}
    assert ANKLE not in today.remaining(3)
    assert today.remaining_total(3) == 3 * 4 - 1
    # Another day, another user: nothing left out.
    assert store.load(USER, DAY + timedelta(days=1)).today.left_out == frozenset()
    assert store.load(OTHER, DAY).today.left_out == frozenset()
    # The week's view of that day knows it too (its goal counts without the exercise).
    (day,) = store.recent_days(USER, DAY)
    assert day.left_out == frozenset({ANKLE})


def test_a_day_with_only_an_exercise_left_out_still_loads(store):
    store.leave_out(USER, DAY, BAND)
    assert store.load(USER, DAY).today == DayProgress(DAY, {}, frozenset({BAND}))
    assert store.recent_days(USER, DAY) == []  # no sets: no day to show in the week


def test_reset_and_delete_forget_what_was_left_out(store):
    store.add_set(USER, DAY, TOE, 3)
    store.leave_out(USER, DAY, BAND)
    store.reset_day(USER, DAY)
    assert store.load(USER, DAY).today == DayProgress(DAY, {})
    store.leave_out(USER, DAY, BAND)
    store.delete_user(USER)
    assert store.load(USER, DAY).today == DayProgress(DAY, {})


def test_only_an_exercise_id_can_be_left_out(store):
    for bad in ("", "pk", "left_out", "knee pain"):
        with pytest.raises(ValueError):
            store.leave_out(USER, DAY, bad)
    assert store.load(USER, DAY).today.left_out == frozenset()


# -- coaching settings, the routine, known exercises (issue 19) ------------------------------


def test_new_profiles_have_the_default_settings(store):
    profile = store.load(USER, DAY).profile
    assert profile.settings == Settings() and profile.known == {}


def test_settings_saved_each_alone_and_kept_with_the_rest(store):
    store.update_profile(USER, goal=2, safety_heard=True)
    store.update_profile(USER, rate=85)
    store.update_profile(USER, detail="less")
    store.update_profile(USER, cues=False)
    profile = store.load(USER, DAY).profile
    assert profile.settings == Settings(rate=85, detail="less", cues=False)
    assert (profile.goal, profile.safety_heard) == (2, True)
    store.update_profile(USER, rate=115, goal=3)  # with another field, one write
    profile = store.load(USER, DAY).profile
    assert profile.settings == Settings(rate=115, detail="less", cues=False)
    assert profile.goal == 3
    assert store.load(OTHER, DAY).profile.settings == Settings()


@pytest.mark.parametrize(
    "arguments", [{"rate": 50}, {"rate": 100.5}, {"detail": "loud"}, {"cues": "yes"}]
)
def test_a_setting_the_skill_could_not_choose_is_refused_before_writing(store, arguments):
    with pytest.raises(ValueError):
        store.update_profile(USER, goal=2, **arguments)
    assert store.load(USER, DAY).profile == Profile()


def test_an_exercise_out_of_the_routine_stays_out_across_days_until_put_back(store):
    store.set_in_routine(USER, BAND, included=False)
    store.set_in_routine(USER, BAND, included=False)  # idempotent
    store.set_in_routine(USER, "pencil_pickup", included=False)
    for day in (DAY, DAY + timedelta(days=3)):
        snapshot = store.load(USER, day)
        assert snapshot.profile.settings.routine_out == {BAND, "pencil_pickup"}
        assert snapshot.today.remaining_total(3) == 9  # three exercises x three rounds
    store.set_in_routine(USER, BAND, included=True)
    store.set_in_routine(USER, BAND, included=True)
    assert store.load(USER, DAY).profile.settings.routine_out == {"pencil_pickup"}
    store.set_in_routine(USER, "pencil_pickup", included=True)
    assert store.load(USER, DAY).profile.settings == Settings()
    with pytest.raises(ValueError):
        store.set_in_routine(USER, "push_ups", included=False)


def test_known_sets_count_up_per_exercise(store):
    for _ in range(KNOWN_AFTER_SETS):
        store.count_known(USER, TOE)
    store.count_known(USER, ANKLE)
    profile = store.load(USER, DAY).profile
    assert dict(profile.known) == {TOE: KNOWN_AFTER_SETS, ANKLE: 1}
    assert profile.knows(TOE) and not profile.knows(ANKLE)
    assert all(type(n) is int for n in profile.known.values())
    with pytest.raises(ValueError):
        store.count_known(USER, "push_ups")


def test_reset_settings_restores_the_defaults_and_keeps_progress(store):
    store.add_set(USER, DAY, TOE, 3)
    store.update_profile(USER, goal=2, rate=70, detail="more", cues=False)
    store.set_in_routine(USER, BAND, included=False)
    store.count_known(USER, TOE)
    store.record_goal_met(USER, DAY)
    store.reset_settings(USER)
    snapshot = store.load(USER, DAY)
    assert snapshot.profile.settings == Settings()
    assert (snapshot.profile.goal, snapshot.profile.streak) == (2, 1)
    assert dict(snapshot.profile.known) == {TOE: 1}
    assert dict(snapshot.today.done) == {TOE: 1}
    store.reset_settings(OTHER)  # nothing kept: fine


def test_delete_user_forgets_settings_routine_and_known_sets(store):
    store.update_profile(USER, rate=70, cues=False)
    store.set_in_routine(USER, BAND, included=False)
    store.count_known(USER, TOE)
    store.delete_user(USER)
    assert store.load(USER, DAY).profile == Profile()
