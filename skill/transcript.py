"""What the skill says in one locale, every template rendered: the reviewed golden transcript.

    python -m skill.transcript de-DE          # print the transcript of de-DE
    python -m skill.transcript --write        # rewrite tests/golden/<locale>.txt for all 12

Each template of the locale (``skill/locales``) is rendered with the counts 0, 1, 2, 3 and 15
where it is counted, every exercise where it names one, both sides where it names a side, and
the reminder times 0:30, 1:00, 8:00, 12:00, 13:05 and 21:15 where it says a time; then a set of
each exercise as coached (set 1 of 3), and the sentences the skill asks people to say back
(:data:`SAY_BACK`, checked against each model by ``tests/test_say_back.py``). The output is
plain text, one line per rendering, in a fixed order, so any change to what is heard shows as a
diff of ``tests/golden/<locale>.txt`` (``tests/test_transcript.py`` compares them).

Pure: no Alexa, no AWS, no clock.
"""

from __future__ import annotations

import argparse
import itertools
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .coaching import plan_set
from .content import EXERCISE_IDS, get_exercise
from .locales import EXACT_FORMS, PLURAL_CATEGORIES, TIME_FIELDS, Strings, strings_for
from .records import record
from .ssml import to_plain_text

__all__ = [
    "COUNTS",
    "LOCALES",
    "SAY_BACK",
    "TIMES",
    "SayBack",
    "golden_path",
    "main",
    "render",
    "say_back_sentences",
]

# The 12 locales of the interaction models (interaction_model/interactionModels/custom/).
LOCALES = (
    "en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE",
    "es-ES", "es-MX", "es-US", "fr-FR", "fr-CA", "it-IT",
)  # fmt: skip
COUNTS = (0, 1, 2, 3, 15)
# Reminder times (hour, minute): midnight's half hour, one o'clock, morning, noon, afternoon,
# evening; the times the locale review heard (LOCALE-REVIEW.md, "How this was checked").
TIMES = ((0, 30), (1, 0), (8, 0), (12, 0), (13, 5), (21, 15))
# A set as coached in the transcript: set 1 of a goal of 3, in a 90 s response budget.
_BUDGET_SECONDS = 90.0
GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"


@record(frozen=True)
class SayBack:
    """A template that tells people what to say, and what that must mean to the skill.

    Attributes
    ----------
    key
        The template (``dialog.reprompt_next_part``).
    intent
        The intent the phrase must resolve to, or ``"launch"`` for opening the skill.
    exercise
        The exercise the template names (``{name}``) and the ``exercise`` slot must hold.
    slot
        ``(slot name, value id)`` the resolved intent must carry, beside the exercise.
    elicits
        The slot of ``intent`` that the question asks for (``Dialog.ElicitSlot``), so the answer
        is heard as that slot's value.
    """

    key: str
    intent: str
    exercise: str | None = None
    slot: tuple[str, str] | None = None
    elicits: str | None = None


