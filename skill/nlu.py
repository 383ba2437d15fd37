"""NLU annotation sets for the interaction models, and a local evaluator over the resolver.

An annotation set lists utterances as people say them, each with the intent it must reach and the
slot values it must fill. ``nlu/<locale>.json`` holds each locale's set in the
format of Alexa's NLU Annotation Set API (``POST /v1/skills/{skillId}/nluAnnotationSets/{id}/
annotations``, https://developer.amazon.com/docs/smapi/nlu-annotation-api-reference.html; the
fields are those of the ASK SMAPI model's ``nlu.evaluations`` ``TestCase``)::

    {"data": [{"inputs": {"utterance": "start ankle circles please"},
               "expected": [{"intent": {"name": "StartExerciseIntent",
                                        "slots": {"exercise": {"value": "ankle circles"}}}}]}]}

Those files are built from one source per language, ``nlu/source/<lang>.txt``,
plus a regional file per locale with that locale's own phrasings (the format has no "include",
so every locale gets its own file); ``tests/test_nlu.py`` checks that the built files are current.

The evaluator runs a set through :class:`skill.console.Resolver` (the same matching the console
uses, read from the same model) and reports accuracy, precision and recall per intent and every
confusion, so a model change can be measured before it is uploaded. It is not Alexa's statistical
NLU: it measures what the model's samples, slots and synonyms cover.

Run ``python -m skill.nlu eval`` (all annotated locales, or ``--locale en-GB``), ``python -m
skill.nlu build`` after editing a source, ``python -m skill.nlu check`` to verify the built files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .console import Resolution, Resolver, default_model_dir, model_locales
from .records import field, record
from .utterances import normalize

__all__ = [
    "FALLBACK",
    "STATE_CHANGING_INTENTS",
    "Annotation",
    "Capture",
    "Outcome",
    "Report",
    "annotated_locales",
    "annotation_dir",
    "built_files",
    "carrier_captures",
    "dumps_annotation_set",
    "evaluate",
    "format_report",
    "load_annotation_set",
    "main",
    "parse_source",
    "source_annotations",
]

FALLBACK = "AMAZON.FallbackIntent"
# Intents that change what is stored or where the user is: a phrase meant for anything else must
# never land on one of these (a question answered wrongly is a nuisance; a skipped set is not).
STATE_CHANGING_INTENTS = frozenset(
    {
        "StartRoutineIntent",
        "StartExerciseIntent",
        "ChooseExerciseIntent",
        "SkipIntent",
        "SetGoalIntent",
        "ResetTodayIntent",
        "SetReminderIntent",
        "CancelReminderIntent",
        "FinishedIntent",  # counts the set and moves on; outside a set, goodbye
        "AMAZON.StopIntent",
        "AMAZON.CancelIntent",
        "AMAZON.NextIntent",
        "AMAZON.StartOverIntent",
        "AMAZON.PauseIntent",
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        # a person's routine and settings: an exercise out until added back, the defaults back
        "NoEquipmentIntent",
        "AddExerciseIntent",
        "ResetSettingsIntent",
    }
)

_HEADER = re.compile(r"^\[([\w.]+)\]$")
_MARK = re.compile(r"\{(\w+):([^{}=]+)(?:=([^{}]+))?\}")


@record(frozen=True)
class Annotation:
    """One test case: what is said, the intent it must reach and the slot values it must fill."""

    utterance: str
    intent: str
    slots: Mapping[str, str] = field(default_factory=dict)
    # The words that fill each slot, when known (the sources mark them; the format does not).
    words: Mapping[str, str] = field(default_factory=dict, compare=False)


def annotation_dir(model_dir: Path | None = None) -> Path:
    """``nlu/`` beside ``interaction_model/``: the built annotation sets, and their sources in
    ``source/``. Outside the skill package, which the ASK CLI uploads as it is."""
    return (model_dir or default_model_dir()).parent / "nlu"


def parse_source(text: str, origin: str = "<source>") -> list[Annotation]:
    """Read the source format: ``[Intent]`` headers, one utterance a line, ``{slot:words=value}``.

    Parameters
    ----------
    text : str
        The source file's text.
    origin : str
        Its name, for error messages.

    Returns
    -------
    list of Annotation
        The annotations in the order they are written.

    Raises
    ------
    ValueError
        On an utterance before any header, a slot marked twice in one line, or a malformed mark.
    """
    annotations: list[Annotation] = []
    intent: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            intent = header.group(1)
            continue
        if intent is None:
            raise ValueError(f"{origin}:{number}: an utterance before any [Intent] header")
        utterance, slots, spans = _unmark(line, f"{origin}:{number}")
        annotations.append(Annotation(" ".join(utterance.split()), intent, slots, spans))
    return annotations


def _unmark(line: str, where: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """A source line's utterance, its slot values and the words that fill each slot."""
    slots: dict[str, str] = {}
    spans: dict[str, str] = {}
    pieces = []
    end = 0
    for mark in _MARK.finditer(line):
        name, words, value = mark.group(1), mark.group(2).strip(), mark.group(3)
        if name in slots:
            raise ValueError(f"{where}: slot {name} marked twice")
        slots[name] = (value or words).strip()
        spans[name] = words
        pieces += [line[end : mark.start()], words]
        end = mark.end()
    utterance = "".join([*pieces, line[end:]])
    if "{" in utterance or "}" in utterance:
        raise ValueError(f"{where}: a malformed slot mark in {line!r}")
    return utterance, slots, spans


