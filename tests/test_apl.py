"""The Echo Show screen: what a user sees and touches, in every shipped language."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.apl import (
    APL_INTERFACE,
    BUTTON_ACTIONS,
    TOKEN,
    ScreenView,
    render_directive,
    user_event_action,
)
from skill.content import EXERCISE_IDS, EXERCISES, get_exercise
from skill.locales import available_languages, strings_for

RENDER_DOCUMENT = (
    "ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive."
    "RenderDocumentDirective"
)
SIZE_LIMIT = 12_000  # bytes for the whole directive; Alexa allows 24 KB for the whole response
LANGUAGES = available_languages()
DONE = {"toe_grips": 3, "tiptoe_walking": 1}  # the others: none yet
GOAL = 3


def view(exercise_id: str, first: int = 2, last: int = 2, side: str | None = None) -> ScreenView:
    exercise = get_exercise(exercise_id)
    return ScreenView(
        exercise_id,
        first_rep=first,
        last_rep=last,
        total_reps=exercise.reps,
        side=side,
        done_today=DONE,
        goal=GOAL,
    )


def every_view() -> Iterator[ScreenView]:
    """Each exercise on each side it has, with a single rep and with a range of reps."""
    for exercise in EXERCISES:
        for side in exercise.sides or (None,):
            yield view(exercise.id, 1, 1, side)
            yield view(exercise.id, 1, exercise.reps, side)


# --- A tiny APL data-binding resolver: plain paths only. ----------------------------------

EXPRESSION = re.compile(r"\$\{([^}]*)\}")
PLAIN_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
INDEX_PLUS = re.compile(r"index\s*\+\s*(\d+)")
BOUND_ROOTS = {"payload", "data"}


class Unresolved(AssertionError):
    pass


def lookup(path: str, scope: dict[str, Any]) -> Any:
    node: Any = scope
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise Unresolved(f"${{{path}}} points at nothing")
        node = node[part]
    return node


def evaluate(expression: str, scope: dict[str, Any]) -> Any:
    """The value of one ``${...}``; the device's own values (viewport, state) stay unresolved."""
    expression = expression.strip()
    if PLAIN_PATH.fullmatch(expression) and expression.split(".")[0] in BOUND_ROOTS:
        return lookup(expression, scope)
    if expression == "index" or INDEX_PLUS.fullmatch(expression):
        if "index" not in scope:
            raise Unresolved(f"${{{expression}}} outside a data-bound container")
        match = INDEX_PLUS.fullmatch(expression)
        return scope["index"] + (int(match.group(1)) if match else 0)
    names = set(re.findall(r"[A-Za-z_]\w*", expression))
    if names & BOUND_ROOTS:
        raise Unresolved(f"${{{expression}}}: bind the datasource with plain paths only")
    return None  # viewport, state: decided on the device


def render_string(text: str, scope: dict[str, Any]) -> Any:
    whole = EXPRESSION.fullmatch(text)
    if whole:
        value = evaluate(whole.group(1), scope)
        return text if value is None else value  # keeps lists and the like whole

    def substitute(match: re.Match) -> str:
        value = evaluate(match.group(1), scope)
        return match.group(0) if value is None else str(value)

    return EXPRESSION.sub(substitute, text)


def render(node: Any, scope: dict[str, Any]) -> Any:
    """The template with every datasource binding filled in; data-bound containers expanded."""
    if isinstance(node, str):
        return render_string(node, scope)
    if isinstance(node, list):
        return [render(item, scope) for item in node]
    if not isinstance(node, dict):
        return node
    if "data" in node and "type" in node:
        rows = render(node["data"], scope)
        assert isinstance(rows, list), f"{node['data']} is not a list"
        template = node.get("items") or [node["item"]]
        children = [
            render(child, {**scope, "data": row, "index": i})
            for i, row in enumerate(rows)
            for child in template
        ]
        rest = {k: render(v, scope) for k, v in node.items() if k not in ("data", "item", "items")}
        return {**rest, "items": children}
    return {key: render(value, scope) for key, value in node.items()}