_A, _B = "ankle_circles", "tiptoe_walking"
# Every sentence the skill asks people to say back, with what it must mean.
SAY_BACK: tuple[SayBack, ...] = (
    SayBack("dialog.reprompt_start_round", "AMAZON.YesIntent"),
    SayBack("dialog.reprompt_resume", "AMAZON.YesIntent", _A),
    SayBack("dialog.reprompt_resume", "AMAZON.NoIntent", _A),
    SayBack("dialog.reprompt_anything_else", "AMAZON.StopIntent"),
    SayBack("dialog.reprompt_next_part", "AMAZON.NextIntent"),
    SayBack("dialog.reprompt_next_part", "AMAZON.PauseIntent"),
    SayBack("dialog.reprompt_next_exercise", "AMAZON.NextIntent", _B),
    SayBack("dialog.reprompt_next_exercise", "AMAZON.StopIntent", _B),
    SayBack("dialog.reprompt_finish_round", "AMAZON.YesIntent"),
    SayBack("dialog.reprompt_next_round", "AMAZON.YesIntent"),
    SayBack("dialog.reprompt_next_round", "AMAZON.NoIntent"),
    SayBack("dialog.goodbye_kept_place", "launch", _A),
    SayBack("dialog.paused", "launch", _A),
    SayBack("dialog.round_left_skipped", "StartExerciseIntent", _B),
    SayBack("dialog.reprompt_list_follow", "HowToIntent", slot=("exercise", _A)),
    SayBack("dialog.reprompt_list_follow", "StartRoutineIntent"),
    SayBack("dialog.reprompt_start_this", "AMAZON.YesIntent", _A),
    SayBack("dialog.reprompt_back_to_routine", "AMAZON.NextIntent", _A),
    SayBack("dialog.reprompt_goal", "SetGoalIntent", slot=("rounds", "2")),
    SayBack("dialog.reprompt_goal", "SetGoalIntent", slot=("rounds", "3")),
    SayBack("dialog.reprompt_reset", "AMAZON.YesIntent"),
    SayBack("dialog.reprompt_reset", "AMAZON.NoIntent"),
    SayBack("dialog.help_menu", "StartRoutineIntent"),
    SayBack("dialog.help_menu", "StartExerciseIntent", slot=("exercise", _A)),
    SayBack("dialog.help_in_set", "AMAZON.NextIntent", _A),
    SayBack("dialog.help_in_set", "AMAZON.RepeatIntent", _A),
    SayBack("dialog.help_in_set", "SkipIntent", _A),
    SayBack("dialog.help_in_set", "AMAZON.PauseIntent", _A),
    SayBack("dialog.reprompt_leave_out", "AMAZON.YesIntent", _A),
    SayBack("dialog.reprompt_leave_out", "AMAZON.NoIntent", _A),
    SayBack("reminder.reprompt_time", "SetReminderIntent", elicits="time"),
    SayBack("settings.detail_less", "MoreDetailIntent"),
    SayBack("settings.add_back_hint", "AddExerciseIntent", "band_foot_pulls"),
    SayBack("settings.start_out_of_routine", "AddExerciseIntent", _A),
    SayBack("settings.help", "SlowerIntent"),
    SayBack("settings.help", "LessTalkIntent"),
    SayBack("settings.help", "CountdownOffIntent"),
    SayBack("settings.help", "SettingsIntent"),
    SayBack("settings.help_in_set", "SlowerIntent"),
    SayBack("settings.how_to_change", "SlowerIntent"),
    SayBack("settings.how_to_change", "FasterIntent"),
    SayBack("settings.how_to_change", "LessTalkIntent"),
    SayBack("settings.how_to_change", "MoreDetailIntent"),
    SayBack("settings.countdown_off_command", "CountdownOffIntent"),
    SayBack("settings.countdown_on_command", "CountdownOnIntent"),
    SayBack("settings.how_to_change", "ResetSettingsIntent"),
    SayBack("settings.equipment_needed", "NoEquipmentIntent", slot=("equipment", "band")),
    SayBack("settings.equipment_needed", "NoEquipmentIntent", slot=("equipment", "pencil")),
)


def say_back_sentences(strings: Strings, check: SayBack) -> str:
    """The sentence of ``check`` as said in ``strings``' locale (plain text)."""
    fields: dict[str, Any] = {}
    if check.exercise is not None:
        fields["name"] = strings.exercise_name(check.exercise)
    fields.update(round=2, command=strings.text("settings.countdown_off_command"))
    return to_plain_text(strings.say(check.key, **fields))


def golden_path(locale: str) -> Path:
    """``tests/golden/<locale>.txt``."""
    return GOLDEN_DIR / f"{locale}.txt"


def _fields_of(value: Any) -> set[str]:
    forms = value.values() if isinstance(value, dict) else [value]
    return {
        field.split(".")[0].split("[")[0]
        for form in forms
        for _, field, _, _ in string.Formatter().parse(str(form))
        if field
    }


def _leaves(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict) and not (node and set(node) <= _FORM_KEYS):
        for key in sorted(node):
            if not key.startswith("_"):
                yield from _leaves(node[key], (*path, key))
    else:
        yield ".".join(path), node


_FORM_KEYS = {*PLURAL_CATEGORIES, *EXACT_FORMS}


def _sides(exercise_id: str | None) -> list[tuple[str, str]]:
    exercise = get_exercise(exercise_id) if exercise_id else None
    sides = exercise.sides if exercise is not None and exercise.sides else ("left", "right")
    return [(exercise_id or "default", side) for side in sides]