def _language(locale: str) -> str:
    return locale.split("-", 1)[0]


def annotated_locales(model_dir: Path | None = None) -> list[str]:
    """The locales with a model and a source for their language (or for themselves)."""
    model_dir = model_dir or default_model_dir()
    sources = annotation_dir(model_dir) / "source"
    return [
        locale
        for locale in model_locales(model_dir)
        if (sources / f"{_language(locale)}.txt").exists() or (sources / f"{locale}.txt").exists()
    ]


def source_annotations(locale: str, model_dir: Path | None = None) -> list[Annotation]:
    """A locale's annotations from the sources: its language's file, then its own.

    Parameters
    ----------
    locale : str
        Such as ``"en-GB"``.
    model_dir : Path, optional
        The skill package directory (``interaction_model/`` by default).

    Returns
    -------
    list of Annotation
        Each utterance once; a regional line repeating a language line is dropped.
    """
    sources = annotation_dir(model_dir) / "source"
    found: list[Annotation] = []
    seen: set[str] = set()
    for name in dict.fromkeys([_language(locale), locale]):
        path = sources / f"{name}.txt"
        if not path.exists():
            continue
        for annotation in parse_source(path.read_text(encoding="utf-8"), str(path)):
            key = normalize(annotation.utterance)
            if key in seen:
                raise ValueError(f"{path}: '{annotation.utterance}' is annotated twice")
            seen.add(key)
            found.append(annotation)
    return found


def _case(annotation: Annotation) -> dict[str, Any]:
    intent: dict[str, Any] = {"name": annotation.intent}
    if annotation.slots:
        intent["slots"] = {name: {"value": value} for name, value in annotation.slots.items()}
    return {"inputs": {"utterance": annotation.utterance}, "expected": [{"intent": intent}]}


def dumps_annotation_set(annotations: Iterable[Annotation]) -> str:
    """The annotations as the body of the Update Annotations request, one test case a line.

    Parameters
    ----------
    annotations : iterable of Annotation
        The test cases.

    Returns
    -------
    str
        JSON (``{"data": [...]}``), ending with a newline.
    """
    lines = [json.dumps(_case(a), ensure_ascii=False) for a in annotations]
    return '{"data": [\n' + ",\n".join(lines) + "\n]}\n"


