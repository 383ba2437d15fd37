"""The Lambda package: build it as `make package` does, then run its handler in a bare Python.

The build (scripts/build_lambda.py) downloads the arm64 / CPython 3.13 wheels from PyPI (pip's
cache makes later runs quick) into a temporary directory, once for this module. The handler then
runs in a fresh interpreter started with ``-B -I -S``: no site-packages, no PYTHON* variables,
no current directory on the path, no bytecode written (/var/task is read-only), only the package
directory put first on ``sys.path`` as Lambda puts /var/task; once with this Python and once with
the runtime's version (python3.13) where this machine has one. So a dependency missing from the
package, a web-only module it still needs, or a compiled extension on the cold path (the wheels
are for aarch64, this machine may not be) fails here rather than on the first real request.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "build_lambda.py"
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000abcd"
USER_ID = "amzn1.ask.account.PACKAGETEST"
# Distributions the web host or the tests need; none of them may reach the Lambda package.
FORBIDDEN = {
    "flask",
    "werkzeug",
    "cryptography",
    "oscrypto",
    "asn1crypto",
    "flask_ask_sdk",
    "ask_sdk_webservice_support",
    "waitress",
    "pytest",
    "_pytest",
    "hypothesis",
}
WEB_ONLY_MODULES = ("skill/web.py", "skill/webverify.py", "skill/_oscrypto_fix.py")


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_lambda", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


build_lambda = _load_build_script()


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """Build once: returns (build directory, package directory, zip, seconds the build took).

    The SAM template goes to <build directory>/sam/template.yaml instead of .aws-sam/build/.
    """
    out = tmp_path_factory.mktemp("package")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--out",
            str(out),
            "--sam-template",
            str(out / "sam" / "template.yaml"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        pytest.fail(
            f"scripts/build_lambda.py failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return out, out / "lambda", out / "lambda.zip", seconds


def _top_level(name: str) -> str:
    first = name.split("/", 1)[0]
    if first.endswith(".dist-info"):
        first = first[: -len(".dist-info")].rsplit("-", 1)[0]
    return re.sub(r"[-.]+", "_", first.split(".py", 1)[0]).lower()


def test_zip_exists_and_holds_only_the_runtime(package, capsys):
    _, directory, archive, seconds = package
    assert archive.is_file()
    unzipped = sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())
    with capsys.disabled():
        print(
            f"\nLambda package: {archive.stat().st_size / 1e6:.1f} MB zipped, "
            f"{unzipped / 1e6:.1f} MB unzipped, built in {seconds:.0f} s"
        )
    # Lambda's limits: 50 MB zipped for a direct upload, 250 MB unzipped.
    assert archive.stat().st_size < 50_000_000
    assert unzipped < 250_000_000
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert zipped.testzip() is None
    tops = {_top_level(name) for name in names}
    assert not tops & FORBIDDEN, sorted(tops & FORBIDDEN)
    assert {"lambda_function", "skill", "ask_sdk_core", "ask_sdk_model", "tzdata"} <= tops
    # The runtime provides boto3 and botocore; the request path does not import them.
    assert not tops & {"boto3", "botocore", "s3transfer", "jmespath"}, sorted(tops)
    # About 2.5 MB of code and data, and as much again of bytecode for python3.13.
    assert archive.stat().st_size < 8_000_000
    assert "lambda_function.py" in names
    assert "skill/locales/en.json" in names
    assert "skill/entry.py" in names
    for module in WEB_ONLY_MODULES:
        assert module not in names
    compiled = [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert all(name.endswith(".cpython-313.pyc") for name in compiled), compiled[:5]
    assert any(name.endswith(".dist-info/METADATA") for name in names)  # dist-info kept


def test_babel_keeps_only_the_cldr_data_of_the_spoken_locales(package):
    """Babel ships about 1000 locales; the package keeps the 12 spoken ones, their languages,
    the parents Babel merges them over (en_001, es_419) and root."""
    _, directory, _, _ = package
    kept = {path.stem for path in (directory / "babel" / "locale-data").glob("*.dat")}
    regions = {
        "en_US", "en_GB", "en_CA", "en_AU", "en_IN", "de_DE", "es_ES", "es_MX", "es_US",
        "fr_FR", "fr_CA", "it_IT",
    }  # fmt: skip
    assert kept == regions | {"root", "en", "de", "es", "fr", "it", "en_001", "es_419"}
    assert (directory / "babel" / "global.dat").is_file()


def test_zip_is_deterministic(package, tmp_path):
    _, directory, archive, _ = package
    with zipfile.ZipFile(archive) as zipped:
        infos = zipped.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    again = tmp_path / "again.zip"
    build_lambda.write_zip(directory, again)
    assert again.read_bytes() == archive.read_bytes()


def test_build_directory_is_stripped(package):
    _, directory, _, _ = package
    # This machine's bytecode is gone; only the runtime's (python3.13) may be there.
    assert not [p for p in directory.rglob("*.pyc") if not p.name.endswith(".cpython-313.pyc")]
    assert not (directory / "bin").exists()
    assert not [path for path in directory.iterdir() if path.name.endswith(".txt")]


@pytest.mark.skipif(
    build_lambda.find_runtime_python("3.13") is None, reason="no python3.13 on this machine"
)
def test_every_module_ships_bytecode_python313_loads_from_a_read_only_directory(package):
    """Each module has a python3.13 .pyc that is used without checking the source's mtime
    (PEP 552 unchecked-hash: flags 0b01), as /var/task is read-only and the zip keeps no
    timestamps; the path compiled in is /var/task's."""
    _, directory, _, _ = package
    sources = [p for p in directory.rglob("*.py")]
    missing = [
        p for p in sources if not (p.parent / "__pycache__" / f"{p.stem}.cpython-313.pyc").is_file()
    ]
    assert sources and not missing, missing[:5]
    entry = (directory / "skill" / "__pycache__" / "entry.cpython-313.pyc").read_bytes()
    assert int.from_bytes(entry[4:8], "little") == 0b01  # hash-based, source not checked
    assert b"/var/task/skill/entry.py" in entry


