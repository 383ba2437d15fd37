"""skill.records behaves as dataclasses do for what the package uses (issue 18's cold start)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import ClassVar

import pytest

from skill.exceptions import FrozenRecordError
from skill.records import field, record, replace


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    secret: str = field(default="s", repr=False, compare=False)
    KIND: ClassVar[str] = "point"


@dataclasses.dataclass(frozen=True)
class DataPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    secret: str = dataclasses.field(default="s", repr=False, compare=False)
    KIND: ClassVar[str] = "point"


@record
class Basket:
    owner: str
    items: list[str] = field(default_factory=list)
    seen: int = 0

    def __post_init__(self) -> None:
        self.seen += 1


CALLS = [
    ((1,), {}),
    ((1, 2), {}),
    ((), {"x": 3, "tags": ("a",)}),
    ((4,), {"secret": "other", "y": 5}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_frozen_record_matches_a_frozen_dataclass(args, kwargs):
    ours, theirs = Point(*args, **kwargs), DataPoint(*args, **kwargs)
    assert repr(ours) == repr(theirs).replace("DataPoint", "Point")
    assert (ours.x, ours.y, ours.tags, ours.secret) == (
        theirs.x,
        theirs.y,
        theirs.tags,
        theirs.secret,
    )
    for other_args, other_kwargs in CALLS:
        same = Point(*other_args, **other_kwargs) == ours
        assert same == (DataPoint(*other_args, **other_kwargs) == theirs)
        if same:
            assert hash(Point(*other_args, **other_kwargs)) == hash(ours)


def test_fields_left_out_of_compare_do_not_count_and_class_vars_are_not_fields():
    assert Point(1, secret="a") == Point(1, secret="b")
    assert Point.__match_args__ == ("x", "y", "tags", "secret")
    assert Point.KIND == "point"
    with pytest.raises(TypeError):
        Point(1, KIND="line")


def test_another_class_is_never_equal():
    assert Point(1) != DataPoint(1)
    assert Point(1) != (1, 0, (), "s")


def test_frozen_fields_cannot_change():
    point = Point(1)
    with pytest.raises(FrozenRecordError):
        point.x = 2
    with pytest.raises(AttributeError):  # as dataclasses' FrozenInstanceError is
        del point.y
    assert point == Point(1)


def test_replace_copies_with_changes_and_keeps_the_original():
    point = Point(1, 2, ("a",), "key")
    moved = replace(point, y=7)
    assert moved == Point(1, 7, ("a",), "key") and moved.secret == "key"
    assert point.y == 2
    with pytest.raises(TypeError):
        replace(point, z=1)
    with pytest.raises(TypeError):
        replace(DataPoint(1), y=2)


def test_a_mutable_record_gets_fresh_defaults_runs_post_init_and_is_unhashable():
    first, second = Basket("a"), Basket("b")
    first.items.append("band")
    assert second.items == [] and first.seen == 1
    copied = replace(first, owner="c")
    assert (copied.owner, copied.items, copied.seen) == ("c", ["band"], 2)  # post-init again
    with pytest.raises(TypeError):
        hash(first)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), ((1, 2, (), "s", 5), {}), ((1,), {"x": 1}), ((1,), {"z": 2})],
)
def test_wrong_arguments_raise_type_error(args, kwargs):
    with pytest.raises(TypeError):
        Point(*args, **kwargs)


def test_declaring_a_bad_record_fails_as_a_dataclass_would():
    with pytest.raises(ValueError, match="default_factory"):

        @record
        class Shared:
            items: list[str] = []  # noqa: RUF012 - the mistake under test

    with pytest.raises(TypeError):

        @record
        class Order:
            a: int = 0
            b: int

    with pytest.raises(ValueError):
        field(default=1, default_factory=int)


def test_the_first_turns_modules_create_no_dataclass():
    """The point of the module: no class on a cold import of the entry point is compiled."""
    code = (
        "import dataclasses\n"
        "made = []\n"
        "original = dataclasses._process_class\n"
        "def spy(cls, *a, **k):\n"
        "    made.append(cls.__module__ + '.' + cls.__qualname__)\n"
        "    return original(cls, *a, **k)\n"
        "dataclasses._process_class = spy\n"
        "import skill.entry, skill.store.dynamodb\n"
        "print([m for m in made if m.startswith('skill')])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