def load_annotation_set(path: Path) -> list[Annotation]:
    """Read an annotation set in Alexa's format (the first expected result of each case).

    Parameters
    ----------
    path : Path
        A JSON file as :func:`dumps_annotation_set` writes it (or as the API returns it).

    Returns
    -------
    list of Annotation
        The test cases in file order.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    annotations = []
    for case in data["data"]:
        intent = case["expected"][0]["intent"]
        slots = {name: str(slot["value"]) for name, slot in (intent.get("slots") or {}).items()}
        annotations.append(Annotation(case["inputs"]["utterance"], intent["name"], slots))
    return annotations


def built_files(model_dir: Path | None = None) -> dict[Path, str]:
    """What each locale's annotation set file must hold, built from the sources.

    Parameters
    ----------
    model_dir : Path, optional
        The skill package directory (``interaction_model/`` by default).

    Returns
    -------
    dict of Path to str
        ``nlu/<locale>.json`` and its text.
    """
    target = annotation_dir(model_dir)
    return {
        target / f"{locale}.json": dumps_annotation_set(source_annotations(locale, model_dir))
        for locale in annotated_locales(model_dir)
    }


# --- evaluation ---------------------------------------------------------------------------------


@record(frozen=True)
class Outcome:
    """How one annotation fared: the intent reached and any slot that was not as expected."""

    annotation: Annotation
    intent: str
    slot_errors: tuple[str, ...] = ()

    @property
    def intent_ok(self) -> bool:
        return self.intent == self.annotation.intent

    @property
    def passed(self) -> bool:
        return self.intent_ok and not self.slot_errors


@record(frozen=True)
class Report:
    """The outcomes of one annotation set on one locale's model."""

    locale: str
    outcomes: tuple[Outcome, ...]

    @property
    def accuracy(self) -> float:
        """Share of test cases with the right intent and the right slot values."""
        return sum(o.passed for o in self.outcomes) / len(self.outcomes) if self.outcomes else 1.0

    def per_intent(self) -> dict[str, tuple[float | None, float | None, int]]:
        """Each intent's precision, recall (``None`` when undefined) and number of test cases.

        Returns
        -------
        dict of str to (float or None, float or None, int)
            Keyed by every intent expected or reached, in name order.
        """
        expected = Counter(o.annotation.intent for o in self.outcomes)
        reached = Counter(o.intent for o in self.outcomes)
        right = Counter(o.intent for o in self.outcomes if o.intent_ok)
        table: dict[str, tuple[float | None, float | None, int]] = {}
        for intent in sorted(set(expected) | set(reached)):
            precision = right[intent] / reached[intent] if reached[intent] else None
            recall = right[intent] / expected[intent] if expected[intent] else None
            table[intent] = (precision, recall, expected[intent])
        return table

    def confusions(self) -> dict[tuple[str, str], list[str]]:
        """The test cases that reached another intent than the one annotated.

        Returns
        -------
        dict of (str, str) to list of str
            ``(expected, reached) -> utterances``, the most frequent confusion first.
        """
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        for o in self.outcomes:
            if not o.intent_ok:
                found[(o.annotation.intent, o.intent)].append(o.annotation.utterance)
        return dict(sorted(found.items(), key=lambda item: (-len(item[1]), item[0])))

    def state_changing_confusions(self) -> dict[tuple[str, str], list[str]]:
        """The confusions that land on an intent that changes progress or position.

        Returns
        -------
        dict of (str, str) to list of str
            As :meth:`confusions`, keeping those whose reached intent is in
            ``STATE_CHANGING_INTENTS``.
        """
        return {k: v for k, v in self.confusions().items() if k[1] in STATE_CHANGING_INTENTS}


@record(frozen=True)
class Capture:
    """A carrier phrase of one intent that matches a phrase annotated for another."""

    utterance: str
    expected: str
    intent: str
    sample: str
    known: bool  # the carrier's slot values are all known: a confident match, whatever wins


def carrier_captures(resolver: Resolver, annotations: Iterable[Annotation]) -> list[Capture]:
    """The carriers (samples with a slot) of other intents that capture annotated phrases.

    A carrier captures a phrase annotated for another intent when it matches it with slot
    values the model knows (a real ambiguity in the model, whichever match wins), or when it
    matches with unknown words and ranks at or above the best match of the annotated intent.

    Parameters
    ----------
    resolver : Resolver
        The locale's resolver.
    annotations : iterable of Annotation
        The phrases and the intents they are meant for.

    Returns
    -------
    list of Capture
        Empty when every carrier keeps to its own intent's phrases.
    """
    found = []
    for annotation in annotations:
        matches = resolver.matches(annotation.utterance)
        own = next((i for i, m in enumerate(matches) if m.intent == annotation.intent), None)
        for index, match in enumerate(matches):
            if match.intent == annotation.intent or not match.slots:
                continue
            if match.known or own is None or index < own:
                found.append(
                    Capture(
                        annotation.utterance,
                        annotation.intent,
                        match.intent,
                        match.sample,
                        match.known,
                    )
                )
    return found


def _reached(resolution: Resolution | None) -> str:
    if resolution is None:
        return FALLBACK
    if resolution.kind == "launch":
        return "LaunchRequest"
    return resolution.intent or FALLBACK


def _status(slot: Mapping[str, Any]) -> tuple[str | None, str | None]:
    for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
        values = authority.get("values") or [{}]
        value_id = values[0].get("value", {}).get("id")
        return authority["status"]["code"], value_id
    return None, None


def _slot_errors(resolver: Resolver, annotation: Annotation, resolution: Resolution) -> list[str]:
    errors = []
    for name, expected in annotation.slots.items():
        slot = resolution.slots.get(name)
        got = slot.get("value") if slot else None
        if got is None:
            errors.append(f"{name}: expected '{expected}', got nothing")
            continue
        code, got_id = _status(slot or {})
        want_id = resolver.value_id(annotation.intent, name, expected)
        if want_id is not None:
            if code == "ER_SUCCESS_MATCH" and got_id == want_id:
                continue  # the words may differ ("the band one", "band one"), the value does not
        elif resolver.canonical(str(got)) == resolver.canonical(expected):
            continue
        errors.append(f"{name}: expected '{expected}', got '{got}' ({code or 'no resolution'})")
    for name, slot in resolution.slots.items():
        if name not in annotation.slots and slot.get("value") is not None:
            errors.append(f"{name}: expected nothing, got '{slot['value']}'")
    return errors


