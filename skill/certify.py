"""The certification self-check: each checklist item a machine can check, PASS or FAIL.

``leg-skill certify`` (``make certify``) runs it on the committed skill package
(``interaction_model/``, where the endpoints and privacy URLs are placeholders until packaging:
``--allow-placeholders``); ``leg-skill skill-package`` runs it on the package it writes, with
nothing allowed. Every check reads files and runs the skill in-process (no network): seconds.

Limits and field names are from Amazon's skill manifest reference (Skill Manifest Schema,
developer.amazon.com/docs/smapi/skill-manifest.html): per locale ``name``, ``summary``,
``description``, ``examplePhrases``, ``keywords``, ``smallIconUri`` and ``largeIconUri``
(108 x 108 and 512 x 512 PNG) under ``publishingInformation.locales``, and ``privacyPolicyUrl``
under ``privacyAndCompliance.locales``. The summary is held to 120 characters, the limit the
certification feedback on this skill quoted (the reference allows 160).
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .console import model_locales
from .records import record

__all__ = [
    "DISCLAIMER_MARKERS",
    "ICON_PIXELS",
    "LIMITS",
    "PLACEHOLDER_ACCOUNT",
    "PRIVACY_DIR",
    "REGION",
    "Check",
    "certify",
    "is_placeholder_url",
    "lambda_arn",
    "lambda_arn_problem",
    "png_size",
    "report",
]

REPO = Path(__file__).resolve().parent.parent
PRIVACY_DIR = REPO / "docs" / "privacy"
PLACEHOLDER_ACCOUNT = "123456789012"  # the account in the committed package's ARNs
# Hosts reserved for examples (RFC 2606): the committed package's privacy URLs use one.
_PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net")
REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"  # an AWS region name: us-east-1, eu-west-1
_LAMBDA_ARN = re.compile(
    rf"arn:aws:lambda:(?P<region>{REGION}):(?P<account>\d{{12}}):function:"
    r"(?P<name>[A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9_$-]{1,128})?"
)
# Field -> (the most, what is counted). Keywords: a count and a length each.
LIMITS: dict[str, int] = {
    "name": 50,
    "summary": 120,
    "description": 4000,
    "examplePhrases": 3,
    "keywords": 30,
    "keyword": 150,
}
ICON_PIXELS: dict[str, int] = {"smallIconUri": 108, "largeIconUri": 512}
# Each language's disclaimer must contain both fragments (any case): "not medical advice" and
# "no substitute for a professional's advice", in the words the descriptions use.
DISCLAIMER_MARKERS: dict[str, tuple[str, str]] = {
    "en": ("not medical advice", "no substitute for the advice of"),
    "de": ("keine medizinische beratung", "ersetzt nicht den rat"),
    "es": ("no es consejo médico", "no sustituye la opinión"),
    "fr": ("pas un avis médical", "ne remplace pas les conseils"),
    "it": ("non è un consiglio medico", "non sostituisce il parere"),
}
_WAKE_WORD = re.compile(r"^alexa\b[,\s]*", re.IGNORECASE)


@record(frozen=True)
class Check:
    """One checklist item's result: ``ok`` is False for a FAIL; ``detail`` says why or what."""

    item: str
    ok: bool
    detail: str = ""

    def line(self) -> str:
        """``PASS  item: detail`` (or FAIL), as printed."""
        text = f"{'PASS' if self.ok else 'FAIL'}  {self.item}"
        return f"{text}: {self.detail}" if self.detail else text


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, or ``None`` when ``path`` is not a PNG."""
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def lambda_arn(arn: object) -> re.Match[str] | None:
    """``arn`` parsed as a Lambda function ARN (groups ``region``, ``account``, ``name``), or
    ``None`` when it is not one."""
    return _LAMBDA_ARN.fullmatch(arn) if isinstance(arn, str) else None


def lambda_arn_problem(arn: object, allow_placeholder: bool = False) -> str | None:
    """What is wrong with ``arn`` as the skill's endpoint, or ``None`` when it will do.

    A Lambda function ARN (``arn:aws:lambda:REGION:ACCOUNT:function:NAME``, optionally with a
    version or alias); the committed package's account 123456789012 is refused unless
    ``allow_placeholder``.
    """
    match = lambda_arn(arn)
    if match is None:
        return f"{arn!r} is not a Lambda function ARN"
    if match["account"] == PLACEHOLDER_ACCOUNT and not allow_placeholder:
        return f"{arn} is the placeholder ARN (account {PLACEHOLDER_ACCOUNT})"
    return None


def is_placeholder_url(url: str) -> bool:
    """Whether ``url``'s host is one reserved for examples (example.com and the like)."""
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _PLACEHOLDER_HOSTS)


