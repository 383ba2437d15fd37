"""Coverage-guided fuzzing of the request path: bytes -> JSON -> ``make_handler``'s handler.

An atheris (libFuzzer) target. Each input is read as JSON when it parses (libFuzzer mutates the
seed envelopes written to the corpus on first run); otherwise its bytes drive a structured
envelope (request type, intent, slots, session attributes, locale, timestamp, missing parts)
through ``atheris.FuzzedDataProvider``, so the dialog is reached too. The handler runs on a
SQLite store in ``build/fuzz/fuzz.sqlite3`` (a fresh file each run).

A crash is any exception out of the handler, a response the ASK model cannot read, speech over
Alexa's limits (8,000 characters of SSML, breaks over 10 s, SSML that is not XML), an open
session without a reprompt, or a request in a session that ends in the skill's last-resort
apology (an exception inside the skill). libFuzzer then writes the input to
``<artifact_prefix>crash-<sha1>``; turn it into a regression test in tests/test_properties.py.

    python scripts/fuzz.py                            # 60 s, corpus in build/fuzz/corpus
    python scripts/fuzz.py -max_total_time=600 DIR    # any libFuzzer flags and corpus dirs
    python scripts/fuzz.py build/fuzz/crash-...       # replay one input

Needs ``atheris`` (the ``fuzz`` extra).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import tempfile
import uuid
from pathlib import Path
from xml.etree import ElementTree

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["skill", "ask_sdk_core", "ask_sdk_runtime"]):
    from ask_sdk_core.serialize import DefaultSerializer

    from skill.alexa import handlers
    from skill.config import Config
    from skill.content import EXERCISE_IDS
    from skill.entry import make_handler
    from skill.store.sqlite import SqliteStore

DEFAULT_SECONDS = 60
CORPUS = ROOT / "build" / "fuzz" / "corpus"
ARTIFACTS = ROOT / "build" / "fuzz"
SKILL_ID = "amzn1.ask.skill.fuzz"
USER = "amzn1.ask.account.FUZZ"
MAX_SPEECH_CHARS = 8000
MAX_BREAK_SECONDS = 10.0

INTENTS = [
    i["name"]
    for i in json.loads(
        (ROOT / "interaction_model" / "interactionModels" / "custom" / "en-US.json").read_text(
            encoding="utf-8"
        )
    )["interactionModel"]["languageModel"]["intents"]
]
REQUEST_TYPES = [
    "LaunchRequest",
    "IntentRequest",
    "SessionEndedRequest",
    "AlexaSkillEvent.SkillDisabled",
    "AudioPlayer.PlaybackStarted",
    "Connections.Response",
    "Alexa.Presentation.APL.UserEvent",
    "CanFulfillIntentRequest",
    "System.ExceptionEncountered",
    "Garbage",
]
MODES = [
    "menu",
    "in_set",
    "confirm_reset",
    "confirm_resume",
    "offer_exercise",
    "offer_round",
    "ask_exercise",
    "ask_goal",
    "bogus",
]
STATUS_CODES = ["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "ER_ERROR_TIMEOUT", "BOGUS"]
LOCALES = ["en-US", "en-GB", "de-DE", "xx-YY", "", "../x", "e" * 100]
TIMESTAMPS = [
    "2026-11-24T15:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-11-24T15:00:00+14:00",
    "2026-11-24T15:00:00",
    "1970-01-01T00:00:00Z",
]

_BREAK = re.compile(r'<break\b[^>]*?time\s*=\s*"([^"]*)"')
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s)")

_serializer = DefaultSerializer()
_last_resort: list[BaseException] = []


def _record_last_resort(original):
    def handle(self, handler_input, exception):
        _last_resort.append(exception)
        return original(self, handler_input, exception)

    return handle


handlers.ErrorHandler.handle = _record_last_resort(handlers.ErrorHandler.handle)


def envelope(
    request: dict,
    attributes=None,
    *,
    session: bool = True,
    context: bool = True,
    user: str = USER,
    locale: str | None = "en-US",
    timestamp: str | None = "2026-11-24T15:00:00Z",
) -> dict:
    application = {"applicationId": SKILL_ID}
    request = {"requestId": "amzn1.echo-api.request.fuzz", **request}
    if locale is not None:
        request["locale"] = locale
    if timestamp is not None:
        request["timestamp"] = timestamp
    body: dict = {"version": "1.0", "request": request}
    if context:
        body["context"] = {
            "System": {
                "application": application,
                "user": {"userId": user},
                "device": {"deviceId": "amzn1.ask.device.FUZZ", "supportedInterfaces": {}},
                # A closed local port: API calls are refused at once, never sent to Amazon.
                "apiEndpoint": "https://127.0.0.1:1",
                "apiAccessToken": "eyJ.fuzz.token",
            }
        }
    if session:
        body["session"] = {
            "new": attributes is None,
            "sessionId": "amzn1.echo-api.session.f",
            "application": application,
            "user": {"userId": user},
            "attributes": attributes or {},
        }
    return body


def seeds() -> list[dict]:
    """Real envelopes, and ones carrying the attributes of a real conversation."""
    found = [
        envelope({"type": "LaunchRequest"}),
        envelope({"type": "SessionEndedRequest", "reason": "USER_INITIATED"}, {}),
        envelope(
            {
                "type": "AlexaSkillEvent.SkillDisabled",
                "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
            },
            session=False,
        ),
        envelope({"type": "Alexa.Presentation.APL.UserEvent", "arguments": ["x"]}),
    ]
    for name in INTENTS:
        found.append(
            envelope(
                {
                    "type": "IntentRequest",
                    "intent": {
                        "name": name,
                        "confirmationStatus": "NONE",
                        "slots": {
                            "exercise": {
                                "name": "exercise",
                                "value": "toe grips",
                                "resolutions": {
                                    "resolutionsPerAuthority": [
                                        {
                                            "authority": "amzn1.er-authority.echo-sdk.x.ExerciseName",  # noqa: E501
                                            "status": {"code": "ER_SUCCESS_MATCH"},
                                            "values": [
                                                {"value": {"name": "toe grips", "id": "toe_grips"}}
                                            ],
                                        }
                                    ]
                                },
                            },
                            "rounds": {"name": "rounds", "value": "2"},
                        },
                    },
                },
                {},
            )
        )
    with tempfile.TemporaryDirectory() as tmp:  # a conversation, for realistic attributes
        handler = make_handler(Config(), SqliteStore(Path(tmp) / "seed.sqlite3"))
        attributes = None
        for name in ["LaunchRequest", "AMAZON.YesIntent"] + ["AMAZON.NextIntent"] * 6:
            request = (
                {"type": name}
                if name == "LaunchRequest"
                else {"type": "IntentRequest", "intent": {"name": name, "slots": {}}}
            )
            event = envelope(request, attributes)
            found.append(event)
            attributes = handler(event, None).get("sessionAttributes") or {}
    return found


def structured(data: bytes) -> dict:
    """An envelope whose every choice comes from the fuzzer's bytes."""
    fdp = atheris.FuzzedDataProvider(data)
    kind = fdp.PickValueInList(REQUEST_TYPES)
    request: dict = {"type": kind}
    if kind == "IntentRequest":
        name = fdp.PickValueInList([*INTENTS, "Unknown.Intent", ""])
        slots = {}
        if fdp.ConsumeBool():
            slot = {"name": "exercise", "value": fdp.ConsumeUnicodeNoSurrogates(40)}
            if fdp.ConsumeBool():
                status = fdp.PickValueInList(STATUS_CODES)
                value_id = fdp.PickValueInList([*list(EXERCISE_IDS), "", "gone"])
                slot["resolutions"] = {
                    "resolutionsPerAuthority": [
                        {
                            "authority": "a",
                            "status": {"code": status},
                            "values": [{"value": {"name": slot["value"], "id": value_id}}],
                        }
                    ]
                }
            slots["exercise"] = slot
        if fdp.ConsumeBool():
            slots["rounds"] = {"name": "rounds", "value": fdp.ConsumeUnicodeNoSurrogates(6)}
        if fdp.ConsumeBool():
            slots["time"] = {"name": "time", "value": fdp.ConsumeUnicodeNoSurrogates(8)}
        request["intent"] = {"name": name, "slots": slots}
    elif kind == "Alexa.Presentation.APL.UserEvent":
        request["arguments"] = [
            fdp.PickValueInList(["next", "pause", "repeat", "", None]),
            fdp.ConsumeUnicodeNoSurrogates(8),
        ][: fdp.ConsumeIntInRange(0, 2)]
    elif kind == "Connections.Response":
        request.update(
            name=fdp.PickValueInList(["AskFor", "Buy", ""]),
            token=fdp.ConsumeUnicodeNoSurrogates(8),
            payload={
                "status": fdp.PickValueInList(["ACCEPTED", "DENIED", "NOT_ANSWERED", "", None])
            },
        )
    attributes = None
    if fdp.ConsumeBool():
        attributes = {
            "dialog": {
                "mode": fdp.PickValueInList(MODES),
                "exercise": fdp.PickValueInList([*list(EXERCISE_IDS), None, "gone"]),
                "segment": fdp.ConsumeIntInRange(-2, 40),
                "round": fdp.ConsumeIntInRange(-1, 5),
                "day": fdp.PickValueInList(["2026-11-24", "2026-11-23", None, "bad"]),
                "skipped": [fdp.PickValueInList(list(EXERCISE_IDS))] if fdp.ConsumeBool() else [],
                "offer": fdp.PickValueInList(["start", "how_to", None, *list(EXERCISE_IDS)]),
            }
        }
        if fdp.ConsumeBool():
            attributes["progress"] = {
                "day": "2026-11-24",
                "goal": fdp.ConsumeIntInRange(-1, 6),
                "done": {
                    e: fdp.ConsumeIntInRange(-1, 5) for e in EXERCISE_IDS if fdp.ConsumeBool()
                },
                "safety": fdp.ConsumeBool(),
                "position": None,
                "position_ts": 0,
                "streak": fdp.ConsumeIntInRange(-1, 9),
                "best": fdp.ConsumeIntInRange(0, 9),
                "last_met": fdp.PickValueInList([None, "2026-11-23", "x"]),
            }
    return envelope(
        request,
        attributes,
        session=fdp.ConsumeIntInRange(0, 9) > 0,
        context=fdp.ConsumeIntInRange(0, 9) > 0,
        locale=fdp.PickValueInList([*LOCALES, None]),
        timestamp=fdp.PickValueInList([*TIMESTAMPS, None]),
    )