def components(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from components(item)
    elif isinstance(node, dict):
        if "type" in node:
            yield node
        for key in ("item", "items"):
            if key in node:
                yield from components(node[key])


def screen(directive: dict[str, Any]) -> list[dict[str, Any]]:
    """The rendered components, as the device would lay them out (before viewport choices)."""
    document = directive["document"]
    (parameter,) = document["mainTemplate"]["parameters"]
    scope = {parameter: directive["datasources"][parameter]}
    return list(components(render(document["mainTemplate"]["items"], scope)))


def texts(directive: dict[str, Any]) -> list[str]:
    return [c["text"] for c in screen(directive) if c["type"] == "Text"]


def buttons(directive: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in screen(directive) if c["type"] == "TouchWrapper"]


def rows_of_today(directive: dict[str, Any]) -> list[list[str]]:
    """Each horizontal row of two texts: an exercise's name and its sets."""
    return [
        [t["text"] for t in c["items"]]
        for c in screen(directive)
        if c["type"] == "Container"
        and c.get("direction") == "row"
        and [t["type"] for t in c.get("items", [])] == ["Text", "Text"]
    ]


def directive_for(language: str, v: ScreenView) -> dict[str, Any]:
    return render_directive(v, strings_for(language))


# --- The directive as Alexa receives it. ----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_directive_round_trips_through_the_sdk_model(language, exercise_id):
    directive = directive_for(language, view(exercise_id))
    serializer = DefaultSerializer()
    model = serializer.deserialize(json.dumps(directive), RENDER_DOCUMENT)

    assert model.object_type == "Alexa.Presentation.APL.RenderDocument"
    assert model.token == TOKEN
    assert model.document == directive["document"]
    assert model.datasources == directive["datasources"]
    assert serializer.serialize(model) == directive


def test_interface_name_is_the_one_devices_report():
    assert APL_INTERFACE == "Alexa.Presentation.APL"


def test_directive_is_small_and_has_no_hosted_content():
    sizes = {}
    for language in LANGUAGES:
        for v in every_view():
            serialized = json.dumps(directive_for(language, v))
            assert "http" not in serialized.lower()
            sizes[language, v.exercise_id] = len(serialized.encode("utf-8"))
    assert max(sizes.values()) < SIZE_LIMIT, max(sizes.items(), key=lambda kv: kv[1])


def test_document_is_the_same_for_every_reply(strings):
    first = render_directive(view("toe_grips"), strings)
    second = render_directive(view("pencil_pickup", 1, 5, "right"), strings)
    assert first["document"] == second["document"]
    first["document"]["mainTemplate"]["items"].clear()  # a caller's change stays its own
    assert render_directive(view("toe_grips"), strings)["document"] == second["document"]


# --- What the screen shows. -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_binding_resolves(language):
    for v in every_view():
        shown = texts(directive_for(language, v))  # raises Unresolved on a dangling ${...}
        assert all(text.strip() for text in shown), "a blank line on the screen"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_screen_shows_name_steps_and_today(language, exercise_id):
    strings = strings_for(language)
    directive = directive_for(language, view(exercise_id))
    shown = texts(directive)

    name = strings.exercise_name(exercise_id)
    assert any(t.casefold() == name.casefold() for t in shown), name
    for number, step in enumerate(strings.exercise(exercise_id, "steps"), start=1):
        assert f"{number}. {step}" in shown
    assert strings.text("screen.steps_heading") in shown
    assert strings.text("screen.today_heading") in shown

    rows = rows_of_today(directive)
    assert len(rows) == len(EXERCISES)
    for (row_name, sets), exercise in zip(rows, EXERCISES, strict=True):
        assert row_name.casefold() == strings.exercise_name(exercise.id).casefold()
        assert sets == strings.text("screen.sets_of", done=DONE.get(exercise.id, 0), goal=GOAL)


def test_today_in_english(strings):
    rows = rows_of_today(render_directive(view("ankle_circles"), strings))
    assert rows == [
        ["Toe grips", "3 of 3"],
        ["Tiptoe walking", "1 of 3"],
        ["Ankle circles", "0 of 3"],
        ["Band foot pulls", "0 of 3"],
        ["Pencil pick-up", "0 of 3"],
    ]


def test_current_exercise_stands_out_in_today(strings):
    rows = [
        c
        for c in screen(render_directive(view("band_foot_pulls"), strings))
        if c["type"] == "Container" and c.get("direction") == "row" and len(c.get("items", [])) == 2
    ]
    colours = {row["items"][0]["text"]: row["items"][0]["color"] for row in rows}
    assert len(set(colours.values())) == 3  # this one, finished ones, the rest
    assert colours["Band foot pulls"] not in (colours["Toe grips"], colours["Ankle circles"])
    assert colours["Toe grips"] != colours["Ankle circles"]


@pytest.mark.parametrize(
    ("v", "counter", "hold"),
    [
        (view("toe_grips", 4, 4), "Rep 4 of 10", "Hold for a count of 3"),
        (view("toe_grips", 1, 6), "Reps 1 to 6 of 10", "Hold for a count of 3"),
        (view("tiptoe_walking", 2, 3), "Reps 2 to 3 of 5", "Hold 20 s"),
        (view("ankle_circles", 1, 1, "right"), "Rep 1 of 1 · right leg", "Hold for a count of 10"),
        (view("band_foot_pulls", 3, 10, "left"), "Reps 3 to 10 of 10 · left foot", "Hold 5 s"),
        (view("pencil_pickup", 5, 5, "left"), "Rep 5 of 5 · left foot", "Hold 10 s"),
    ],
)
def test_counter_and_hold_in_english(strings, v, counter, hold):
    shown = texts(render_directive(v, strings))
    assert counter in shown
    assert hold in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_counter_in_every_language(language):
    strings = strings_for(language)
    shown = texts(directive_for(language, view("band_foot_pulls", 2, 7, "right")))
    expected = (
        strings.text("screen.reps_of", first=2, last=7, total=10)
        + " · "
        + strings.side("band_foot_pulls", "right")
    )
    assert expected in shown
    assert strings.text("screen.hold_seconds", seconds=5) in shown


def test_no_hold_line_when_an_exercise_has_no_hold(strings, monkeypatch):
    import skill.apl as apl
    from skill.records import replace

    no_hold = replace(get_exercise("toe_grips"), hold_amount=0)
    monkeypatch.setattr(apl, "get_exercise", lambda exercise_id: no_hold)
    shown = texts(render_directive(view("toe_grips"), strings))
    assert "Rep 2 of 10" in shown
    assert not any(t.startswith("Hold") for t in shown)
    assert all(text.strip() for text in shown), "a blank line where the hold was"


# --- The drawings. ---------------------------------------------------------------------------


def test_every_exercise_has_its_own_drawing(strings):
    drawings = []
    for exercise_id in EXERCISE_IDS:
        directive = render_directive(view(exercise_id), strings)
        graphics = directive["document"]["graphics"]
        sources = [c["source"] for c in screen(directive) if c["type"] == "VectorGraphic"]
        assert sources, "no drawing on the screen"
        for source in sources:
            assert source in graphics, source
            assert graphics[source]["type"] == "AVG"
            assert graphics[source]["items"], f"{source} draws nothing"
        drawings.append(json.dumps(graphics[sources[0]], sort_keys=True))
    assert len(set(drawings)) == len(EXERCISE_IDS)


# --- Buttons and the events they send. ------------------------------------------------------


def test_three_buttons_send_next_pause_and_repeat(strings):
    pressed = []
    for button in buttons(render_directive(view("toe_grips"), strings)):
        commands = button["onPress"]
        commands = commands if isinstance(commands, list) else [commands]
        (command,) = commands
        assert command["type"] == "SendEvent"
        pressed.append(command["arguments"])
    assert pressed == [["next"], ["pause"], ["repeat"]]
    assert BUTTON_ACTIONS == ("next", "pause", "repeat")


@pytest.mark.parametrize("language", LANGUAGES)
def test_buttons_are_labelled_in_the_language(language):
    strings = strings_for(language)
    for button in buttons(directive_for(language, view("toe_grips"))):
        action = button["onPress"][0]["arguments"][0]
        label = strings.text(f"screen.{action}")
        assert [t["text"] for t in components(button) if t["type"] == "Text"] == [label]
        assert button["accessibilityLabel"] == label


def test_button_events_map_back_to_actions(strings):
    for button in buttons(render_directive(view("toe_grips"), strings)):
        arguments = button["onPress"][0]["arguments"]
        assert user_event_action(arguments) == arguments[0]
    assert user_event_action(("pause",)) == "pause"
    assert user_event_action(["repeat", "extra"]) == "repeat"


@pytest.mark.parametrize(
    "junk",
    [
        None,
        [],
        (),
        [5],
        [None],
        ["rm -rf"],
        ["NEXT"],
        [["next"]],
        [{"next": 1}],
        "next",  # a bare string is not what the buttons send: rejected
        b"next",
        5,
        {"0": "next"},
    ],
)
def test_user_event_junk_is_ignored(junk):
    assert user_event_action(junk) is None


# --- The document's own references. ---------------------------------------------------------


def test_every_resource_and_style_used_is_defined(strings):
    document = render_directive(view("toe_grips"), strings)["document"]
    defined = set()
    for block in document["resources"]:
        for kind in ("dimensions", "strings", "colors", "numbers"):
            defined |= set(block.get(kind, {}))
    template = json.dumps(document["mainTemplate"]) + json.dumps(document["styles"])
    used = set(re.findall(r'"@(\w+)"', template))
    assert used and used <= defined, used - defined
    styles = {c["style"] for c in components(document["mainTemplate"]["items"]) if "style" in c}
    assert styles and styles <= set(document["styles"])