def _manifest(package: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((package / "skill.json").read_text(encoding="utf-8"))
    manifest: dict[str, Any] = data["manifest"]
    return manifest


def _locales(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    locales: dict[str, dict[str, Any]] = manifest["publishingInformation"]["locales"]
    return locales


def _models(package: Path) -> set[str]:
    return set(model_locales(package))


def _summarise(problems: list[str], ok_detail: str) -> tuple[bool, str]:
    return (not problems, "; ".join(problems) if problems else ok_detail)


def _check_models(package: Path, manifest: dict[str, Any]) -> Check:
    locales, models = set(_locales(manifest)), _models(package)
    problems = [f"{loc} has no interaction model" for loc in sorted(locales - models)]
    problems += [f"model {loc} is not in the manifest" for loc in sorted(models - locales)]
    return Check("every locale has an interaction model", *_summarise(problems, f"{len(locales)}"))


def _check_icons(package: Path, manifest: dict[str, Any]) -> Check:
    problems = []
    for locale, info in _locales(manifest).items():
        for field, pixels in ICON_PIXELS.items():
            uri = info.get(field)
            if not isinstance(uri, str) or not uri.startswith("file://"):
                problems.append(f"{locale} {field} is {uri!r}, not a file:// asset")
                continue
            path = package / uri.removeprefix("file://")
            size = png_size(path)
            if size is None:
                problems.append(f"{locale} {field}: {uri} is missing or not a PNG")
            elif size != (pixels, pixels):
                problems.append(f"{locale} {field}: {uri} is {size[0]}x{size[1]}, not {pixels}²")
    return Check("icons present, PNG, 108x108 and 512x512", *_summarise(problems, "every locale"))


def _check_endpoints(manifest: dict[str, Any], allow: bool) -> Check:
    custom = manifest.get("apis", {}).get("custom", {}).get("endpoint", {}).get("uri")
    events = manifest.get("events", {}).get("endpoint", {}).get("uri")
    problems = [
        f"{where}: {problem}"
        for where, uri in (("apis.custom", custom), ("events", events))
        if (problem := lambda_arn_problem(uri, allow_placeholder=allow))
    ]
    if not problems and custom != events:
        problems.append("apis.custom and events name different functions")
    detail = str(custom)
    if not problems and PLACEHOLDER_ACCOUNT in detail:
        detail += " (placeholder, allowed)"
    return Check("endpoints are the deployed function", *_summarise(problems, detail))


def _check_disclaimer(manifest: dict[str, Any]) -> Check:
    problems = []
    for locale, info in _locales(manifest).items():
        markers = DISCLAIMER_MARKERS.get(locale.split("-")[0])
        description = str(info.get("description", "")).lower()
        if markers is None:
            problems.append(f"{locale}: no disclaimer wording known for its language")
        elif not all(marker in description for marker in markers):
            problems.append(f"{locale} description lacks the not-medical-advice disclaimer")
    return Check("disclaimer in every description", *_summarise(problems, "every locale"))


def _check_privacy(manifest: dict[str, Any], allow: bool) -> Check:
    privacy = manifest.get("privacyAndCompliance", {}).get("locales", {})
    problems, placeholders = [], 0
    for locale in _locales(manifest):
        url = privacy.get(locale, {}).get("privacyPolicyUrl")
        if not isinstance(url, str) or urlparse(url).scheme != "https" or not urlparse(url).netloc:
            problems.append(f"{locale} has no https privacyPolicyUrl")
        elif is_placeholder_url(url):
            placeholders += 1
            if not allow:
                problems.append(f"{locale} privacyPolicyUrl is a placeholder ({url})")
    missing = [
        lang
        for lang in sorted({loc.split("-")[0] for loc in _locales(manifest)})
        if not (PRIVACY_DIR / f"{lang}.html").is_file()
    ]
    problems += [f"no privacy policy docs/privacy/{lang}.html" for lang in missing]
    detail = "every locale" + (" (placeholders, allowed)" if placeholders else "")
    return Check("privacy policy URL in every locale", *_summarise(problems, detail))


def _check_limits(manifest: dict[str, Any]) -> Check:
    problems = []
    for locale, info in _locales(manifest).items():
        for field in ("name", "summary", "description"):
            text = info.get(field)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{locale} {field} is missing")
            elif len(text) > LIMITS[field]:
                problems.append(f"{locale} {field} is {len(text)} characters (> {LIMITS[field]})")
        phrases = info.get("examplePhrases") or []
        if not 1 <= len(phrases) <= LIMITS["examplePhrases"]:
            problems.append(f"{locale} has {len(phrases)} example phrases (1 to 3)")
        keywords = info.get("keywords") or []
        if len(keywords) > LIMITS["keywords"]:
            problems.append(f"{locale} has {len(keywords)} keywords (> {LIMITS['keywords']})")
        problems += [
            f"{locale} keyword {k!r} is too long" for k in keywords if len(k) > LIMITS["keyword"]
        ]
    return Check(
        "field limits (name 50, summary 120, description 4000, 3 phrases)",
        *_summarise(problems, "every locale"),
    )


def _phrase_problem(resolver: Any, phrase: str, first: bool) -> str | None:
    from .console import FALLBACK_INTENT

    wake = _WAKE_WORD.match(phrase)
    if not wake:
        return "does not start with the wake word"
    rest = phrase[wake.end() :]
    canonical = resolver.canonical(rest)
    if resolver.invocation not in canonical:
        return "does not name the skill"
    resolution = resolver.resolve(rest)
    if canonical in resolver.launch:
        return None
    if first:
        return "the first phrase must open the skill"
    if resolution.kind != "intent" or resolution.intent == FALLBACK_INTENT:
        return "resolves to no intent"
    return None


# Resolvers by (locale, the model's SHA-256): building one takes ~0.2 s, and the checks of the
# committed package and of a package made from it read the same 12 models.
_RESOLVERS: dict[tuple[str, str], Any] = {}


def _resolver(locale: str, package: Path) -> Any:
    from .console import Resolver

    model = (package / "interactionModels" / "custom" / f"{locale}.json").read_bytes()
    key = (locale, hashlib.sha256(model).hexdigest())
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver.for_locale(locale, package)
    return _RESOLVERS[key]


def _check_phrases(package: Path, manifest: dict[str, Any]) -> Check:
    problems = []
    models = _models(package)
    for locale, info in _locales(manifest).items():
        if locale not in models:
            continue  # reported by the model check
        resolver = _resolver(locale, package)
        for index, phrase in enumerate(info.get("examplePhrases") or []):
            problem = _phrase_problem(resolver, phrase, first=index == 0)
            if problem:
                problems.append(f"{locale} {phrase!r} {problem}")
    return Check(
        "example phrases: wake word, invocation name, each resolves",
        *_summarise(problems, "every locale"),
    )


def _check_apl(manifest: dict[str, Any]) -> Check:
    from .apl import APL_VERSION, ScreenView, apl_version_tuple, device_renders, render_directive
    from .content import EXERCISES
    from .locales import strings_for

    interfaces = [i.get("type") for i in manifest["apis"]["custom"].get("interfaces", [])]
    exercise = EXERCISES[0]
    view = ScreenView(exercise.id, 1, 1, exercise.reps, None, {}, 3)
    declared = render_directive(view, strings_for("en-US"))["document"]["version"]
    version = apl_version_tuple(declared) or ()
    older = ".".join(map(str, (*version[:-1], version[-1] - 1))) if version else ""
    problems = []
    if "ALEXA_PRESENTATION_APL" not in interfaces:
        problems.append("the manifest does not declare ALEXA_PRESENTATION_APL")
    if declared != APL_VERSION or not device_renders(declared) or device_renders(older):
        problems.append(f"document {declared!r} is not sent by runtime.maxVersion")
    return Check(
        "APL sent only to devices whose maxVersion covers it",
        *_summarise(problems, f"document {declared}; not sent to a device declaring {older}"),
    )


def _check_disabled(manifest: dict[str, Any]) -> Check:
    """Subscribed to SKILL_DISABLED, and the event deletes the user's progress (run for real)."""
    from datetime import date

    from .config import Config
    from .entry import make_handler
    from .store.sqlite import SqliteStore

    events = [s.get("eventName") for s in manifest.get("events", {}).get("subscriptions", [])]
    if "SKILL_DISABLED" not in events:
        return Check("disabling the skill deletes its data", False, "no SKILL_DISABLED event")
    user, day = "amzn1.ask.account.CERTIFY", date(2026, 1, 5)
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "certify.sqlite3")
        store.add_set(user, day, "toe_grips", 3)
        store.update_profile(user, time_zone="Europe/Berlin")
        handler = make_handler(Config(default_timezone="UTC"), store)
        handler(_disabled_event(user), None)
        snapshot = store.load(user, day)
        store.close()
    kept = snapshot.today.count("toe_grips") or snapshot.profile.time_zone
    return Check(
        "disabling the skill deletes its data",
        not kept,
        "kept after SKILL_DISABLED" if kept else "SKILL_DISABLED removes profile and days",
    )


def _disabled_event(user: str) -> dict[str, Any]:
    application = {"applicationId": "amzn1.ask.skill.certify"}
    return {
        "version": "1.0",
        "context": {"System": {"application": application, "user": {"userId": user}}},
        "request": {
            "type": "AlexaSkillEvent.SkillDisabled",
            "requestId": "amzn1.echo-api.request.certify",
            "timestamp": "2026-01-05T10:00:00Z",
            "eventCreationTime": "2026-01-05T10:00:00Z",
            "eventPublishingTime": "2026-01-05T10:00:00Z",
            "body": {"userInformation": {"persistenceStatus": "NOT_PERSISTED"}},
        },
    }


def certify(package: Path, allow_placeholders: bool = False) -> list[Check]:
    """Run every check on the skill package in ``package``.

    Parameters
    ----------
    package : Path
        A skill package directory: ``skill.json``, ``interactionModels/custom/<locale>.json``
        and the assets its ``file://`` URIs name.
    allow_placeholders : bool
        Pass the placeholder endpoint ARN (account 123456789012) and example.com privacy URLs,
        as the committed package has them.

    Returns
    -------
    list of Check
        One per checklist item, in a fixed order; a package passes when every ``ok`` is True.

    Raises
    ------
    FileNotFoundError, json.JSONDecodeError, KeyError
        When ``skill.json`` is missing or not a skill manifest.
    """
    manifest = _manifest(package)
    steps: list[Callable[[], Check]] = [
        lambda: _check_models(package, manifest),
        lambda: _check_icons(package, manifest),
        lambda: _check_endpoints(manifest, allow_placeholders),
        lambda: _check_disclaimer(manifest),
        lambda: _check_privacy(manifest, allow_placeholders),
        lambda: _check_limits(manifest),
        lambda: _check_phrases(package, manifest),
        lambda: _check_apl(manifest),
        lambda: _check_disabled(manifest),
    ]
    return [step() for step in steps]


def report(checks: list[Check]) -> Iterator[str]:
    """The lines ``leg-skill certify`` prints: one per check, then the count."""
    for check in checks:
        yield check.line()
    failed = sum(not c.ok for c in checks)
    yield f"certify: {len(checks) - failed} of {len(checks)} checks pass" + (
        f", {failed} fail" if failed else ""
    )