def evaluate(resolver: Resolver, annotations: Sequence[Annotation], locale: str = "") -> Report:
    """Run every annotation through the resolver and record what it reached.

    Parameters
    ----------
    resolver : Resolver
        The locale's resolver (``Resolver.for_locale``).
    annotations : sequence of Annotation
        The test cases.
    locale : str
        For the report's heading.

    Returns
    -------
    Report
        One outcome per annotation, in order.
    """
    outcomes = []
    for annotation in annotations:
        resolution = resolver.resolve(annotation.utterance)
        intent = _reached(resolution)
        errors: list[str] = []
        if resolution is not None and intent == annotation.intent:
            errors = _slot_errors(resolver, annotation, resolution)
        outcomes.append(Outcome(annotation, intent, tuple(errors)))
    return Report(locale, tuple(outcomes))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def format_report(report: Report, *, all_intents: bool = True) -> str:
    """The report as text: accuracy, a precision and recall table, confusions, slot errors.

    Parameters
    ----------
    report : Report
        What :func:`evaluate` returned.
    all_intents : bool
        List every intent in the table; otherwise only those below 100%.

    Returns
    -------
    str
        Lines ending with a newline. A ``!`` marks a confusion into a state-changing intent.
    """
    passed = sum(o.passed for o in report.outcomes)
    wrong_intent = sum(not o.intent_ok for o in report.outcomes)
    wrong_slot = sum(o.intent_ok and bool(o.slot_errors) for o in report.outcomes)
    lines = [
        f"{report.locale}: {len(report.outcomes)} utterances, accuracy "
        f"{_percent(report.accuracy)} ({passed} passed, {wrong_intent} wrong intent, "
        f"{wrong_slot} wrong slot value)",
        f"  {'intent':<28} {'precision':>9} {'recall':>7} {'cases':>5}",
    ]
    for intent, (precision, recall, support) in report.per_intent().items():
        if all_intents or precision != 1.0 or recall != 1.0:
            lines.append(
                f"  {intent:<28} {_percent(precision):>9} {_percent(recall):>7} {support:>5}"
            )
    confusions = report.confusions()
    if confusions:
        lines.append("  confusions (expected -> reached):")
        for (expected, reached), utterances in confusions.items():
            mark = "!" if reached in STATE_CHANGING_INTENTS else " "
            quoted = "; ".join(f'"{u}"' for u in utterances)
            lines.append(f"  {mark} {expected} -> {reached} ({len(utterances)}): {quoted}")
    slot_errors = [o for o in report.outcomes if o.intent_ok and o.slot_errors]
    if slot_errors:
        lines.append("  wrong slot values:")
        for o in slot_errors:
            lines.append(f'    "{o.annotation.utterance}": {"; ".join(o.slot_errors)}')
    return "\n".join(lines) + "\n"


# --- command line -------------------------------------------------------------------------------


def _build(model_dir: Path | None, check: bool) -> int:
    stale = []
    for path, text in built_files(model_dir).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for path in stale:
        print(f"{path} is not what its sources build: run python -m skill.nlu build")
    return 1 if stale else 0


def _eval(args: argparse.Namespace) -> int:
    model_dir = args.model_dir
    locales = args.locale or annotated_locales(model_dir)
    status = 0
    for locale in locales:
        path = args.set or annotation_dir(model_dir) / f"{locale}.json"
        report = evaluate(
            Resolver.for_locale(locale, model_dir), load_annotation_set(path), locale=locale
        )
        print(format_report(report, all_intents=not args.brief))
        if report.accuracy < args.min_accuracy or report.state_changing_confusions():
            status = 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m skill.nlu {eval,build,check}``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        0 on success; 1 when a set scores under ``--min-accuracy`` or confuses a phrase into a
        state-changing intent (``eval``), or when a built file is stale (``check``).
    """
    parser = argparse.ArgumentParser(prog="python -m skill.nlu", description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path, default=None, help="the skill package directory")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("eval", help="evaluate annotation sets against the models")
    run.add_argument("--locale", action="append", help="a locale (repeatable); default: all")
    run.add_argument("--set", type=Path, help="an annotation set file instead of the built one")
    run.add_argument("--brief", action="store_true", help="list only intents below 100%%")
    run.add_argument("--min-accuracy", type=float, default=0.0, help="exit 1 below this (0-1)")
    commands.add_parser("build", help="write nlu/<locale>.json from the sources")
    commands.add_parser("check", help="exit 1 if a built annotation set is stale")
    args = parser.parse_args(argv)
    if args.command == "eval":
        return _eval(args)
    return _build(args.model_dir, check=args.command == "check")


if __name__ == "__main__":
    sys.exit(main())
