"""Ready for certification: the package, its checks, the privacy policies, the icons, APL versions.

Everything here runs in-process on files (no AWS, no network): a few seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from skill import certify as certify_module
from skill.apl import APL_VERSION, apl_version_tuple, device_renders
from skill.certify import DISCLAIMER_MARKERS, certify, png_size
from skill.cli import main
from skill.config import Config
from skill.console import Console, Resolver
from skill.entry import make_handler
from skill.skillpackage import PackageRefused, build_package, stack_function_arn
from skill.store.base import DAY_ITEM_TTL_DAYS
from skill.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "interaction_model"
PRIVACY = ROOT / "docs" / "privacy"
ARN = "arn:aws:lambda:us-east-1:210987654321:function:leg-exercises-SkillFunction-AbC123"
PLACEHOLDER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:leg-exercises"
PRIVACY_BASE = "https://legs.example-host.net/privacy"
LANGUAGES = ("en", "de", "es", "fr", "it")


def manifest(package: Path = PACKAGE) -> dict:
    return json.loads((package / "skill.json").read_text(encoding="utf-8"))["manifest"]


def failing(package: Path, allow: bool = False) -> dict[str, str]:
    return {c.item: c.detail for c in certify(package, allow_placeholders=allow) if not c.ok}


def copy_package(tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(PACKAGE, target)
    return target


def edit(package: Path, change) -> None:
    path = package / "skill.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["manifest"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# --- the committed package -------------------------------------------------------------------


def test_the_committed_package_passes_with_its_placeholders_allowed():
    assert failing(PACKAGE, allow=True) == {}


def test_without_the_flag_the_placeholders_fail():
    failed = failing(PACKAGE)
    assert set(failed) == {
        "endpoints are the deployed function",
        "privacy policy URL in every locale",
    }
    assert "123456789012" in failed["endpoints are the deployed function"]


def test_every_locale_has_icons_a_disclaimer_and_a_privacy_url():
    data = manifest()
    privacy = data["privacyAndCompliance"]["locales"]
    for locale, info in data["publishingInformation"]["locales"].items():
        language = locale.split("-")[0]
        assert png_size(PACKAGE / info["smallIconUri"].removeprefix("file://")) == (108, 108)
        assert png_size(PACKAGE / info["largeIconUri"].removeprefix("file://")) == (512, 512)
        description = info["description"].lower()
        assert all(marker in description for marker in DISCLAIMER_MARKERS[language]), locale
        assert privacy[locale]["privacyPolicyUrl"].endswith(f"/{language}.html")
        assert len(info["summary"]) <= 120, locale


@pytest.mark.parametrize(
    ("change", "item", "words"),
    [
        (
            lambda m: m["publishingInformation"]["locales"]["fr-FR"].update(summary="x" * 121),
            "field limits (name 50, summary 120, description 4000, 3 phrases)",
            "fr-FR summary is 121 characters",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["de-DE"].update(name="B" * 51),
            "field limits (name 50, summary 120, description 4000, 3 phrases)",
            "de-DE name is 51 characters",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["it-IT"]["examplePhrases"].append(
                "Alexa, apri esercizi per le gambe"
            ),
            "field limits (name 50, summary 120, description 4000, 3 phrases)",
            "it-IT has 4 example phrases",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["es-MX"].update(
                description="Una rutina corta para pies y piernas."
            ),
            "disclaimer in every description",
            "es-MX description lacks",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["en-GB"].update(
                smallIconUri="file://assets/images/large.png"
            ),
            "icons present, PNG, 108x108 and 512x512",
            "en-GB smallIconUri: file://assets/images/large.png is 512x512",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["en-US"].update(
                largeIconUri="file://assets/images/missing.png"
            ),
            "icons present, PNG, 108x108 and 512x512",
            "missing or not a PNG",
        ),
        (
            lambda m: m["privacyAndCompliance"]["locales"].pop("it-IT"),
            "privacy policy URL in every locale",
            "it-IT has no https privacyPolicyUrl",
        ),
        (
            lambda m: m["events"]["endpoint"].update(uri=ARN),
            "endpoints are the deployed function",
            "different functions",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["en-US"]["examplePhrases"].__setitem__(
                1, "Alexa, ask leg exercises to sing me a song"
            ),
            "example phrases: wake word, invocation name, each resolves",
            "resolves to no intent",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["de-DE"]["examplePhrases"].__setitem__(
                0, "Öffne Beinübungen"
            ),
            "example phrases: wake word, invocation name, each resolves",
            "does not start with the wake word",
        ),
        (
            lambda m: m["publishingInformation"]["locales"]["en-AU"]["examplePhrases"].__setitem__(
                2, "Alexa, how am I going"
            ),
            "example phrases: wake word, invocation name, each resolves",
            "does not name the skill",
        ),
        (
            lambda m: m["events"].update(subscriptions=[]),
            "disabling the skill deletes its data",
            "no SKILL_DISABLED event",
        ),
    ],
)
def test_each_broken_item_fails_and_says_where(tmp_path, change, item, words):
    package = copy_package(tmp_path)
    edit(package, change)
    failed = failing(package, allow=True)
    assert item in failed and words in failed[item], failed
    assert len(failed) == 1, failed


def test_a_locale_without_a_model_fails(tmp_path):
    package = copy_package(tmp_path)
    (package / "interactionModels" / "custom" / "it-IT.json").unlink()
    assert (
        "it-IT has no interaction model"
        in failing(package, allow=True)["every locale has an interaction model"]
    )


def test_the_disabled_check_runs_the_real_event(tmp_path, monkeypatch):
    monkeypatch.setattr(SqliteStore, "delete_user", lambda self, user_id: None)
    failed = failing(PACKAGE, allow=True)
    assert failed == {"disabling the skill deletes its data": "kept after SKILL_DISABLED"}


def test_certify_prints_an_item_per_line_and_exits_1_on_a_fail(tmp_path, capsys):
    assert main(["certify", "--allow-placeholders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10 and all(line.startswith("PASS  ") for line in lines[:-1])
    assert lines[-1] == "certify: 9 of 9 checks pass"
    assert main(["certify"]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL  ") == 2 and out.rstrip().endswith("7 of 9 checks pass, 2 fail")
    assert main(["certify", "--package", str(tmp_path)]) == 2


# --- make skill-package ----------------------------------------------------------------------


def test_the_package_gets_the_arn_the_privacy_urls_and_the_icons(tmp_path):
    packaged = build_package(tmp_path / "skill-package", ARN, PRIVACY_BASE + "/")
    built = manifest(packaged.directory)
    assert built["apis"]["custom"]["endpoint"]["uri"] == ARN
    assert built["events"]["endpoint"]["uri"] == ARN
    for locale, entry in built["privacyAndCompliance"]["locales"].items():
        assert entry["privacyPolicyUrl"] == f"{PRIVACY_BASE}/{locale.split('-')[0]}.html"
    for name in ("small.png", "large.png"):
        copied = packaged.directory / "assets" / "images" / name
        assert copied.read_bytes() == (PACKAGE / "assets" / "images" / name).read_bytes()
    assert not (packaged.directory / "name_free").exists()
    assert failing(packaged.directory) == {}
    with zipfile.ZipFile(packaged.archive) as archive:
        names = archive.namelist()
        assert "skill.json" in names and "assets/images/large.png" in names
        assert "interactionModels/custom/fr-CA.json" in names
        assert json.loads(archive.read("skill.json"))["manifest"] == built
    first = packaged.archive.read_bytes()
    again = build_package(tmp_path / "skill-package", ARN, PRIVACY_BASE)
    assert again.archive.read_bytes() == first  # the same inputs, the same bytes


@pytest.mark.parametrize(
    ("arn", "url", "words"),
    [
        (PLACEHOLDER_ARN, PRIVACY_BASE, "placeholder ARN (account 123456789012)"),
        ("arn:aws:lambda:us-east-1:42:function:x", PRIVACY_BASE, "not a Lambda function ARN"),
        (ARN, "http://legs.example-host.net/privacy", "not an https URL"),
        (ARN, "https://example.com/privacy", "is a placeholder"),
        # The policies say the data is kept in us-east-1: a function elsewhere contradicts them.
        (ARN.replace("us-east-1", "eu-west-1"), PRIVACY_BASE, "kept in us-east-1, but the"),
    ],
)
def test_unusable_arguments_are_refused_before_anything_is_written(tmp_path, arn, url, words):
    with pytest.raises(PackageRefused, match=re.escape(words)):
        build_package(tmp_path / "out", arn, url)
    assert not (tmp_path / "out").exists()


def test_a_package_failing_a_check_is_refused_and_removed(tmp_path):
    source = copy_package(tmp_path)
    (source / "assets" / "images" / "small.png").unlink()
    with pytest.raises(
        PackageRefused, match=re.escape("smallIconUri: file://assets/images/small.png")
    ):
        build_package(tmp_path / "out", ARN, PRIVACY_BASE, source=source)
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.zip").exists()


def test_the_command_refuses_in_one_line_with_exit_2(tmp_path, capsys):
    out = str(tmp_path / "out")
    code = main(["skill-package", "--function-arn", PLACEHOLDER_ARN, "--out", out,
                 "--privacy-base-url", PRIVACY_BASE])  # fmt: skip
    error = capsys.readouterr().err
    assert code == 2 and error.count("\n") == 1
    assert error.startswith("leg-skill skill-package: refused: ") and "123456789012" in error
    assert main(["skill-package", "--function-arn", ARN, "--out", out]) == 2
    assert "--privacy-base-url" in capsys.readouterr().err
    # `make skill-package` without ARN= passes an empty ARN: say what to give, not "not both".
    assert main(["skill-package", "--function-arn", "", "--out", out]) == 2
    assert "ARN=arn:aws:lambda:" in capsys.readouterr().err
    code = main(["skill-package", "--function-arn", ARN, "--out", out,
                 "--privacy-base-url", PRIVACY_BASE])  # fmt: skip
    assert code == 0 and manifest(Path(out))["events"]["endpoint"]["uri"] == ARN


def test_the_arn_can_come_from_the_stack_output():
    outputs = [
        {"OutputKey": "ProgressTableName", "OutputValue": "table"},
        {"OutputKey": "SkillFunctionArn", "OutputValue": ARN},
    ]
    asked = []

    def describe(stack, region):
        asked.append((stack, region))
        return outputs

    assert stack_function_arn("leg-exercises", "us-east-1", describe) == ARN
    assert asked == [("leg-exercises", "us-east-1")]
    with pytest.raises(PackageRefused, match="no SkillFunctionArn output"):
        stack_function_arn("other", None, lambda stack, region: outputs[:1])

    def broken(stack, region):
        raise RuntimeError("no credentials")

    with pytest.raises(PackageRefused, match="cannot read stack other: RuntimeError"):
        stack_function_arn("other", None, broken)


# --- the privacy policies --------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    def handle_data(self, data):
        self.parts.append(data)


def policy(language: str) -> tuple[str | None, str]:
    parser = _Text()
    parser.feed((PRIVACY / f"{language}.html").read_text(encoding="utf-8"))
    return parser.lang, " ".join(" ".join(parser.parts).split())


# What each policy must say, in its own language: the facts the code decides.
POLICY_FACTS = {
    "en": ["user ID", "time zone", "reminder", f"{DAY_ITEM_TTL_DAYS} days", "30 days",
           "Disabling the skill", "not shared", "us-east-1"],
    "de": ["Nutzer-ID", "Zeitzone", "Erinnerung", f"{DAY_ITEM_TTL_DAYS} Tage", "30 Tagen",
           "deaktivierst", "weitergegeben", "us-east-1"],
    "es": ["ID de usuario", "zona horaria", "recordatorio", f"{DAY_ITEM_TTL_DAYS} días",
           "30 días", "desactivar la skill", "no se comparten", "us-east-1"],
    "fr": ["identifiant", "fuseau horaire", "rappel", f"{DAY_ITEM_TTL_DAYS} jours", "30 jours",
           "Désactiver la skill", "ni partagées", "us-east-1"],
    "it": ["ID utente", "fuso orario", "promemoria", f"{DAY_ITEM_TTL_DAYS} giorni",
           "30 giorni", "Disattivando la skill", "condivisi", "us-east-1"],
}  # fmt: skip
# The commands each policy quotes, and the intent each must reach in that language's model.
POLICY_COMMANDS = {
    "en-US": {"reset today": "ResetTodayIntent", "stop my reminder": "CancelReminderIntent"},
    "de-DE": {"heute zurücksetzen": "ResetTodayIntent",
              "stopp meine Erinnerung": "CancelReminderIntent"},
    "es-ES": {"reinicia hoy": "ResetTodayIntent",
              "cancela mi recordatorio": "CancelReminderIntent"},
    "fr-FR": {"remets la journée à zéro": "ResetTodayIntent",
              "annule mon rappel": "CancelReminderIntent"},
    "it-IT": {"azzera oggi": "ResetTodayIntent",
              "cancella il mio promemoria": "CancelReminderIntent"},
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_policy_states_what_is_kept_for_how_long_and_that_nothing_is_shared(language):
    lang, text = policy(language)
    assert lang == language
    missing = [fact for fact in POLICY_FACTS[language] if fact not in text]
    assert not missing, missing


def test_the_policies_match_the_template_and_the_code():
    template = (ROOT / "template.yaml").read_text(encoding="utf-8")
    assert "RetentionInDays: 30" in template  # the log lines' 30 days
    assert "PointInTimeRecoveryEnabled: true" in template  # the backups the policies mention
    assert DAY_ITEM_TTL_DAYS == 35


@pytest.mark.parametrize("locale", sorted(POLICY_COMMANDS))
def test_the_commands_a_policy_quotes_do_what_it_says(locale):
    resolver = Resolver.for_locale(locale)
    _, text = policy(locale.split("-")[0])
    for command, intent in POLICY_COMMANDS[locale].items():
        assert command in text
        assert resolver.resolve(command).intent == intent, command


# --- the icons -------------------------------------------------------------------------------


def test_the_committed_icons_are_what_the_drawings_give():
    image = pytest.importorskip("PIL.Image")
    from io import BytesIO

    from PIL import ImageChops

    from skill.icons import ICON_SIZES, ICONS_DIR, parse_path, render_icon

    for name, size in ICON_SIZES.items():
        drawn = image.open(BytesIO(render_icon(size))).convert("RGB")
        committed = image.open(ICONS_DIR / name).convert("RGB")
        assert drawn.size == committed.size == (size, size)
        difference = ImageChops.difference(drawn, committed).convert("L").histogram()
        assert sum(difference[9:]) <= size * size // 100, name  # at most 1% of pixels differ
        colours = committed.getcolors(maxcolors=size * size) or []
        assert len(colours) > 50  # a drawing, not a blank square
    assert parse_path("M0,0 H10 V10 Z") == [([(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)], True)]
    with pytest.raises(ValueError, match="not supported"):
        parse_path("m0,0 l10,0")


# --- APL only in a version the device declares -----------------------------------------------


@pytest.mark.parametrize(
    ("declared", "renders"),
    [
        ("2023.3", True),
        ("2024.1", True),
        ("2023.10", True),
        ("2023.2", False),
        ("2022.2", False),
        ("1.9", False),
        ("1.0", False),
        (None, False),
        ("", False),
        ("latest", False),
        (2023.3, False),
    ],
)
def test_the_document_goes_only_to_runtimes_that_declare_its_version(declared, renders):
    assert device_renders(declared) is renders
    assert apl_version_tuple("1.9") < apl_version_tuple("2022.1") < apl_version_tuple("2023.3")


MISSING = object()


def screen_console(tmp_path: Path, runtime) -> Console:
    console = Console(
        make_handler(Config(default_timezone="UTC"), SqliteStore(tmp_path / "p.sqlite3")),
        Resolver.for_locale("en-US"),
        user_id="amzn1.ask.account.APLVERSION",
        clock=lambda: datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
        screen=True,
    )
    plain = console.envelope

    def envelope(request, new_session):
        built = plain(request, new_session)
        interfaces = built["context"]["System"]["device"]["supportedInterfaces"]
        if runtime is MISSING:
            interfaces["Alexa.Presentation.APL"] = {}
        else:
            interfaces["Alexa.Presentation.APL"]["runtime"] = runtime
        return built

    console.envelope = envelope  # type: ignore[method-assign]
    return console


def documents(response: dict) -> list[dict]:
    return [
        d["document"]
        for d in response["response"].get("directives", [])
        if d["type"] == "Alexa.Presentation.APL.RenderDocument"
    ]


@pytest.mark.parametrize(
    ("runtime", "shown"),
    [
        ({"maxVersion": "2023.3"}, True),
        ({"maxVersion": "2024.2"}, True),
        ({"maxVersion": "2023.2"}, False),
        ({"maxVersion": "1.6"}, False),
        ({}, False),
        (MISSING, False),
    ],
    ids=["2023.3", "2024.2", "2023.2", "1.6", "no maxVersion", "no runtime"],
)
def test_a_screen_with_an_older_runtime_gets_no_document_and_the_same_words(
    tmp_path, runtime, shown
):
    console = screen_console(tmp_path / "a", runtime)
    reference = screen_console(tmp_path / "b", {"maxVersion": APL_VERSION})
    sent, expected_sent = [], []
    for utterance in ("open leg exercises", "start my leg exercises", "next"):
        response, expected = console.say(utterance), reference.say(utterance)
        assert Console.speech_of(response) == Console.speech_of(expected)
        sent += documents(response)
        expected_sent += documents(expected)
    assert expected_sent and {d["version"] for d in expected_sent} == {APL_VERSION}
    assert sent == (expected_sent if shown else [])


def test_certify_module_limits_are_the_manifest_references():
    # Amazon's skill manifest reference: name 50, description 4000, three example phrases; the
    # summary is held to the 120 the certification feedback quoted (the reference allows 160).
    assert certify_module.LIMITS["name"] == 50
    assert certify_module.LIMITS["summary"] == 120
    assert certify_module.LIMITS["description"] == 4000
    assert certify_module.LIMITS["examplePhrases"] == 3
