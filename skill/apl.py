"""Pure: the Echo Show screen for an exercise, as an APL ``RenderDocument`` directive.

The document is one constant (layout, styles and the five drawings) built once; everything that
changes from one reply to the next travels in the datasource, bound with ``${payload...}``, so
the directive stays a few kilobytes. Core APL only: no layouts package, no images, no URLs.

The screen shows the exercise's name, its rep (and hold) counter with the side, its steps, a
drawing made of APL vector graphics, today's sets for every exercise, and three touch buttons
that send a ``UserEvent`` whose first argument is one of :data:`BUTTON_ACTIONS`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from .content import EXERCISES, Exercise, HoldKind, get_exercise
from .locales import Strings
from .records import record

__all__ = [
    "APL_INTERFACE",
    "APL_VERSION",
    "BUTTON_ACTIONS",
    "TOKEN",
    "ScreenView",
    "apl_version_tuple",
    "avg_graphic",
    "device_renders",
    "render_directive",
    "user_event_action",
]

APL_INTERFACE = "Alexa.Presentation.APL"
TOKEN = "legExerciseScreen"
BUTTON_ACTIONS: tuple[str, ...] = ("next", "pause", "repeat")

_DIRECTIVE_TYPE = "Alexa.Presentation.APL.RenderDocument"
# The APL version the document declares: the one it was written and checked against. A device
# renders documents up to its own ``runtime.maxVersion`` (see :func:`device_renders`).
APL_VERSION = "2023.3"
_APL_VERSION_TUPLE = tuple(int(part) for part in APL_VERSION.split("."))
_AVG_VERSION = "1.2"

# Colours shared by the layout, the drawings and the rows of today's sets.
_BACKGROUND = "#101820"
_INK = "#E8EEF4"
_MUTED = "#9AA8B6"
_SKIN = "#34475C"
_ACCENT = "#FFC857"
_DONE = "#8BD39B"
_FLOOR = "#6B7A8A"
_BAND = "#4FC3F7"
_BUTTON = "#2A3A4C"
_BUTTON_PRESSED = "#46607C"

_SIDE_SEPARATOR = " · "  # neutral punctuation: the side's own wording is already localised


@record(frozen=True)
class ScreenView:
    """What the screen shows for the reply being spoken.

    ``first_rep``/``last_rep`` are 1-based and count within the current side; ``total_reps`` is
    the reps per side. ``done_today`` maps exercise ids to sets done today; ``goal`` is the
    number of rounds (sets per exercise) a day.
    """

    exercise_id: str
    first_rep: int
    last_rep: int
    total_reps: int
    side: str | None
    done_today: Mapping[str, int]
    goal: int


# --- The drawings: a 100 x 100 side view, the foot facing right. ---------------------------


def _path(
    data: str, fill: str | None = None, stroke: str | None = None, width: float = 2.5
) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "path", "pathData": data}
    if fill:
        item["fill"] = fill
    if stroke:
        item.update(stroke=stroke, strokeWidth=width, strokeLineCap="round", strokeLineJoin="round")
    return item


def _limb(data: str) -> dict[str, Any]:
    return _path(data, fill=_SKIN, stroke=_INK)


def _arrow(data: str) -> dict[str, Any]:
    return _path(data, stroke=_ACCENT, width=3)


def _group(items: list[dict[str, Any]], **transform: float) -> dict[str, Any]:
    return {"type": "group", "items": items, **transform}


# A lower leg and a flat foot; the same foot with its toes curled down; the foot on tiptoe.
_FOOT_FLAT = (
    "M30,6 V64 C30,74 25,80 27,84 C28,87 32,88 38,88 H82 C88,88 90,84 86,81 "
    "L66,73 C56,69 48,64 45,56 V6 Z"
)
_FOOT_CURLED = (
    "M30,6 V64 C30,74 25,80 27,84 C28,87 32,88 38,88 H62 C67,88 69,80 75,79 "
    "C80,78 81,84 82,88 H87 C91,81 89,72 80,70 C70,68 50,64 45,56 V6 Z"
)
_FOOT_TIPTOE = (
    "M36,6 V52 C36,60 33,66 37,70 L62,85 C65,87 68,88 72,88 H86 C90,88 91,84 "
    "87,82 L70,76 C60,72 52,62 50,52 V6 Z"
)
_FLOOR_LINE = _path("M6,88 H94", stroke=_FLOOR)
_LIFT_ARROW = "V{top} M{left},{head} L{x},{top} L{right},{head}"


def _up_arrow(x: int, bottom: int, top: int) -> dict[str, Any]:
    return _arrow(
        f"M{x},{bottom} " + _LIFT_ARROW.format(top=top, left=x - 6, right=x + 6, head=top + 6, x=x)
    )


_ILLUSTRATIONS: dict[str, list[dict[str, Any]]] = {
    "toe_grips": [
        _FLOOR_LINE,
        _limb(_FOOT_CURLED),
        _arrow("M66,56 A18,18 0 0 1 93,70 M87,69 L93,71 L96,65"),  # the toes curling down
    ],
    "tiptoe_walking": [
        _FLOOR_LINE,
        _limb(_FOOT_TIPTOE),
        _up_arrow(22, 86, 64),
    ],
    "ankle_circles": [
        # A ring round the ankle: its back half behind the leg, its front half over it.
        _arrow("M12,48 A26,8 0 0 1 64,48"),
        _group([_limb(_FOOT_FLAT)], translateY=-6),
        _arrow("M64,48 A26,8 0 0 1 12,48 M20,50 L12,48 L17,41"),
    ],
    "band_foot_pulls": [
        # Sitting, leg straight ahead: the flat foot turned up, the band from the toes to a post.
        _path("M4,84 H96", stroke=_FLOOR),
        _path("M89,20 H95 V84 H89 Z", fill=_FLOOR),
        _group(
            [_limb(_FOOT_FLAT)],
            rotation=-90,
            pivotX=50,
            pivotY=50,
            scaleX=0.8,
            scaleY=0.8,
            translateX=-6,
            translateY=12,
        ),
        _path("M70,30 L89,35 L76,40", stroke=_BAND, width=3),
        _arrow("M76,10 A16,16 0 0 0 58,14 M60,8 L58,14 L64,16"),  # flex back toward you
    ],
    "pencil_pickup": [
        _path("M6,94 H94", stroke=_FLOOR),
        _group(
            [
                _limb(_FOOT_CURLED),
                _path("M56,80 H86 V85 H56 Z", fill=_ACCENT),  # the pencil held under the toes
                _path("M86,80 L95,82.5 L86,85 Z", fill="#F5DEB3"),
                _path("M51,80 H56 V85 H51 Z", fill="#F48FB1"),
            ],
            translateY=-6,
        ),
        _up_arrow(14, 92, 72),
    ],
}


def _graphics() -> dict[str, Any]:
    return {
        name: {"type": "AVG", "version": _AVG_VERSION, "width": 100, "height": 100, "items": items}
        for name, items in _ILLUSTRATIONS.items()
    }


# --- The layout. -------------------------------------------------------------------------------

# Sizes for a large landscape hub, then overrides: small screens (Echo Show 5, Spot, TVs),
# portrait screens and round ones stack the drawing above the steps.
_RESOURCES: list[dict[str, Any]] = [
    {
        "dimensions": {
            "padX": "4vw",
            "padY": "3vh",
            "gap": "16dp",
            "titleSize": "44dp",
            "counterSize": "32dp",
            "bodySize": "26dp",
            "smallSize": "22dp",
            "buttonSize": "26dp",
            "artWidth": "30vw",
            "artHeight": "40vh",
        },
        "strings": {"bodyDirection": "row", "textAlign": "left"},
    },
    {
        "when": "${viewport.width < 961 || viewport.height < 601}",
        "dimensions": {
            "gap": "10dp",
            "titleSize": "32dp",
            "counterSize": "24dp",
            "bodySize": "20dp",
            "smallSize": "18dp",
            "buttonSize": "20dp",
        },
    },
    {
        "when": "${viewport.height > viewport.width}",
        "strings": {"bodyDirection": "column"},
        "dimensions": {"artWidth": "100%", "artHeight": "24vh"},
    },
    {
        "when": "${viewport.shape == 'round'}",
        "strings": {"bodyDirection": "column", "textAlign": "center"},
        "dimensions": {"padX": "12vw", "padY": "6vh", "artWidth": "100%", "artHeight": "30vh"},
    },
]

# The button frame follows its TouchWrapper's pressed and focused states.
_STYLES: dict[str, Any] = {
    "buttonFrame": {
        "values": [
            {"backgroundColor": _BUTTON, "borderRadius": "12dp"},
            {"when": "${state.focused}", "borderColor": _ACCENT, "borderWidth": "2dp"},
            {"when": "${state.pressed}", "backgroundColor": _BUTTON_PRESSED},
        ]
    }
}


def _text(text: str, size: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Text",
        "text": text,
        "fontSize": size,
        "color": _INK,
        "textAlign": "@textAlign",
        **extra,
    }


def _button(action: str) -> dict[str, Any]:
    label = f"${{payload.labels.{action}}}"
    return {
        "type": "TouchWrapper",
        "id": f"{action}Button",
        "role": "button",
        "accessibilityLabel": label,
        "spacing": "@gap",
        "onPress": [{"type": "SendEvent", "arguments": [action]}],
        "item": {
            "type": "Frame",
            "style": "buttonFrame",
            "inheritParentState": True,
            "paddingLeft": "24dp",
            "paddingRight": "24dp",
            "paddingTop": "10dp",
            "paddingBottom": "10dp",
            "item": _text(label, "@buttonSize", textAlign="center"),
        },
    }


def _main_items() -> list[dict[str, Any]]:
    steps = {
        "type": "Container",
        "grow": 1,
        "shrink": 1,
        "paddingLeft": "@gap",
        "items": [
            _text("${payload.labels.steps}", "@smallSize", color=_MUTED),
            {
                "type": "Container",
                "data": "${payload.exercise.steps}",
                "items": [_text("${index + 1}. ${data}", "@bodySize", spacing="6dp")],
            },
        ],
    }
    illustration = {
        "type": "VectorGraphic",
        "source": "${payload.exercise.illustration}",
        "width": "@artWidth",
        "height": "@artHeight",
        "scale": "best-fit",
        "align": "center",
    }
    today = [
        _text("${payload.labels.today}", "@smallSize", color=_MUTED, spacing="@gap"),
        {
            "type": "Container",
            "data": "${payload.today}",
            "items": [
                {
                    "type": "Container",
                    "direction": "row",
                    "spacing": "4dp",
                    "items": [
                        _text(
                            "${data.name}",
                            "@bodySize",
                            grow=1,
                            shrink=1,
                            color="${data.color}",
                            fontWeight="${data.weight}",
                        ),
                        _text(
                            "${data.sets}",
                            "@bodySize",
                            color="${data.color}",
                            fontWeight="${data.weight}",
                            paddingLeft="@gap",
                        ),
                    ],
                }
            ],
        },
    ]
    return [
        _text("${payload.skillName}", "@smallSize", color=_MUTED),
        _text("${payload.exercise.name}", "@titleSize", fontWeight="bold", maxLines=2),
        _text("${payload.exercise.counter}", "@counterSize", color=_ACCENT),
        {
            "type": "Container",
            "data": "${payload.exercise.holds}",
            "items": [_text("${data}", "@bodySize")],
        },
        {
            # Steps and today's list may not fit a small screen: they scroll, the rest stays.
            "type": "ScrollView",
            "grow": 1,
            "shrink": 1,
            "spacing": "@gap",
            "item": {
                "type": "Container",
                "items": [
                    {
                        "type": "Container",
                        "direction": "@bodyDirection",
                        "items": [illustration, steps],
                    },
                    *today,
                ],
            },
        },
        {
            "type": "Container",
            "direction": "row",
            "justifyContent": "center",
            "spacing": "@gap",
            "items": [_button(action) for action in BUTTON_ACTIONS],
        },
    ]


def _build_document() -> dict[str, Any]:
    return {
        "type": "APL",
        "version": APL_VERSION,
        "theme": "dark",
        "resources": _RESOURCES,
        "styles": _STYLES,
        "graphics": _graphics(),
        "mainTemplate": {
            "parameters": ["payload"],
            "items": [
                {
                    "type": "Container",
                    "width": "100vw",
                    "height": "100vh",
                    "backgroundColor": _BACKGROUND,
                    "paddingLeft": "@padX",
                    "paddingRight": "@padX",
                    "paddingTop": "@padY",
                    "paddingBottom": "@padY",
                    "items": _main_items(),
                }
            ],
        },
    }


# Built once at import; each directive gets a copy so no caller can alter the next one's.
_DOCUMENT: dict[str, Any] = _build_document()


# --- The per-reply data. ---------------------------------------------------------------------


def _counter(view: ScreenView, strings: Strings) -> str:
    if view.first_rep == view.last_rep:
        text = strings.text("screen.rep_of", n=view.first_rep, total=view.total_reps)
    else:
        text = strings.text(
            "screen.reps_of", first=view.first_rep, last=view.last_rep, total=view.total_reps
        )
    if view.side:
        text += _SIDE_SEPARATOR + strings.side(view.exercise_id, view.side)
    return text


def _holds(exercise: Exercise, strings: Strings) -> list[str]:
    """The hold line, as a list of zero or one so the document shows nothing when there is none."""
    if exercise.hold_amount <= 0:
        return []
    if exercise.hold_kind is HoldKind.COUNT:
        return [strings.text("screen.hold_count", count=exercise.hold_amount)]
    return [strings.text("screen.hold_seconds", seconds=exercise.hold_amount)]


def _today_row(exercise: Exercise, view: ScreenView, strings: Strings) -> dict[str, str]:
    done = view.done_today.get(exercise.id, 0)
    if exercise.id == view.exercise_id:
        color, weight = _ACCENT, "bold"
    else:
        color, weight = (_DONE if done >= view.goal else _INK), "normal"
    return {
        "name": strings.exercise_title(exercise.id),
        "sets": strings.text("screen.sets_of", done=done, goal=view.goal),
        "color": color,
        "weight": weight,
    }


def _payload(view: ScreenView, strings: Strings) -> dict[str, Any]:
    exercise = get_exercise(view.exercise_id)
    return {
        "skillName": strings.text("skill_name"),
        "labels": {
            "next": strings.text("screen.next"),
            "pause": strings.text("screen.pause"),
            "repeat": strings.text("screen.repeat"),
            "steps": strings.text("screen.steps_heading"),
            "today": strings.text("screen.today_heading"),
        },
        "exercise": {
            "name": strings.exercise_title(exercise.id),
            "illustration": exercise.id,
            "counter": _counter(view, strings),
            "holds": _holds(exercise, strings),
            "steps": list(strings.exercise(exercise.id, "steps")),
        },
        "today": [_today_row(e, view, strings) for e in EXERCISES],
    }


def avg_graphic(exercise_id: str) -> dict[str, Any]:
    """The exercise's drawing as the document has it: an AVG object (a 100 x 100 viewport).

    A copy, so the caller may change it. The skill's icons are made from these
    (``skill/icons.py``). Raises ``KeyError`` for an id without a drawing.
    """
    return copy.deepcopy(_DOCUMENT["graphics"][exercise_id])


def render_directive(view: ScreenView, strings: Strings) -> dict[str, Any]:
    """The ``Alexa.Presentation.APL.RenderDocument`` directive for ``view``, as a JSON-able dict.

    Raises ``KeyError`` for an unknown exercise id.
    """
    return {
        "type": _DIRECTIVE_TYPE,
        "token": TOKEN,
        "document": copy.deepcopy(_DOCUMENT),
        "datasources": {"payload": _payload(view, strings)},
    }


def apl_version_tuple(version: object) -> tuple[int, ...] | None:
    """An APL version string as a comparable tuple (``"2023.3"`` -> ``(2023, 3)``), else ``None``.

    APL numbers its versions ``1.0`` ... ``1.9``, then ``2022.1`` onwards, so comparing the
    tuples orders them. Anything that is not dot-separated decimal numbers (``None``, ``""``,
    ``"latest"``, ``"2023.x"``, a number) is ``None``.
    """
    if not isinstance(version, str):
        return None
    parts = version.strip().split(".")
    if not all(part.isdecimal() and len(part) <= 6 for part in parts):
        return None
    return tuple(int(part) for part in parts)


def device_renders(max_version: object) -> bool:
    """Whether a device whose APL runtime declares ``max_version`` renders this document.

    ``max_version`` is the request's
    ``context.System.device.supportedInterfaces["Alexa.Presentation.APL"].runtime.maxVersion``.
    Amazon's AVS reference for the ``Alexa.Presentation.APL`` interface: a skill may send "any
    APL document declaring a version of APL up to the maxVersion", and should not send a
    document that needs a later one. So the document (which declares :data:`APL_VERSION`) goes
    only to a device that declares that version or a later one; a device that declares none, or
    one that cannot be read, gets no screen (the speech and the cards are the same without it).
    """
    declared = apl_version_tuple(max_version)
    return declared is not None and declared >= _APL_VERSION_TUPLE


def user_event_action(arguments: Sequence[Any] | None) -> str | None:
    """The button's action ("next"/"pause"/"repeat") from a UserEvent's arguments, else ``None``.

    Only a list-like whose first item is one of :data:`BUTTON_ACTIONS` counts; the arguments come
    from the device, so anything else (``None``, empty, a number, a bare string such as
    ``"next"``) is ``None``. Items after the first are ignored.
    """
    if arguments is None or isinstance(arguments, (str, bytes)):
        return None
    if not isinstance(arguments, Sequence) or not arguments:
        return None
    action = arguments[0]
    return action if isinstance(action, str) and action in BUTTON_ACTIONS else None
