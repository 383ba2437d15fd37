"""The local console: resolve typed utterances against the interaction model, build genuine
Alexa request envelopes, run them through the Lambda entry point, and print the replies.

The resolver reads ``interaction_model/interactionModels/custom/<locale>.json`` and matches the
way an NLU does, not the way a list search does: utterance and samples are first brought to one
form (contractions spelt out, "um", "please", "can you" dropped: :mod:`skill.utterances`); an exact
sample beats a carrier phrase with a slot; a carrier whose slot values are all known (a value or
synonym of a custom type, a number, a time) beats one that captured unknown words; a longer
carrier beats a shorter one; nothing matched is ``AMAZON.FallbackIntent``. Custom slot values
resolve to their ids through names and synonyms (``ER_SUCCESS_MATCH``) as Alexa does. Built-in
intents have phrases Alexa knows without samples; the locale file lists those the console
knows, and the model may extend a built-in with samples of its own.

When the skill's last response carried ``Dialog.ElicitSlot`` for an intent and slot, a reply that
is just a value ("ankle circles", "two") fills that slot of that intent, through the slot's own
samples in the model (``{exercise}``, ``the {exercise} please``) as Alexa does.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO, TypeAlias

from .clock import utc_now
from .locales import strings_for
from .records import field, record
from .ssml import split_on_breaks, to_plain_text, unwrap
from .utterances import canonical, canonical_sample, normalize, spoken_number, spoken_time

if TYPE_CHECKING:  # the audio module loads only when a chat speaks or records
    from .audio import AudioOutput, RepTracker

__all__ = [
    "FALLBACK_INTENT",
    "Console",
    "Elicitation",
    "Match",
    "Resolution",
    "Resolver",
    "default_model_dir",
    "local_zone_name",
]

# A JSON object: a request or response envelope, a slot, an interaction model.
Json: TypeAlias = dict[str, Any]

FALLBACK_INTENT = "AMAZON.FallbackIntent"


def default_model_dir() -> Path:
    """``interaction_model/`` beside the package (the repository layout)."""
    return Path(__file__).resolve().parent.parent / "interaction_model"


def model_locales(model_dir: Path | None = None) -> list[str]:
    """The locales with an interaction model (``interactionModels/custom/<locale>.json``).

    Parameters
    ----------
    model_dir : Path, optional
        A skill package directory (``interaction_model/`` by default).

    Returns
    -------
    list of str
        Sorted, such as ``["de-DE", "en-AU", ...]``.
    """
    models = (model_dir or default_model_dir()) / "interactionModels" / "custom"
    return sorted(path.stem for path in models.glob("*.json"))


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


@record(frozen=True)
class Resolution:
    """What an utterance means: a launch, or an intent with slots (the fallback when unmatched)."""

    kind: str  # "launch", "intent"
    intent: str | None = None
    slots: dict[str, Json] = field(default_factory=dict)
    new_session: bool = False
    elicited: bool = False  # the answer to a Dialog.ElicitSlot


@record(frozen=True)
class Elicitation:
    """The slot the skill asked for with ``Dialog.ElicitSlot``, and the intent it belongs to."""

    intent: str
    slot: str
    slots: Mapping[str, Json] = field(default_factory=dict)  # the updatedIntent's other slots

    @classmethod
    def from_response(cls, response: Json | None) -> Elicitation | None:
        """The ``Dialog.ElicitSlot`` directive of a response envelope, if it has one.

        Parameters
        ----------
        response : dict or None
            A response envelope (``{"response": {"directives": [...]}}``).

        Returns
        -------
        Elicitation or None
            ``None`` without such a directive, or when the response ended the session.
        """
        body = (response or {}).get("response") or {}
        if body.get("shouldEndSession", True):
            return None
        for directive in body.get("directives") or []:
            if directive.get("type") != "Dialog.ElicitSlot":
                continue
            intent = directive.get("updatedIntent") or {}
            if intent.get("name") and directive.get("slotToElicit"):
                return cls(intent["name"], directive["slotToElicit"], intent.get("slots") or {})
        return None


@record(frozen=True)
class Match:
    """One sample that matches an utterance: its intent, its text, the slots it fills."""

    intent: str
    sample: str  # in canonical form
    slots: dict[str, Json]
    known: bool  # every slot value is one the model knows (a value or synonym, a number, a time)


@record(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    slot_names: tuple[str, ...]
    literal_chars: int
    order: int
    text: str  # the sample in canonical form


# How sure a match is, best first; within a tier the longer carrier (more literal text) wins.
_EXACT, _ELICITED, _KNOWN_VALUES, _UNKNOWN_VALUES, _ELICITED_UNKNOWN = range(5)


class Resolver:
    """Maps utterances to intents and slots the way the interaction model declares them.

    Parameters
    ----------
    model : dict
        An interaction model (``{"interactionModel": {"languageModel": ...}}``).
    builtin_phrases : dict of str to list of str
        Phrases Alexa knows for built-in intents without samples, per intent.
    launch_phrases, one_shot_prefixes : iterable of str
        "open {invocation}" ..., "ask {invocation} to" ...
    language : str
        The language of the model ("en", "de" ...), for :func:`skill.utterances.canonical`.
    """

    def __init__(
        self,
        model: Json,
        builtin_phrases: dict[str, list[str]],
        launch_phrases: Iterable[str],
        one_shot_prefixes: Iterable[str],
        language: str = "en",
    ):
        language_model = model["interactionModel"]["languageModel"]
        self.language = language
        self.invocation = normalize(language_model["invocationName"])
        self.slot_types: dict[tuple[str, str], str] = {}
        self.patterns: list[_Pattern] = []
        self.slot_patterns: dict[tuple[str, str], list[_Pattern]] = {}
        for intent in language_model["intents"]:
            for slot in intent.get("slots", []):
                self.slot_types[(intent["name"], slot["name"])] = slot["type"]
                # Slot samples answer a Dialog.ElicitSlot; a bare value always does.
                samples = ["{" + slot["name"] + "}", *slot.get("samples", [])]
                self.slot_patterns[(intent["name"], slot["name"])] = [
                    self._compile(intent["name"], sample) for sample in dict.fromkeys(samples)
                ]
            for sample in intent.get("samples", []):
                self.patterns.append(self._compile(intent["name"], sample))
        for intent_name, phrases in builtin_phrases.items():
            for phrase in phrases:
                self.patterns.append(self._compile(intent_name, phrase))
        self.values: dict[str, list[tuple[str, str, str]]] = {}
        for slot_type in language_model.get("types", []):
            entries = []
            for value in slot_type["values"]:
                name = value["name"]
                for synonym in [name["value"], *name.get("synonyms", [])]:
                    entries.append(
                        (self.canonical(synonym), value.get("id") or name["value"], name["value"])
                    )
            self.values[slot_type["name"]] = entries
        invocation = {"invocation": self.invocation}
        self.launch = {self.canonical(p.format(**invocation)) for p in launch_phrases}
        self.one_shot = sorted(
            (self.canonical(p.format(**invocation)) for p in one_shot_prefixes),
            key=len,
            reverse=True,
        )

    @classmethod
    def for_locale(cls, locale: str, model_dir: Path | None = None) -> Resolver:
        """The resolver of one locale's model, with that locale's console phrases.

        Parameters
        ----------
        locale : str
            Such as ``"en-GB"``; its language picks the fillers :meth:`canonical` drops.
        model_dir : Path, optional
            The skill package directory (``interaction_model/`` by default).

        Returns
        -------
        Resolver
            Built from ``interactionModels/custom/<locale>.json``.
        """
        model_dir = model_dir or default_model_dir()
        path = model_dir / "interactionModels" / "custom" / f"{locale}.json"
        model = json.loads(path.read_text(encoding="utf-8"))
        strings = strings_for(locale)
        return cls(
            model,
            strings.raw("console_builtin_utterances"),
            strings.raw("console_launch_phrases"),
            strings.raw("console_one_shot_prefixes"),
            language=locale.split("-", 1)[0],
        )

    def canonical(self, text: str) -> str:
        """Text in the form the resolver matches.

        Parameters
        ----------
        text : str
            An utterance or a slot value.

        Returns
        -------
        str
            :func:`skill.utterances.canonical` in the model's language.
        """
        return canonical(text, self.language)

    def _compile(self, intent: str, sample: str) -> _Pattern:
        text = canonical_sample(sample, self.language)
        parts = re.split(r"(\{\w+\})", text)
        regex, names, literal = "", [], 0
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                names.append(part[1:-1])
                regex += f"(?P<{part[1:-1]}>.+?)"
            else:
                regex += re.escape(part)
                literal += len(part.strip())
        order = len(self.patterns) + sum(len(p) for p in self.slot_patterns.values())
        return _Pattern(intent, re.compile(f"^{regex}$"), tuple(names), literal, order, text)

    def resolve(self, utterance: str, elicitation: Elicitation | None = None) -> Resolution:
        """A launch, or an intent (``new_session`` for one-shots; the fallback when unmatched).

        Parameters
        ----------
        utterance : str
            What the user said.
        elicitation : Elicitation, optional
            The slot the skill's last response asked for with ``Dialog.ElicitSlot``.

        Returns
        -------
        Resolution
            ``AMAZON.FallbackIntent`` when nothing in the model matches.
        """
        text = self.canonical(utterance)
        if text in self.launch:
            return Resolution("launch", new_session=True)
        for prefix in self.one_shot:
            if text.startswith(prefix + " "):
                found = self._intent(text[len(prefix) + 1 :], None)
                return (
                    Resolution("intent", found.intent, found.slots, new_session=True)
                    if found
                    else Resolution("launch", new_session=True)
                )
        return self._intent(text, elicitation) or Resolution("intent", FALLBACK_INTENT)

    def matches(self, utterance: str) -> list[Match]:
        """Every sample that matches the utterance, best first (the first is what resolves).

        Parameters
        ----------
        utterance : str
            What the user said (not a launch or one-shot phrasing).

        Returns
        -------
        list of Match
            Exact samples first, then carriers whose values are all known, then carriers that
            captured unknown words; the longer carrier first within each.
        """
        found = sorted(
            self._candidates(self.canonical(utterance), None), key=lambda c: _rank(*c[:2])
        )
        return [
            Match(pattern.intent, pattern.text, slots, tier in (_EXACT, _KNOWN_VALUES))
            for tier, pattern, slots in found
        ]

    def _candidates(
        self, text: str, elicitation: Elicitation | None
    ) -> list[tuple[int, _Pattern, dict[str, Json]]]:
        found = []
        for pattern in self.patterns:
            slots = self._match(pattern, text)
            if slots is None:
                continue
            if not pattern.slot_names:
                tier = _EXACT
            elif all(_known(s) for s in slots.values()):
                tier = _KNOWN_VALUES
            else:
                tier = _UNKNOWN_VALUES
            found.append((tier, pattern, slots))
        if elicitation is not None:
            key = (elicitation.intent, elicitation.slot)
            for pattern in self.slot_patterns.get(key, []):
                slots = self._match(pattern, text)
                if slots is None:
                    continue
                tier = _ELICITED if all(_known(s) for s in slots.values()) else _ELICITED_UNKNOWN
                found.append((tier, pattern, {**elicitation.slots, **slots}))
        return found

    def _intent(self, text: str, elicitation: Elicitation | None) -> Resolution | None:
        candidates = self._candidates(text, elicitation)
        if not candidates:
            return None
        tier, pattern, slots = min(candidates, key=lambda c: _rank(c[0], c[1]))
        elicited = tier in (_ELICITED, _ELICITED_UNKNOWN)
        return Resolution("intent", pattern.intent, slots, elicited=elicited)

    def value_id(self, intent: str, slot: str, words: str) -> str | None:
        """The id that words resolve to as a value of an intent's custom slot (``None``: unknown).

        Parameters
        ----------
        intent, slot : str
            Where the words are said, such as ``("StartExerciseIntent", "exercise")``.
        words : str
            The slot's words, such as ``"the band one"``.

        Returns
        -------
        str or None
            The value's id (``"band_foot_pulls"``), as entity resolution reports it.
        """
        slot_type = self.slot_types.get((intent, slot), "")
        found = self._value(slot_type, self.canonical(words))
        return found[0] if found else None

    def _value(self, slot_type: str, raw: str) -> tuple[str, str] | None:
        # Entity resolution forgives an article: "i want the {exercise}" with "pencil one"
        # resolves through the synonym "the pencil one", and "the toe grips" through "toe grips".
        # So does it in other languages: "les cercles de cheville", "l'esercizio tre".
        article = "the "
        forms = [raw, raw.removeprefix(article) if raw.startswith(article) else article + raw]
        if self.language != "en":
            head, _, rest = raw.partition(" ")
            if head in _ARTICLES.get(self.language, ()) and rest:
                forms.append(rest)
            elif raw.startswith("l'"):
                forms.append(raw[2:])
        for form in forms:
            for synonym, value_id, value_name in self.values.get(slot_type, []):
                if form == synonym:
                    return value_id, value_name
        return None

    def _match(self, pattern: _Pattern, text: str) -> dict[str, Json] | None:
        match = pattern.regex.match(text)
        if not match:
            return None
        slots = {}
        for name in pattern.slot_names:
            slot = self._slot(pattern.intent, name, match.group(name))
            if slot is None:
                return None  # a number slot only captures numbers, a time slot only times
            slots[name] = slot
        return slots

    def _slot(self, intent: str, name: str, raw: str) -> Json | None:
        slot_type = self.slot_types.get((intent, name), "")
        slot: dict[str, Any] = {"name": name, "value": raw, "confirmationStatus": "NONE"}
        if slot_type == "AMAZON.NUMBER":
            number = spoken_number(raw, self.language)
            if number is None:
                return None
            slot["value"] = str(number)
            return slot
        if slot_type == "AMAZON.TIME":
            value = spoken_time(raw, self.language)
            if value is None:
                return None
            slot["value"] = value
            return slot
        if slot_type not in self.values:
            return slot
        authority = f"amzn1.er-authority.echo-sdk.console.{slot_type}"
        found = self._value(slot_type, raw)
        if found is not None:
            value_id, value_name = found
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


# Definite articles a value may come with, beyond English "the" ("l'" is read apart).
_ARTICLES = {
    "de": ("der", "die", "das", "den", "dem"),
    "es": ("el", "la", "los", "las"),
    "fr": ("le", "la", "les"),
    "it": ("il", "lo", "la", "i", "gli", "le"),
}


def _rank(tier: int, pattern: _Pattern) -> tuple[int, int, int, int]:
    return (tier, -pattern.literal_chars, len(pattern.slot_names), pattern.order)


def _known(slot: Json) -> bool:
    """A slot value the model knows: a custom value or synonym, or a built-in type's value."""
    return _status(slot) in (None, "ER_SUCCESS_MATCH")


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
        person_id: str | None = None,
    ):
        self.handler = handler
        # The speaker Alexa recognised (skill personalization): spoken requests carry it as
        # context.System.person.personId, as on an Echo with voice profiles; None: not known.
        self.person_id = person_id
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
        if self.person_id is not None and request["type"] in ("LaunchRequest", "IntentRequest"):
            # Only what someone said: the session ending or a touch has no voice to recognise.
            system["person"] = {"personId": self.person_id}
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

    def elicitation(self) -> Elicitation | None:
        """The slot the skill's last response asked for, while its session is open.

        Returns
        -------
        Elicitation or None
            From the response's ``Dialog.ElicitSlot`` directive, as Alexa reads it.
        """
        if self.session is None or self.last_response is None:
            return None
        return Elicitation.from_response(self.last_response)

    def say(self, utterance: str) -> Json:
        """Send what the user said; return the skill's response envelope."""
        resolution = self.resolver.resolve(utterance, self.elicitation())
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
        state = "IN_PROGRESS" if resolution.elicited else "COMPLETED"
        return self.send(
            {"type": "IntentRequest", "dialogState": state, "intent": intent}, new_session=new
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


@record(frozen=True)
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


@record(frozen=True)
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
