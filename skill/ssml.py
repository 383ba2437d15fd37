"""Pure SSML helpers: escaping, pauses chained within Alexa's 10 s break limit, spoken length.

Speech in this package is built as SSML fragments (strings without the ``<speak>`` wrapper) and
wrapped once, at the edge, by :func:`speak`.
"""

from __future__ import annotations

import re

__all__ = [
    "MAX_BREAK_SECONDS",
    "MAX_SPEECH_CHARS",
    "SECONDS_PER_WORD",
    "at_rate",
    "break_seconds",
    "escape",
    "pause",
    "rate_of",
    "speak",
    "split_on_breaks",
    "spoken_seconds",
    "to_plain_text",
    "unwrap",
]

# Alexa rejects a <break> longer than 10 s and output speech of 8,000 characters or more.
MAX_BREAK_SECONDS = 10.0
MAX_SPEECH_CHARS = 8000

# A deliberately slow reading pace (150 words a minute) so estimates err on the long side.
SECONDS_PER_WORD = 0.4

_BREAK_RE = re.compile(r'<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')
_TAG_RE = re.compile(r"<[^>]+>")
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
# Characters XML 1.0 does not allow at all (escaping cannot make them valid SSML).
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def escape(text: str) -> str:
    """Escape text for use inside SSML (``&``, ``<``, ``>``, quotes); characters XML does not
    allow (control characters, lone surrogates) are dropped."""
    # str.translate rather than xml.sax.saxutils, whose import pulls in urllib.request (about
    # 4 ms of every cold start) for five replacements.
    return _NOT_XML_RE.sub("", text).translate(_XML_ESCAPES)


def _format_seconds(seconds: float) -> str:
    millis = round(seconds * 1000)
    if millis % 1000 == 0:
        return f"{millis // 1000}s"
    return f"{millis}ms"


def pause(seconds: float) -> str:
    """Return ``<break>`` tags whose times add up to ``seconds``, none longer than 10 s.

    >>> pause(25)
    '<break time="10s"/><break time="10s"/><break time="5s"/>'
    """
    if seconds < 0:
        raise ValueError("a pause cannot be negative")
    parts = []
    remaining = round(seconds * 1000)
    limit = round(MAX_BREAK_SECONDS * 1000)
    while remaining > 0:
        chunk = min(remaining, limit)
        parts.append(f'<break time="{_format_seconds(chunk / 1000)}"/>')
        remaining -= chunk
    return "".join(parts)


def speak(fragment: str) -> str:
    """Wrap an SSML fragment in ``<speak>``."""
    return f"<speak>{fragment}</speak>"


def unwrap(ssml: str) -> str:
    """Return the fragment inside ``<speak>…</speak>`` (or the text unchanged)."""
    if ssml.startswith("<speak>") and ssml.endswith("</speak>"):
        return ssml[len("<speak>") : -len("</speak>")]
    return ssml


def break_seconds(ssml: str) -> list[float]:
    """Every ``<break>`` of a fragment, in seconds, in order."""
    return [float(v) / (1000 if unit == "ms" else 1) for v, unit in _BREAK_RE.findall(ssml)]


def spoken_seconds(ssml: str) -> float:
    """Estimate how long Alexa takes to say a fragment: words at a slow pace plus every break."""
    words = len(_WORD_RE.findall(to_plain_text(ssml, show_pauses=False)))
    return words * SECONDS_PER_WORD + sum(break_seconds(ssml))


def split_on_breaks(ssml: str) -> list[tuple[str, float]]:
    """Split a fragment into ``(text, pause after it in seconds)`` pairs.

    Consecutive breaks are summed, so a chained 25 s pause is one pair. Text is plain (tags
    stripped, entities decoded). Used by the console to print and to wait out pauses.
    """
    pieces: list[tuple[str, float]] = []
    position = 0
    text_acc = ""
    pause_acc = 0.0
    for match in _BREAK_RE.finditer(ssml):
        text = _plain(ssml[position : match.start()])
        if text.strip():
            if pause_acc or text_acc:
                pieces.append((text_acc, pause_acc))
            text_acc, pause_acc = text, 0.0
        value, unit = match.groups()
        pause_acc += float(value) / (1000 if unit == "ms" else 1)
        position = match.end()
    tail = _plain(ssml[position:])
    if tail.strip():
        if pause_acc or text_acc:
            pieces.append((text_acc, pause_acc))
        text_acc, pause_acc = tail, 0.0
    if text_acc or pause_acc:
        pieces.append((text_acc, pause_acc))
    return [(" ".join(t.split()), p) for t, p in pieces]


def _plain(ssml: str) -> str:
    text = _TAG_RE.sub(" ", ssml)
    return (
        text.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def _format_pause(seconds: float) -> str:
    return f"[{seconds:g} s]"


def to_plain_text(ssml: str, show_pauses: bool = True) -> str:
    """Render SSML as text; with ``show_pauses`` each run of breaks shows as ``[N s]``."""
    out = []
    for text, seconds in split_on_breaks(unwrap(ssml)):
        if text:
            out.append(text)
        if seconds and show_pauses:
            out.append(_format_pause(seconds))
    return " ".join(out)


_RATE_RE = re.compile(r'^<speak><prosody rate="(\d+)%">')


def at_rate(ssml: str, percent: int) -> str:
    """``<speak>…</speak>`` said at ``percent`` of the voice's normal rate; unchanged at 100.

    Alexa's SSML ``prosody`` takes a rate as a percentage of 20% or more ("Speech Synthesis
    Markup Language (SSML) Reference", prosody, https://developer.amazon.com/en-US/docs/alexa/
    custom-skills/speech-synthesis-markup-language-ssml-reference.html); ``<break>`` lengths
    are absolute, so holds and rests keep their seconds at any rate.

    Raises
    ------
    ValueError
        For a rate under 20%.
    """
    if percent < 20:
        raise ValueError("Alexa's prosody rate is 20% or more")
    if percent == 100:
        return ssml
    return speak(f'<prosody rate="{percent}%">{unwrap(ssml)}</prosody>')


def rate_of(ssml: str) -> int:
    """The rate :func:`at_rate` gave ``<speak>…</speak>``, in percent (100 when none)."""
    match = _RATE_RE.match(ssml)
    return int(match.group(1)) if match else 100