def _variants(strings: Strings, key: str, value: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, fields) for each rendering of one template."""
    needs = _fields_of(value)
    parts = key.split(".")
    own = parts[1] if parts[0] == "exercises" and parts[1] in EXERCISE_IDS else None
    axes: list[list[tuple[str, dict[str, Any]]]] = []
    says_time = bool(needs & TIME_FIELDS)
    if (isinstance(value, dict) or "count" in needs) and not says_time:
        axes.append([(f"count={n}", {"count": n}) for n in COUNTS])
    if "name" in needs and own is None:
        axes.append([(e, {"name": strings.exercise_name(e)}) for e in EXERCISE_IDS])
    if needs & {"side", "first_side"}:
        axes.append(
            [
                (side, {"side": strings.side(e, side), "first_side": strings.side(e, side)})
                for e, side in _sides(own)
            ]
        )
    if says_time:
        axes.append(
            [(f"{h}:{m:02d}", strings.time(h, m).fields()) for h, m in TIMES],
        )
    fixed: dict[str, Any] = {
        "name": strings.exercise_name(own) if own else strings.exercise_name(_A),
        "goal": 3,
        "total": 10,
        "done": 6,
        "round": 2,
        "reps": 10,
        "rest": 2,
        "set_number": 1,
        "n": 1,
        "low": 2,
        "high": 3,
        "first": 1,
        "last": 5,
        "seconds": 5,
        "heard": "jumping jacks",
        "zone": "New York",
        "names": strings.join([strings.exercise_name(e) for e in EXERCISE_IDS[:2]]),
        "items": strings.join([str(v) for _, v in sorted(strings.raw("equipment").items())][:2]),
        "days": strings.join([*strings.raw("weekdays")[:1], strings.text("day_today")]),
        "rate": strings.text("settings.rate_85"),
        "detail": strings.text("settings.detail_is_auto"),
        "countdown": strings.text("settings.countdown_is_on"),
        "command": strings.text("settings.countdown_off_command"),
    }
    for combination in itertools.product(*axes) if axes else [()]:
        fields = dict(fixed)
        labels = []
        for label, chosen in combination:
            labels.append(label)
            fields.update(chosen)
        count = fields.get("count", 3)
        fields.setdefault("sets", strings.text("dialog.sets", count=count))
        fields.setdefault("left", fields["sets"])
        yield " ".join(labels), fields


def _render_one(strings: Strings, key: str, value: Any, fields: dict[str, Any]) -> str:
    if isinstance(value, list):
        return " | ".join(str(item) for item in value)
    if not isinstance(value, str | dict):
        return str(value)
    fields = dict(fields)
    count = fields.pop("count", None)
    if isinstance(value, dict) and count is None:
        count = 3
    return to_plain_text(strings.say(key, count, **fields))


def render(locale: str) -> str:
    """The transcript of ``locale``: every template, the coached sets, the say-back sentences.

    Parameters
    ----------
    locale
        One of :data:`LOCALES`.

    Returns
    -------
    str
        Plain text, one rendering a line (``key [variant]: text``), ending in a newline.
    """
    strings = strings_for(locale)
    lines = [
        f"# What Leg Exercises says in {locale}: every template rendered.",
        "# Generated by `python -m skill.transcript --write`; review the diff before committing.",
        "",
        "## Templates",
    ]
    for key, value in _leaves(strings._data):
        if isinstance(value, list) or not isinstance(value, str | dict):
            lines.append(f"{key}: {_render_one(strings, key, value, {})}")
            continue
        for label, fields in _variants(strings, key, value):
            tag = f" [{label}]" if label else ""
            lines.append(f"{key}{tag}: {_render_one(strings, key, value, fields)}")
    lines += ["", "## Sets as coached (set 1 of 3)"]
    for exercise_id in EXERCISE_IDS:
        segments = plan_set(exercise_id, strings, _BUDGET_SECONDS, 1, 3)
        for segment in segments:
            lines.append(f"{exercise_id} [part {segment.index + 1}]: {to_plain_text(segment.ssml)}")
    lines += ["", "## Say back (tests/test_say_back.py)"]
    for check in SAY_BACK:
        slot = f" {check.slot[0]}={check.slot[1]}" if check.slot else ""
        lines.append(f"{check.key} -> {check.intent}{slot}: {say_back_sentences(strings, check)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print one locale's transcript, or ``--write`` all of them to ``tests/golden/``."""
    parser = argparse.ArgumentParser(prog="python -m skill.transcript", description=__doc__)
    parser.add_argument("locale", nargs="?", choices=LOCALES, help="print this locale's")
    parser.add_argument(
        "--write", action="store_true", help="write tests/golden/<locale>.txt (all, or one)"
    )
    args = parser.parse_args(argv)
    if not args.write and args.locale is None:
        parser.error("name a locale, or --write")
    locales = [args.locale] if args.locale else list(LOCALES)
    if not args.write:
        sys.stdout.write(render(locales[0]))
        return 0
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for locale in locales:
        golden_path(locale).write_text(render(locale), encoding="utf-8")
        print(f"wrote {golden_path(locale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