def _check_speech(speech) -> None:
    if not isinstance(speech, dict):
        return
    ssml = speech.get("ssml") or speech.get("text") or ""
    if len(ssml) >= MAX_SPEECH_CHARS:
        raise AssertionError(f"{len(ssml)} characters of speech")
    if speech.get("type") == "SSML":
        ElementTree.fromstring(ssml)  # raises ParseError on SSML that is not XML
        for value in _BREAK.findall(ssml):
            match = _DURATION.fullmatch(value.strip())
            if not match:
                raise AssertionError(f"unreadable break {value!r}")
            seconds = float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)
            if seconds > MAX_BREAK_SECONDS:
                raise AssertionError(f"a break of {seconds} s")


def _plausible(event) -> bool:
    """A request in a session at a time Alexa could send (the last resort is then a bug)."""
    if not isinstance(event, dict) or not isinstance(event.get("session"), dict):
        return False
    request = event.get("request")
    stamp = request.get("timestamp") if isinstance(request, dict) else None
    return stamp is None or (isinstance(stamp, str) and "1971" <= stamp[:4] <= "2199")


def make_target(store_path: Path):
    store_path.unlink(missing_ok=True)
    handler = make_handler(Config(), SqliteStore(store_path))

    def test_one_input(data: bytes) -> None:
        try:
            event = json.loads(data)
        except (ValueError, RecursionError):
            event = structured(data)
        if isinstance(event, dict):  # every input is a user of its own: no cross-talk
            for holder in (
                event.get("session"),
                (event.get("context") or {}).get("System")
                if isinstance(event.get("context"), dict)
                else None,
            ):
                if isinstance(holder, dict) and isinstance(holder.get("user"), dict):
                    holder["user"]["userId"] = USER + uuid.uuid4().hex[:8]
        _last_resort.clear()
        response = handler(event, None)
        text = json.dumps(response)
        model = _serializer.deserialize(text, "ask_sdk_model.ResponseEnvelope")
        if model is None:
            raise AssertionError("the response is not a ResponseEnvelope")
        body = response.get("response") or {}
        _check_speech(body.get("outputSpeech"))
        _check_speech((body.get("reprompt") or {}).get("outputSpeech"))
        if body.get("shouldEndSession") is False and not body.get("reprompt"):
            raise AssertionError("an open session without a reprompt")
        if _last_resort and _plausible(event):
            raise _last_resort[0]

    return test_one_input


def main(argv: list[str]) -> None:
    logging.disable(logging.CRITICAL)  # the skill logs every request: noise at this pace
    args = list(argv)
    flags = [a for a in args[1:] if a.startswith("-")]
    paths = [a for a in args[1:] if not a.startswith("-")]
    if not any(f.startswith("-max_total_time=") or f.startswith("-runs=") for f in flags):
        args.append(f"-max_total_time={DEFAULT_SECONDS}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if not any(f.startswith("-artifact_prefix=") for f in flags):
        args.append(f"-artifact_prefix={ARTIFACTS}/")
    if not paths:
        CORPUS.mkdir(parents=True, exist_ok=True)
        if not any(CORPUS.iterdir()):
            for number, seed in enumerate(seeds()):
                (CORPUS / f"seed-{number:03d}.json").write_text(json.dumps(seed))
        args.append(str(CORPUS))
    atheris.Setup(args, make_target(ARTIFACTS / "fuzz.sqlite3"))
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