def test_sam_template_deploys_the_zip(package):
    """The built template is template.yaml with the function's code replaced by the zip."""
    from dynamodb_local import load_template

    out, _, archive, _ = package
    built = out / "sam" / "template.yaml"
    original, rewritten = load_template(REPO_ROOT / "template.yaml"), load_template(built)
    code_uri = rewritten["Resources"]["SkillFunction"]["Properties"].pop("CodeUri")
    assert (built.parent / code_uri).resolve() == archive.resolve()
    assert original["Resources"]["SkillFunction"]["Properties"].pop("CodeUri") == "lambda/"
    assert rewritten == original  # the build method's Metadata too: sam deploy ignores it


def test_sam_build_ships_what_make_package_ships(package, tmp_path):
    """template.yaml's makefile build method runs the same script, whose --artifacts copy is the
    package file for file (checked with SAM CLI 1.170.0: `sam build` runs it and succeeds)."""
    from dynamodb_local import load_template

    metadata = load_template(REPO_ROOT / "template.yaml")["Resources"]["SkillFunction"]["Metadata"]
    assert metadata == {"BuildMethod": "makefile", "ContextPath": ".", "WorkingDirectory": "."}
    artifacts = tmp_path / "artifacts"
    dry_run = subprocess.run(
        ["make", "-n", "build-SkillFunction", f"ARTIFACTS_DIR={artifacts}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f'scripts/build_lambda.py --artifacts "{artifacts}"' in dry_run.stdout
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--out",
            str(tmp_path / "out"),
            "--artifacts",
            str(artifacts),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (tmp_path / "out" / "sam").exists()  # SAM writes its own template

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    _, directory, _, _ = package
    assert files(artifacts) == files(directory)


def test_pins_cover_the_runtime_dependencies():
    """lambda/requirements.txt pins every runtime dependency within pyproject.toml's range,
    but those the Lambda runtime provides (boto3), which it leaves out."""
    from packaging.requirements import Requirement

    _, pins = build_lambda.read_pins()
    for dependency in build_lambda.runtime_dependencies():
        requirement = Requirement(dependency)
        name = build_lambda.normalize(requirement.name)
        if name in build_lambda.RUNTIME_PROVIDED:
            assert name not in pins, f"{name} is provided by the runtime: not to be pinned"
            continue
        assert name in pins, f"{name} is not pinned; run python scripts/build_lambda.py --lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])
    lines = (REPO_ROOT / "lambda" / "requirements.txt").read_text().splitlines()
    assert "." in lines  # sam build installs the skill package from the project root


# -- the handler in a bare interpreter --------------------------------------------------------

SMOKE = r"""
import json, os, sys, time, zoneinfo
package = os.path.abspath(sys.argv[1])
sys.path.insert(0, package)
# As on a machine with no zone database: the zones must come from the packaged tzdata.
zoneinfo.reset_tzpath(to=())
started = time.perf_counter()
import lambda_function
import_seconds = time.perf_counter() - started
launch, how_to = json.loads(sys.argv[2]), json.loads(sys.argv[3])
first = lambda_function.lambda_handler(launch, None)
how_to["session"]["attributes"] = first.get("sessionAttributes") or {}
second = lambda_function.lambda_handler(how_to, None)
unused = ("datastore", "device_address", "directive", "endpoint_enumeration", "list_management",
          "lwa", "monetization", "proactive_events", "skill_messaging", "timer_management")
unused_loaded = sorted(n for n in sys.modules if n.split(".")[2:3] and n.split(".")[2] in unused
                       and n.startswith("ask_sdk_model.services."))
babel_loaded = "babel" in sys.modules
# The SDK's own name for the factory still builds the SDK's factory, with its real clients.
import ask_sdk_core.skill as core
from ask_sdk_model.services import ApiConfiguration
factory = core.ServiceClientFactory(api_configuration=ApiConfiguration(
    serializer=None, api_client=None, authorization_value="token",
    api_endpoint="https://api.amazonalexa.com"))
built = [type(factory).__module__ + "." + type(factory).__name__,
         type(factory.get_ups_service()).__name__,
         type(factory.get_list_management_service()).__name__]
stdlib = os.path.dirname(os.__file__)
elsewhere, extensions = [], []
for name, module in sorted(sys.modules.items()):
    path = getattr(module, "__file__", None)
    if not path:
        continue
    path = os.path.abspath(path)
    if path.startswith(package + os.sep):
        if not path.endswith(".py"):
            extensions.append(path)
    elif not path.startswith(stdlib + os.sep):
        elsewhere.append(f"{name}: {path}")
print(json.dumps({
    "version": list(sys.version_info[:2]),
    "responses": [first, second],
    "import_seconds": import_seconds,
    "skill_file": sys.modules["skill"].__file__,
    "tzdata_loaded": "tzdata" in sys.modules,
    "boto3_loaded": "boto3" in sys.modules,
    "unused_service_clients_loaded": unused_loaded,
    "babel_loaded": babel_loaded,
    "factory_built": built,
    "elsewhere": elsewhere,
    "extensions": extensions,
}))
"""


def _envelope(request: dict, new: bool) -> dict:
    application = {"applicationId": SKILL_ID}
    user = {"userId": USER_ID}
    stamp = "2026-11-24T15:00:00Z"  # Lambda takes the day from it; no check of its age
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": "amzn1.echo-api.session.package-test",
            "application": application,
            "user": user,
            "attributes": {},
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.package-test", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "requestId": f"amzn1.echo-api.request.{request['type']}",
            "timestamp": stamp,
            "locale": "en-US",
            **request,
        },
    }


