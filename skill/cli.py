"""``leg-skill``: chat with the skill on a local store, serve it, package and certify it."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from .clock import parse_instant, starting_at
from .config import MAX_BUDGET_SECONDS, MIN_BUDGET_SECONDS, Config
from .progress import zone_name_or_none

__all__ = ["main"]

_REPO = Path(__file__).resolve().parent.parent


def _chat(args: argparse.Namespace) -> int:
    from .console import Console, Resolver, chat, local_zone_name, model_locales
    from .entry import make_handler
    from .store.sqlite import SqliteStore

    config = Config(default_timezone=args.timezone or local_zone_name(), budget_seconds=args.budget)
    try:
        resolver = Resolver.for_locale(args.locale)
    except FileNotFoundError:
        known = ", ".join(model_locales())
        print(
            f"leg-skill: no interaction model for locale {args.locale} (there are: {known})",
            file=sys.stderr,
        )
        return 2
    store = SqliteStore(args.store)  # once the arguments are known to be usable
    console = Console(
        make_handler(config, store),
        resolver,
        user_id=args.user,
        person_id=args.person,
        locale=args.locale,
        clock=starting_at(args.now) if args.now is not None else None,
    )
    audio = None
    if args.speak or args.record is not None:
        from .audio import AudioError, AudioOutput

        # --record that cannot record stops here, in one line, before the chat starts. --speak
        # degrades: without the engine the chat stays text, without a player replies are not
        # played (and are still recorded); each says so in one line.
        try:
            audio = AudioOutput.open(args.speak, args.record, args.locale)
        except AudioError as exc:
            print(exc, file=sys.stderr)
            return 2
    interactive = sys.stdin.isatty()
    if interactive:
        print(
            f"Progress is kept in {store.path}. Type what you would say to Alexa, "
            "for example: open leg exercises. Ctrl-D to leave."
        )
    try:
        chat(
            console,
            sys.stdin,
            realtime=args.realtime or args.speak,
            prompt=interactive,
            audio=audio,
        )
    except KeyboardInterrupt:
        console.end_session("USER_INITIATED")
        print()
    return 0


def _serve(args: argparse.Namespace) -> int:
    import importlib

    from .exceptions import ConfigError

    try:  # the web extra: Flask and flask-ask-sdk for the app, waitress (imported late) to serve
        from .web import serve

        importlib.import_module("waitress")
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] == __package__:
            raise  # a module of this package is missing: a bug, not a missing extra
        why = f"cannot import {exc.name}" if exc.name else " ".join(str(exc).split())
        print(
            f"leg-skill: serve needs the web extra ({why}): pip install 'leg-skill[web]'",
            file=sys.stderr,
        )
        return 2
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"leg-skill: {exc}", file=sys.stderr)
        return 2
    if not config.skill_id and not args.dev_insecure_no_verify:
        print("leg-skill: set SKILL_ID to your skill's ID (amzn1.ask.skill....)", file=sys.stderr)
        return 2
    serve(config, args.host, args.port, allow_unverified=args.dev_insecure_no_verify)
    return 0


def _certify(args: argparse.Namespace) -> int:
    from .certify import certify, report

    package = Path(args.package)
    try:
        checks = certify(package, allow_placeholders=args.allow_placeholders)
    except (OSError, ValueError, KeyError) as exc:
        print(f"leg-skill certify: {package} is not a skill package ({exc})", file=sys.stderr)
        return 2
    for line in report(checks):
        print(line)
    return 0 if all(c.ok for c in checks) else 1


def _skill_package(args: argparse.Namespace) -> int:
    from .skillpackage import PackageRefused, build_package, stack_function_arn

    try:
        if not args.function_arn and not args.stack:
            raise PackageRefused(
                "give the deployed function's ARN (make skill-package ARN=arn:aws:lambda:...) "
                "or its stack (STACK=...)"
            )
        if args.function_arn and args.stack:
            raise PackageRefused("give the function's ARN (--function-arn) or a --stack, not both")
        if not args.privacy_base_url:
            raise PackageRefused(
                "give --privacy-base-url (where docs/privacy/*.html are published)"
            )
        arn = args.function_arn or stack_function_arn(args.stack, args.region)
        packaged = build_package(Path(args.out), arn, args.privacy_base_url)
    except PackageRefused as exc:
        print(f"leg-skill skill-package: refused: {exc}", file=sys.stderr)
        return 2
    print(f"{packaged.directory} and {packaged.archive}: every certification check passes")
    return 0


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time such as 2026-11-24T15:00:00Z"
        ) from None


def _zone(text: str) -> str:
    name = zone_name_or_none(text)
    if name is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IANA time zone such as Europe/Berlin")
    return name


def _budget(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not MIN_BUDGET_SECONDS <= seconds <= MAX_BUDGET_SECONDS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a number of seconds from {MIN_BUDGET_SECONDS:g} "
            f"to {MAX_BUDGET_SECONDS:g}"
        )
    return seconds


def _person(name: str) -> str:
    """``--person alice`` -> ``amzn1.ask.person.ALICE``: the form of Alexa's person IDs."""
    if not name.isascii() or not name.isalnum() or len(name) > 40:
        raise argparse.ArgumentTypeError("a name of letters and digits, at most 40")
    return f"amzn1.ask.person.{name.upper()}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leg-skill", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="talk to the skill by typing what you would say")
    chat.add_argument(
        "--user",
        default="amzn1.ask.account.console-user",
        help="who is talking; progress is kept per user",
    )
    chat.add_argument(
        "--store",
        default=os.environ.get("LEG_SKILL_DB") or None,
        help="SQLite file for progress (default: $LEG_SKILL_DB, else your data directory)",
    )
    chat.add_argument(
        "--person",
        type=_person,
        default=None,
        metavar="NAME",
        help="speak as a person Alexa recognises by voice (skill personalization): their "
        "progress and settings are their own, apart from the account's (--user)",
    )
    chat.add_argument("--locale", default="en-US")
    chat.add_argument(
        "--timezone",
        type=_zone,
        default=None,
        help="IANA zone for 'today', e.g. Europe/Berlin (default: this machine's)",
    )
    chat.add_argument(
        "--now",
        type=_instant,
        default=None,
        metavar="ISO-TIME",
        help="start the console's clock at this instant, e.g. 2026-11-24T15:00:00Z "
        "(default: the system clock); it then runs on in real time",
    )
    chat.add_argument(
        "--realtime",
        action="store_true",
        help="wait out holds and rests for real, with a countdown",
    )
    chat.add_argument(
        "--speak",
        action="store_true",
        help="say each reply aloud with espeak-ng, pauses exact (implies --realtime)",
    )
    chat.add_argument(
        "--record",
        metavar="DIR",
        default=None,
        help="write each reply as a numbered WAV file (001.wav ...) in DIR",
    )
    chat.add_argument(
        "--budget",
        type=_budget,
        default=Config().budget_seconds,
        help=f"longest spoken-plus-paused time of one reply, in seconds "
        f"({MIN_BUDGET_SECONDS:g} to {MAX_BUDGET_SECONDS:g})",
    )
    chat.set_defaults(run=_chat)

    serve = commands.add_parser(
        "serve",
        help="run the skill as a web service (put it behind an HTTPS proxy)",
        description="Serve the skill over HTTP for Alexa. Settings come from the environment: "
        "SKILL_ID (required), TABLE_NAME or LEG_SKILL_DB, LEG_SKILL_TIMEZONE.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--dev-insecure-no-verify",
        action="store_true",
        help="DEVELOPMENT ONLY: accept requests without Alexa's signature",
    )
    serve.set_defaults(run=_serve)

    certify = commands.add_parser(
        "certify",
        help="check a skill package against the certification checklist (PASS/FAIL per item)",
    )
    certify.add_argument(
        "--package",
        default=str(_REPO / "interaction_model"),
        help="the skill package directory (default: the committed interaction_model/)",
    )
    certify.add_argument(
        "--allow-placeholders",
        action="store_true",
        help="pass the committed package's placeholder ARN and example.com privacy URLs",
    )
    certify.set_defaults(run=_certify)

    package = commands.add_parser(
        "skill-package",
        help="write the skill package to submit: endpoints, privacy URLs, icons; certified",
    )
    package.add_argument("--function-arn", help="the deployed function's ARN")
    package.add_argument("--stack", help="read the ARN from this stack's SkillFunctionArn output")
    package.add_argument("--region", default=None, help="the stack's region (with --stack)")
    package.add_argument(
        "--privacy-base-url",
        help="https URL under which <lang>.html (en, de, es, fr, it) is the privacy policy",
    )
    package.add_argument("--out", default=str(_REPO / "build" / "skill-package"))
    package.set_defaults(run=_skill_package)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    run: Callable[[argparse.Namespace], int] = args.run  # _chat, _serve ... (set_defaults)
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
