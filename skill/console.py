"""The local console: resolve typed utterances against the interaction model, build genuine
Alexa request envelopes, run them through the Lambda entry point, and print the replies.

The resolver reads ``interaction_model/interactionModels/custom/<locale>.json``: sample
utterances become patterns, ``{slot}`` parts capture words, and custom slot values resolve to
their ids through names and synonyms (``ER_SUCCESS_MATCH``) as Alexa does. Built-in intents have
no samples in the model (Alexa knows their phrases), so their phrases come from the locale file.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO, TypeAlias

from .clock import utc_now
from .locales import strings_for
from .ssml import split_on_breaks, to_plain_text, unwrap

if TYPE_CHECKING:  # the audio module loads only when a chat speaks or records
    from .audio import AudioOutput, RepTracker

__all__ = ["Console", "Resolution", "Resolver", "default_model_dir", "local_zone_name"]

# A JSON object: a request or response envelope, a slot, an interaction model.
Json: TypeAlias = dict[str, Any]

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}


def default_model_dir() -> Path:
    """``interaction_model/`` beside the package (the repository layout)."""
    return Path(__file__).resolve().parent.parent / "interaction_model"


def local_zone_name() -> str:
    """The machine's IANA time zone, from ``TZ`` or ``/etc/localtime``; UTC if unknown."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            return target.split(marker, 1)[1]
    except OSError:
        pass
    return "UTC"


