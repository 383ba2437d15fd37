"""The embedded store: one SQLite file under the user's data directory.

Writes are single statements or short ``BEGIN IMMEDIATE`` transactions, so two processes that
share a file (two consoles, or a web host with several workers) never lose an update.

Files made by an earlier version are brought up to date when opened: a profile column added
since (see ``_ADDED_PROFILE_COLUMNS``) is added with ``ALTER TABLE ... ADD COLUMN`` when
``PRAGMA table_info`` does not list it; old rows read it as ``NULL``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeAlias, TypeVar

from ..content import EXERCISE_IDS
from ..exceptions import StoreUnavailable
from ..progress import (
    DayProgress,
    Position,
    Profile,
    Settings,
    Snapshot,
    StreakBefore,
    next_streak,
    withdrawn_streak,
)
from ..records import replace
from .base import (
    PERSON_KEY_SEPARATOR,
    UNSET,
    Store,
    Unset,
    check_profile_text,
    check_settings,
    day_key,
)

__all__ = ["SqliteStore", "default_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    user_id TEXT PRIMARY KEY,
    goal INTEGER,
    safety_heard INTEGER NOT NULL DEFAULT 0,
    position TEXT,
    position_ts INTEGER NOT NULL DEFAULT 0,
    streak INTEGER NOT NULL DEFAULT 0,
    best_streak INTEGER NOT NULL DEFAULT 0,
    last_met_day TEXT,
    rest_day TEXT,
    rest_day_told INTEGER NOT NULL DEFAULT 0,
    streak_before TEXT,
    time_zone TEXT,
    reminder_token TEXT
);
CREATE TABLE IF NOT EXISTS day_sets (
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (user_id, day, exercise_id)
);
CREATE TABLE IF NOT EXISTS day_left_out (
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    PRIMARY KEY (user_id, day, exercise_id)
);
CREATE TABLE IF NOT EXISTS coaching (
    user_id TEXT PRIMARY KEY,
    rate INTEGER,
    detail TEXT,
    cues INTEGER
);
CREATE TABLE IF NOT EXISTS routine_out (
    user_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);
CREATE TABLE IF NOT EXISTS known_sets (
    user_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    sets INTEGER NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);
"""
# Tables of what a person chose (coaching settings, their routine, the sets that taught them an
# exercise): new tables rather than new profile columns, so files of any earlier version get
# them from CREATE TABLE IF NOT EXISTS.
_USER_TABLES = ("day_sets", "day_left_out", "coaching", "routine_out", "known_sets", "profiles")
# Profile columns added after the first release, with their types: added to older files.
_ADDED_PROFILE_COLUMNS = {
    "time_zone": "TEXT",
    "reminder_token": "TEXT",
    "rest_day": "TEXT",
    "rest_day_told": "INTEGER NOT NULL DEFAULT 0",
    "streak_before": "TEXT",
}
_PROFILE_COLUMNS = (
    "goal, safety_heard, position, position_ts, streak, best_streak, "
    "last_met_day, rest_day, rest_day_told, streak_before, time_zone, reminder_token"
)
# A profiles row as SELECT {_PROFILE_COLUMNS} reads it (columns a file lacked read as NULL).
_ProfileRow: TypeAlias = tuple[
    int | None,
    int,
    str | None,
    int,
    int,
    int,
    str | None,
    str | None,
    int,
    str | None,
    str | None,
    str | None,
]

_T = TypeVar("_T")