LAUNCH = _envelope({"type": "LaunchRequest"}, new=True)
HOW_TO_ANKLE_CIRCLES = _envelope(
    {
        "type": "IntentRequest",
        "dialogState": "COMPLETED",
        "intent": {
            "name": "HowToIntent",
            "confirmationStatus": "NONE",
            "slots": {
                "exercise": {
                    "name": "exercise",
                    "value": "ankle circles",
                    "confirmationStatus": "NONE",
                    "source": "USER",
                    "resolutions": {
                        "resolutionsPerAuthority": [
                            {
                                "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.ExerciseName",
                                "status": {"code": "ER_SUCCESS_MATCH"},
                                "values": [
                                    {"value": {"name": "ankle circles", "id": "ankle_circles"}}
                                ],
                            }
                        ]
                    },
                }
            },
        },
    },
    new=False,
)


def _python_for(version: str) -> str | None:
    """An interpreter of the Lambda runtime's version on this machine, if there is one."""
    candidates = [os.environ.get("LAMBDA_TEST_PYTHON"), shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += [
        str(path) for path in sorted(pyenv_root.glob(f"versions/{version}*/bin/python{version}"))
    ]
    for candidate in filter(None, candidates):
        try:  # a pyenv shim exists even when that version is not selected: ask it
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except OSError:
            continue
        wanted = str(tuple(int(part) for part in version.split(".")))
        if probe.returncode == 0 and probe.stdout.strip() == wanted:
            return candidate
    return None


@pytest.mark.parametrize("interpreter", ["this", "runtime"])
def test_handler_answers_from_a_bare_interpreter(package, tmp_path, interpreter):
    _, directory, _, _ = package
    target = build_lambda.read_target()
    if interpreter == "this":
        python = sys.executable
    else:
        python = _python_for(target["python_version"])
        if python is None:
            pytest.skip(
                f"no python{target['python_version']} on this machine "
                "(set LAMBDA_TEST_PYTHON to one)"
            )
    database = tmp_path / "progress.sqlite3"
    # What Lambda sets, less TABLE_NAME, so the SQLite store is used instead of DynamoDB.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LEG_SKILL_DB": str(database),
        "SKILL_ID": SKILL_ID,
        "LEG_SKILL_TIMEZONE": "America/New_York",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [
            python,
            "-B",
            "-I",
            "-S",
            "-c",
            SMOKE,
            str(directory),
            json.dumps(LAUNCH),
            json.dumps(HOW_TO_ANKLE_CIRCLES),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    launch, how_to = report["responses"]
    launch_speech = launch["response"]["outputSpeech"]["ssml"]
    how_to_speech = how_to["response"]["outputSpeech"]["ssml"]
    assert "Welcome to Leg Exercises" in launch_speech
    assert launch["response"]["shouldEndSession"] is False
    assert "ankle circles" in how_to_speech
    assert "Lie on your back" in how_to_speech
    assert report["skill_file"].startswith(str(directory))
    assert report["elsewhere"] == []  # nothing from site-packages or the work tree
    assert report["extensions"] == []  # no compiled extension on the cold path
    assert report["tzdata_loaded"]  # the user's day came from the packaged zone database
    assert not report["boto3_loaded"]  # the SQLite store does not pay for boto3
    # The cold start skips what the first turns never use (skill/alexa/_lazy_factory.py,
    # skill/locales/plurals.py), and the SDK's factory still works when something builds one.
    assert report["unused_service_clients_loaded"] == []
    assert not report["babel_loaded"]
    assert report["factory_built"] == [
        "ask_sdk_model.services.service_client_factory.ServiceClientFactory",
        "UpsServiceClient",
        "ListManagementServiceClient",
    ]
    assert database.is_file()  # progress was kept (the safety line heard)
