from __future__ import annotations

import pytest

from skill.ssml import (
    break_seconds,
    escape,
    pause,
    speak,
    split_on_breaks,
    spoken_seconds,
    to_plain_text,
)


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (0, []),
        (0.5, [0.5]),
        (3, [3.0]),
        (10, [10.0]),
        (15, [10.0, 5.0]),
        (20, [10.0, 10.0]),
        (25, [10.0, 10.0, 5.0]),
        (12.25, [10.0, 2.25]),
    ],
)
def test_pauses_chain_breaks_of_at_most_ten_seconds(seconds, expected):
    assert break_seconds(pause(seconds)) == expected


def test_negative_pause_is_refused():
    with pytest.raises(ValueError):
        pause(-1)


def test_text_is_escaped_for_ssml():
    assert escape("Tom & Jerry's <toes>") == "Tom &amp; Jerry&apos;s &lt;toes&gt;"


def test_plain_text_shows_summed_pauses():
    fragment = "Hold." + pause(20) + " And rest." + pause(15) + " Again &amp; again."
    assert to_plain_text(speak(fragment)) == "Hold. [20 s] And rest. [15 s] Again & again."
    assert split_on_breaks(fragment) == [
        ("Hold.", 20.0),
        ("And rest.", 15.0),
        ("Again & again.", 0.0),
    ]


def test_spoken_length_counts_words_and_pauses():
    # Two words at 0.4 s plus 12 s of breaks.
    assert spoken_seconds("Hold it." + pause(12)) == pytest.approx(12.8)
