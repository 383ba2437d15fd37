"""``leg-skill``: chat with the skill on a local store (and, later, serve or benchmark it)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from .config import Config

__all__ = ["main"]


def _chat(args: argparse.Namespace) -> int:
    from .console import Console, Resolver, chat, local_zone_name
    from .entry import make_handler
    from .store.sqlite import SqliteStore

    store = SqliteStore(args.store)
    config = Config(default_timezone=args.timezone or local_zone_name(), budget_seconds=args.budget)
    try:
        resolver = Resolver.for_locale(args.locale)
    except FileNotFoundError:
        print(f"leg-skill: no interaction model for locale {args.locale}", file=sys.stderr)
        return 2
    console = Console(make_handler(config, store), resolver, user_id=args.user, locale=args.locale)
    audio = None
    if args.speak or args.record is not None:
        from .audio import AudioOutput

        # Without espeak-ng (or a player) this says so in one line and the chat goes on as text.
        audio = AudioOutput.open(args.speak, args.record, args.locale)
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
    from .exceptions import ConfigError
    from .web import serve

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
        "--store", default=None, help="SQLite file for progress (default: your data directory)"
    )
    chat.add_argument("--locale", default="en-US")
    chat.add_argument(
        "--timezone", default=None, help="IANA zone for 'today' (default: this machine's)"
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
        type=float,
        default=Config().budget_seconds,
        help="longest spoken-plus-paused time of one reply, in seconds",
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    run: Callable[[argparse.Namespace], int] = args.run  # _chat or _serve (set_defaults)
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