def normalize(text: str) -> str:
    """Lower case, apostrophes kept, other punctuation dropped, spaces collapsed."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Resolution:
    """What an utterance means: a launch, an intent with slots, or nothing (fallback)."""

    kind: str  # "launch", "intent"
    intent: str | None = None
    slots: dict[str, Json] = field(default_factory=dict)
    new_session: bool = False


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    slot_names: tuple[str, ...]
    literal_chars: int


class Resolver:
    """Maps utterances to intents and slots the way the interaction model declares them."""

    def __init__(
        self,
        model: Json,
        builtin_phrases: dict[str, list[str]],
        launch_phrases: Iterable[str],
        one_shot_prefixes: Iterable[str],
    ):
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.slot_types: dict[tuple[str, str], str] = {}
        self.patterns: list[_Pattern] = []
        for intent in language["intents"]:
            for slot in intent.get("slots", []):
                self.slot_types[(intent["name"], slot["name"])] = slot["type"]
            for sample in intent.get("samples", []):
                self.patterns.append(self._compile(intent["name"], sample))
        for intent_name, phrases in builtin_phrases.items():
            for phrase in phrases:
                self.patterns.append(self._compile(intent_name, phrase))
        # Most literal first: "how do i do this one" beats "how do i do {exercise}".
        self.patterns.sort(key=lambda p: (-p.literal_chars, len(p.slot_names)))
        self.values: dict[str, list[tuple[str, str, str]]] = {}
        for slot_type in language.get("types", []):
            entries = []
            for value in slot_type["values"]:
                name = value["name"]
                for synonym in [name["value"], *name.get("synonyms", [])]:
                    entries.append(
                        (normalize(synonym), value.get("id") or name["value"], name["value"])
                    )
            self.values[slot_type["name"]] = entries
        self.launch = [normalize(p.format(invocation=self.invocation)) for p in launch_phrases]
        self.one_shot = sorted(
            (normalize(p.format(invocation=self.invocation)) for p in one_shot_prefixes),
            key=len,
            reverse=True,
        )

    @classmethod
    def for_locale(cls, locale: str, model_dir: Path | None = None) -> Resolver:
        model_dir = model_dir or default_model_dir()
        path = model_dir / "interactionModels" / "custom" / f"{locale}.json"
        model = json.loads(path.read_text(encoding="utf-8"))
        strings = strings_for(locale)
        return cls(
            model,
            strings.raw("console_builtin_utterances"),
            strings.raw("console_launch_phrases"),
            strings.raw("console_one_shot_prefixes"),
        )

    @staticmethod
    def _compile(intent: str, sample: str) -> _Pattern:
        parts = re.split(r"(\{\w+\})", normalize_sample(sample))
        regex, names, literal = "", [], 0
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                names.append(part[1:-1])
                regex += f"(?P<{part[1:-1]}>.+?)"
            else:
                regex += re.escape(part)
                literal += len(part.strip())
        return _Pattern(intent, re.compile(f"^{regex}$"), tuple(names), literal)

    def resolve(self, utterance: str) -> Resolution | None:
        """A launch, an intent (``new_session`` for one-shots), or ``None`` for no match."""
        text = normalize(utterance)
        if text.startswith("alexa "):
            text = text[len("alexa ") :]
        if text in self.launch:
            return Resolution("launch", new_session=True)
        for prefix in self.one_shot:
            if text.startswith(prefix + " "):
                found = self._intent(text[len(prefix) + 1 :])
                return (
                    Resolution("intent", found.intent, found.slots, new_session=True)
                    if found
                    else Resolution("launch", new_session=True)
                )
        return self._intent(text)

    def _intent(self, text: str) -> Resolution | None:
        fallback_with_slots: Resolution | None = None
        for pattern in self.patterns:
            match = pattern.regex.match(text)
            if not match:
                continue
            slots = {
                name: self._slot(pattern.intent, name, match.group(name))
                for name in pattern.slot_names
            }
            if any(s.get("value") == "?" for s in slots.values()):
                continue  # a number slot only captures numbers, as on Alexa
            unresolved = any(_status(s) == "ER_SUCCESS_NO_MATCH" for s in slots.values())
            if not unresolved:
                return Resolution("intent", pattern.intent, slots)
            if pattern.literal_chars and fallback_with_slots is None:
                # "start jumping jacks": the intent is clear, the value unknown. A bare
                # "{exercise}" sample never claims unknown words; that is the fallback's job.
                fallback_with_slots = Resolution("intent", pattern.intent, slots)
        return fallback_with_slots

    def _slot(self, intent: str, name: str, raw: str) -> Json:
        slot_type = self.slot_types.get((intent, name), "")
        slot: dict[str, Any] = {"name": name, "value": raw, "confirmationStatus": "NONE"}
        if slot_type == "AMAZON.NUMBER":
            slot["value"] = (
                str(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else (raw if raw.isdigit() else "?")
            )
            return slot
        entries = self.values.get(slot_type)
        if entries is None:
            return slot
        authority = f"amzn1.er-authority.echo-sdk.console.{slot_type}"
        for synonym, value_id, value_name in entries:
            if raw == synonym:
                slot["resolutions"] = {
                    "resolutionsPerAuthority": [
                        {
                            "authority": authority,
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": value_name, "id": value_id}}],
                        }
                    ]
                }
                return slot
        slot["resolutions"] = {
            "resolutionsPerAuthority": [
                {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
            ]
        }
        return slot


def normalize_sample(sample: str) -> str:
    """Normalise a sample but keep its ``{slot}`` markers."""
    pieces = re.split(r"(\{\w+\})", sample)
    return " ".join(
        " ".join(normalize(p).split()) if not p.startswith("{") else p for p in pieces if p.strip()
    )


def _status(slot: Json) -> str | None:
    for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
        code: str = authority["status"]["code"]
        return code
    return None


# What the Lambda entry point is (skill.entry.make_handler): event and context in, response out.
Handler = Callable[[Json, Any], Json]


class Console:
    """A conversation with the skill, one utterance at a time, as a device would hold it."""

    def __init__(
        self,
        handler: Handler,
        resolver: Resolver,
        user_id: str,
        locale: str = "en-US",
        application_id: str = "amzn1.ask.skill.console",
        clock: Callable[[], datetime] | None = None,
        *,
        screen: bool = False,
        api_endpoint: str | None = None,
        api_token: str | None = None,
    ):
        self.handler = handler
        # A device with a screen says it supports APL; an API endpoint and token (a local
        # fake of Alexa's APIs in tests) let the skill read the time zone and set reminders.
        self.screen = screen
        self.api_endpoint = api_endpoint
        self.api_token = api_token
        self.resolver = resolver
        self.user_id = user_id
        self.locale = locale
        self.application_id = application_id
        self.clock = clock or utc_now
        self.device_id = "amzn1.ask.device.console"
        self.session: Json | None = None
        self.last_response: Json | None = None

    @property
    def in_session(self) -> bool:
        return self.session is not None

    def envelope(self, request: Json, new_session: bool) -> Json:
        if new_session or self.session is None:
            self.session = {
                "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
                "attributes": {},
                "new": True,
            }
        else:
            self.session["new"] = False
        application = {"applicationId": self.application_id}
        user = {"userId": self.user_id}
        stamp = self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        request = {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": stamp,
            "locale": self.locale,
            **request,
        }
        interfaces = (
            {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}} if self.screen else {}
        )
        system: Json = {
            "application": application,
            "user": user,
            "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
        }
        if self.api_endpoint and self.api_token:
            system.update(apiEndpoint=self.api_endpoint, apiAccessToken=self.api_token)
        return {
            "version": "1.0",
            "session": {
                "new": self.session["new"],
                "sessionId": self.session["sessionId"],
                "application": application,
                "user": user,
                "attributes": self.session["attributes"],
            },
            "context": {"System": system},
            "request": request,
        }

    def send(self, request: Json, new_session: bool = False) -> Json:
        envelope = self.envelope(request, new_session)
        response = self.handler(envelope, None)
        self.last_response = response
        body = response.get("response", {})
        if request["type"] == "SessionEndedRequest" or body.get("shouldEndSession", True):
            self.session = None
        else:
            assert self.session is not None
            self.session["attributes"] = response.get("sessionAttributes") or {}
        return response

    def say(self, utterance: str) -> Json:
        """Send what the user said; return the skill's response envelope."""
        resolution = self.resolver.resolve(utterance)
        if resolution is None:
            resolution = Resolution("intent", "AMAZON.FallbackIntent")
        if resolution.kind == "launch":
            if self.session is not None:
                self.end_session("USER_INITIATED")
            return self.send({"type": "LaunchRequest"}, new_session=True)
        new = resolution.new_session or self.session is None
        if new and self.session is not None:
            self.end_session("USER_INITIATED")
        intent = {
            "name": resolution.intent,
            "confirmationStatus": "NONE",
            "slots": resolution.slots,
        }
        return self.send(
            {"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent}, new_session=new
        )

    def end_session(self, reason: str = "USER_INITIATED") -> None:
        """Tell the skill the session is over (what Alexa does when the user walks away)."""
        if self.session is not None:
            self.send({"type": "SessionEndedRequest", "reason": reason})

    @staticmethod
    def speech_of(response: Json) -> str:
        speech = response.get("response", {}).get("outputSpeech") or {}
        text: str = speech.get("ssml") or speech.get("text") or ""
        return text


@dataclass(frozen=True)
class _Timer:
    """Deadlines on a clock; without one, time is what has been slept (for fake sleeps)."""

    sleep: Callable[[float], None]
    clock: Callable[[], float] | None = None
    _slept: list[float] = field(default_factory=lambda: [0.0])

    def now(self) -> float:
        return self.clock() if self.clock else self._slept[0]

    def sleep_until(self, deadline: float) -> None:
        wait = deadline - self.now()
        if wait > 0:
            self.sleep(wait)
            if not self.clock:
                self._slept[0] = deadline


BAR_WIDTH = 24
FRAME_SECONDS = 0.25  # the countdown bar redraws four times a second


class TimedPiece(Protocol):
    """A piece of a reply as it plays: its text, then its speech and its pause in seconds."""

    @property
    def text(self) -> str: ...

    @property
    def speech_seconds(self) -> float: ...

    @property
    def pause_seconds(self) -> float: ...


def print_reply(
    ssml: str,
    out: TextIO,
    realtime: bool,
    sleep: Callable[[float], None] = time.sleep,
    *,
    timeline: Iterable[TimedPiece] | None = None,
    tracker: RepTracker | None = None,
    clock: Callable[[], float] | None = None,
    start: float | None = None,
) -> None:
    """Print a reply with pauses as ``[N s]``; in real time, wait the pauses out instead.

    In real time on a terminal each pause shows a live countdown bar with the seconds left and
    the rep ("rep 3 of 10, left foot", from ``tracker``); otherwise the pause prints as
    ``[N s]`` and is waited out. ``timeline`` (pieces with ``text``, ``speech_seconds`` and
    ``pause_seconds``, as :class:`skill.audio.Rendering` has them) keeps the screen in step with
    audio playing in the background: each piece's text shows as its speech starts, and its
    pause counts down once the speech has ended. Deadlines are measured from the start on
    ``clock`` (``time.monotonic`` when audio plays; ``start`` is when the audio began), so
    waits never add up to drift.
    """
    if not realtime:
        out.write(f"Alexa: {to_plain_text(ssml)}\n")
        out.flush()
        return
    if timeline is None:
        timeline = [_Untimed(text, seconds) for text, seconds in split_on_breaks(unwrap(ssml))]
    if tracker is None:
        from .audio import RepTracker

        tracker = RepTracker(strings_for(None))
    timer = _Timer(sleep, clock)
    offset = timer.now() if start is None else start
    out.write("Alexa:")
    for piece in timeline:
        if piece.text:
            out.write(f" {piece.text}")
            tracker.heard(piece.text)
        out.flush()
        offset += piece.speech_seconds
        timer.sleep_until(offset)  # the piece is being spoken
        if piece.pause_seconds:
            offset += piece.pause_seconds
            _countdown(
                piece.pause_seconds, out, sleep, label=tracker.label(), timer=timer, deadline=offset
            )
    out.write("\n")
    out.flush()


@dataclass(frozen=True)
class _Untimed:
    text: str
    pause_seconds: float
    speech_seconds: float = 0.0


def _countdown(
    seconds: float,
    out: TextIO,
    sleep: Callable[[float], None],
    label: str = "",
    timer: _Timer | None = None,
    deadline: float | None = None,
) -> None:
    """Wait out a pause; on a terminal, draw a bar with the seconds left and the rep.

    The bar has a line of its own, redrawn in place with ``\\r``; when the pause is over it
    becomes ``[N s]`` and the speech that follows carries on after it.
    """
    timer = timer or _Timer(sleep)
    end = timer.now() + seconds if deadline is None else deadline
    if not out.isatty():
        out.write(f" [{seconds:g} s]")
        out.flush()
        timer.sleep_until(end)
        return
    out.write("\n")
    while (remaining := end - timer.now()) > 1e-9:
        out.write("\r" + _bar(seconds, remaining, label) + "\x1b[K")
        out.flush()
        frames_left = _ceil(remaining / FRAME_SECONDS)
        timer.sleep_until(end - (frames_left - 1) * FRAME_SECONDS)
    out.write(f"\r\x1b[K  [{seconds:g} s]")
    out.flush()


def _ceil(value: float) -> int:
    """The whole number at or above ``value``, forgiving float dust (3.0000000001 is 3)."""
    return int(-(-(value - 1e-9) // 1))


def _bar(total: float, remaining: float, label: str) -> str:
    done = round(BAR_WIDTH * (1 - remaining / total)) if total > 0 else BAR_WIDTH
    left = _ceil(remaining)
    text = f"  [{'#' * done}{'.' * (BAR_WIDTH - done)}] {left:>3d} s left"
    return f"{text}  {label}" if label else text


def chat(
    console: Console,
    lines: Iterable[str],
    out: TextIO = sys.stdout,
    realtime: bool = False,
    prompt: bool = False,
    audio: AudioOutput | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run a conversation from lines of text until they run out.

    With ``audio`` (a :class:`skill.audio.AudioOutput`) each reply is rendered, recorded and
    played as it asks. Playback runs in the background while the text and countdown follow
    the rendering's timeline on ``time.monotonic``: the pauses heard are the ones in the file,
    to the frame, and the screen cannot drift from them.
    """
    from .audio import RepTracker

    tracker = RepTracker(strings_for(console.locale))
    iterator = iter(lines)
    try:
        while True:
            if prompt:
                out.write("You: ")
                out.flush()
            try:
                line = next(iterator)
            except StopIteration:
                break
            line = line.strip()
            if not line:
                continue
            if not prompt:
                out.write(f"You: {line}\n")
            response = console.say(line)
            ssml = Console.speech_of(response)
            rendering, playback = audio.output(ssml) if audio is not None else (None, None)
            try:
                if rendering is not None and playback is not None and realtime:
                    print_reply(
                        ssml,
                        out,
                        realtime,
                        sleep,
                        timeline=rendering.pieces,
                        tracker=tracker,
                        clock=time.monotonic,
                        start=playback.started,
                    )
                else:
                    print_reply(ssml, out, realtime, sleep, tracker=tracker)
                if audio is not None:
                    audio.finished(playback)  # the rest of the audio, if any, plays out
            except BaseException:  # Ctrl-C: the player we started stops with the chat
                if playback is not None:
                    playback.stop()
                raise
            if not console.in_session:
                out.write("(session ended)\n")
    finally:
        if audio is not None:
            audio.close()
    if console.in_session:
        console.end_session("USER_INITIATED")