def _migrate(conn: sqlite3.Connection) -> None:
    """Add the profile columns a file made by an earlier version lacks."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(profiles)")}
    missing = [name for name in _ADDED_PROFILE_COLUMNS if name not in present]
    if not missing:
        return
    conn.execute("BEGIN IMMEDIATE")  # another process may be migrating the same file
    try:
        present = {row[1] for row in conn.execute("PRAGMA table_info(profiles)")}
        for name in missing:
            if name not in present:
                conn.execute(
                    f"ALTER TABLE profiles ADD COLUMN {name} {_ADDED_PROFILE_COLUMNS[name]}"
                )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def default_path() -> Path:
    """``$XDG_DATA_HOME/leg-skill/progress.sqlite3`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "leg-skill" / "progress.sqlite3"


class SqliteStore(Store):
    """SQLite implementation of :class:`~skill.store.base.Store`."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = str(path) if path else str(default_path())
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
                conn.executescript(_SCHEMA)
                _migrate(conn)
            except (sqlite3.Error, OSError) as exc:
                raise StoreUnavailable(f"cannot open {self.path}: {exc}") from exc
            self._local.conn = conn
        return conn

    def _run(self, fn: Callable[[sqlite3.Connection], _T]) -> _T:
        try:
            return fn(self._db())
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    def load(self, user_id: str, day: date) -> Snapshot:
        def read(db: sqlite3.Connection) -> Snapshot:
            row = db.execute(
                f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE user_id = ?", (user_id,)
            ).fetchone()
            done = dict(
                db.execute(
                    "SELECT exercise_id, count FROM day_sets WHERE user_id = ? AND day = ?",
                    (user_id, day_key(day)),
                )
            )
            profile = _with_coaching(db, user_id, _profile(row))
            return Snapshot(profile, DayProgress(day, done, _left_out(db, user_id, day)))

        return self._run(read)

    def add_set(self, user_id: str, day: date, exercise_id: str, goal: int) -> int | None:
        def write(db: sqlite3.Connection) -> int | None:
            row = db.execute(
                "INSERT INTO day_sets (user_id, day, exercise_id, count) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (user_id, day, exercise_id) DO UPDATE SET count = count + 1 "
                "WHERE count < ? RETURNING count",
                (user_id, day_key(day), exercise_id, goal),
            ).fetchone()
            return int(row[0]) if row else None

        return self._run(write)

    def update_profile(
        self,
        user_id: str,
        *,
        goal: int | None = None,
        safety_heard: bool | None = None,
        position: Position | Unset | None = UNSET,
        position_ts: int = 0,
        time_zone: str | Unset | None = UNSET,
        reminder_token: str | Unset | None = UNSET,
        rate: int | None = None,
        detail: str | None = None,
        cues: bool | None = None,
    ) -> bool:
        check_profile_text(time_zone, reminder_token)
        check_settings(rate, detail, cues)
        coaching = {
            name: value
            for name, value in (("rate", rate), ("detail", detail), ("cues", cues))
            if value is not None
        }
        settings: dict[str, object] = {}
        if goal is not None:
            settings["goal"] = goal
        if safety_heard is not None:
            settings["safety_heard"] = int(safety_heard)
        if time_zone is not UNSET:
            settings["time_zone"] = time_zone
        if reminder_token is not UNSET:
            settings["reminder_token"] = reminder_token

        def write(db: sqlite3.Connection) -> bool:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT OR IGNORE INTO profiles (user_id) VALUES (?)", (user_id,))
                if settings:  # column names from the fixed keys above, never from input
                    assignments = ", ".join(f"{name} = ?" for name in settings)
                    db.execute(
                        f"UPDATE profiles SET {assignments} WHERE user_id = ?",
                        (*settings.values(), user_id),
                    )
                if coaching:  # column names from the fixed tuple above
                    db.execute("INSERT OR IGNORE INTO coaching (user_id) VALUES (?)", (user_id,))
                    assignments = ", ".join(f"{name} = ?" for name in coaching)
                    db.execute(
                        f"UPDATE coaching SET {assignments} WHERE user_id = ?",
                        (
                            *(int(v) if isinstance(v, bool) else v for v in coaching.values()),
                            user_id,
                        ),
                    )
                accepted = True
                if position is not UNSET:
                    encoded = json.dumps(position.to_dict()) if position else None
                    cursor = db.execute(
                        "UPDATE profiles SET position = ?, position_ts = ? "
                        "WHERE user_id = ? AND position_ts <= ?",
                        (encoded, position_ts, user_id, position_ts),
                    )
                    accepted = cursor.rowcount == 1
                db.execute("COMMIT")
                return accepted
            except BaseException:
                db.execute("ROLLBACK")
                raise

        return self._run(write)

    def set_in_routine(self, user_id: str, exercise_id: str, included: bool) -> None:
        if exercise_id not in EXERCISE_IDS:
            raise ValueError("not an exercise id")
        sql = (
            "DELETE FROM routine_out WHERE user_id = ? AND exercise_id = ?"
            if included
            else "INSERT OR IGNORE INTO routine_out (user_id, exercise_id) VALUES (?, ?)"
        )
        self._run(lambda db: db.execute(sql, (user_id, exercise_id)))

    def count_known(self, user_id: str, exercise_id: str) -> None:
        if exercise_id not in EXERCISE_IDS:
            raise ValueError("not an exercise id")
        self._run(
            lambda db: db.execute(
                "INSERT INTO known_sets (user_id, exercise_id, sets) VALUES (?, ?, 1) "
                "ON CONFLICT (user_id, exercise_id) DO UPDATE SET sets = sets + 1",
                (user_id, exercise_id),
            )
        )

    def reset_settings(self, user_id: str) -> None:
        self._run(
            lambda db: _in_transaction(
                db,
                [
                    ("DELETE FROM coaching WHERE user_id = ?", (user_id,)),
                    ("DELETE FROM routine_out WHERE user_id = ?", (user_id,)),
                ],
            )
        )

    def record_goal_met(self, user_id: str, day: date) -> Profile:
        return self._change_streak(user_id, lambda profile: next_streak(profile, day))

    def withdraw_goal_met(self, user_id: str, day: date) -> Profile:
        return self._change_streak(user_id, lambda profile: withdrawn_streak(profile, day))

    def _change_streak(self, user_id: str, change: Callable[[Profile], Profile]) -> Profile:
        """Read the profile, apply ``change`` to its streak and write it, in one transaction."""

        def write(db: sqlite3.Connection) -> Profile:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT OR IGNORE INTO profiles (user_id) VALUES (?)", (user_id,))
                row = db.execute(
                    f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE user_id = ?", (user_id,)
                ).fetchone()
                after = change(_profile(row))
                before = after.streak_before
                db.execute(
                    "UPDATE profiles SET streak = ?, best_streak = ?, last_met_day = ?, "
                    "rest_day = ?, rest_day_told = ?, streak_before = ? WHERE user_id = ?",
                    (
                        after.streak,
                        after.best_streak,
                        day_key(after.last_met_day) if after.last_met_day else None,
                        day_key(after.rest_day) if after.rest_day else None,
                        int(after.rest_day_told),
                        json.dumps(before.to_dict()) if before else None,
                        user_id,
                    ),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return after

        return self._run(write)

    def leave_out(self, user_id: str, day: date, exercise_id: str) -> None:
        if exercise_id not in EXERCISE_IDS:
            raise ValueError("not an exercise id")
        self._run(
            lambda db: db.execute(
                "INSERT OR IGNORE INTO day_left_out (user_id, day, exercise_id) VALUES (?, ?, ?)",
                (user_id, day_key(day), exercise_id),
            )
        )

    def reset_day(self, user_id: str, day: date) -> None:
        key = (user_id, day_key(day))
        self._run(
            lambda db: _in_transaction(
                db,
                [
                    ("DELETE FROM day_sets WHERE user_id = ? AND day = ?", key),
                    ("DELETE FROM day_left_out WHERE user_id = ? AND day = ?", key),
                ],
            )
        )

    def recent_days(self, user_id: str, last_day: date, days: int = 7) -> list[DayProgress]:
        first = last_day - timedelta(days=days - 1)

        def read(db: sqlite3.Connection) -> list[DayProgress]:
            span = (user_id, day_key(first), day_key(last_day))
            by_day: dict[str, dict[str, int]] = {}
            for day, exercise_id, count in db.execute(
                "SELECT day, exercise_id, count FROM day_sets WHERE user_id = ? "
                "AND day BETWEEN ? AND ? ORDER BY day",
                span,
            ):
                by_day.setdefault(day, {})[exercise_id] = count
            out: dict[str, set[str]] = {}  # one query for the week's left-out exercises
            for day, exercise_id in db.execute(
                "SELECT day, exercise_id FROM day_left_out WHERE user_id = ? "
                "AND day BETWEEN ? AND ?",
                span,
            ):
                if exercise_id in EXERCISE_IDS:
                    out.setdefault(day, set()).add(exercise_id)
            return [
                DayProgress(date.fromisoformat(d), done, frozenset(out.get(d, ())))
                for d, done in by_day.items()
            ]

        return self._run(read)

    def delete_user(self, user_id: str) -> None:
        """Delete the user's rows and, for an account, its recognised people's (keys that start
        with ``<user id>#person#``, :func:`~.base.person_key`): one transaction."""
        prefix = user_id + PERSON_KEY_SEPARATOR  # compared whole: "_" and "%" are not patterns
        self._run(
            lambda db: _in_transaction(
                db,
                [
                    (
                        f"DELETE FROM {table} WHERE user_id = ? "
                        "OR substr(user_id, 1, length(?)) = ?",
                        (user_id, prefix, prefix),
                    )
                    for table in _USER_TABLES
                ],
            )
        )

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _in_transaction(db: sqlite3.Connection, statements: list[tuple[str, tuple[str, ...]]]) -> None:
    """Run the statements as one transaction: all of them or none."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            db.execute(sql, params)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _left_out(db: sqlite3.Connection, user_id: str, day: date) -> frozenset[str]:
    rows = db.execute(
        "SELECT exercise_id FROM day_left_out WHERE user_id = ? AND day = ?",
        (user_id, day_key(day)),
    )
    return frozenset(e for (e,) in rows if e in EXERCISE_IDS)


def _with_coaching(db: sqlite3.Connection, user_id: str, profile: Profile) -> Profile:
    """``profile`` with the person's coaching settings, routine and known sets read in."""
    row = db.execute(
        "SELECT rate, detail, cues FROM coaching WHERE user_id = ?", (user_id,)
    ).fetchone()
    rate, detail, cues = row if row else (None, None, None)
    out = db.execute("SELECT exercise_id FROM routine_out WHERE user_id = ?", (user_id,))
    settings = Settings.read(
        rate, detail, None if cues is None else bool(cues), (e for (e,) in out)
    )
    known = {
        e: int(n)
        for e, n in db.execute(
            "SELECT exercise_id, sets FROM known_sets WHERE user_id = ?", (user_id,)
        )
        if e in EXERCISE_IDS
    }
    return replace(profile, settings=settings, known=known)


def _profile(row: _ProfileRow | None) -> Profile:
    if row is None:
        return Profile()
    goal, safety, position, position_ts, streak, best, last_met, rest, told, before, zone, token = (
        row
    )
    defaults = Profile()
    return Profile(
        goal=int(goal) if goal else defaults.goal,
        safety_heard=bool(safety),
        position=Position.from_dict(json.loads(position)) if position else None,
        position_ts=int(position_ts or 0),
        streak=int(streak or 0),
        best_streak=int(best or 0),
        last_met_day=date.fromisoformat(last_met) if last_met else None,
        rest_day=date.fromisoformat(rest) if rest else None,
        rest_day_told=bool(told),
        streak_before=StreakBefore.from_dict(json.loads(before)) if before else None,
        time_zone=zone or None,
        reminder_token=token or None,
    )
