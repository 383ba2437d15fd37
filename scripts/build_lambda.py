#!/usr/bin/env python3
"""Build the Lambda deployment package: ``build/lambda/`` and ``build/lambda.zip``.

    python scripts/build_lambda.py            # make package
    python scripts/build_lambda.py --artifacts DIR   # sam build (template.yaml's makefile method)
    python scripts/build_lambda.py --lock     # re-pin lambda/requirements.txt from pyproject.toml

Standard library only; it needs PyPI (through pip) but no AWS access. The target is read from
``template.yaml`` (``Runtime: python3.13``, ``Architectures: [arm64]``), so the wheels pip picks
are the ones the function will load, whatever machine builds the package:

    pip install --target build/lambda --platform manylinux2014_aarch64 --implementation cp
                --python-version 3.13 --abi cp313 --only-binary=:all: -r <pins>

The pins are ``lambda/requirements.txt`` (the runtime dependencies and everything they pull in,
one exact version each; ``sam build`` reads the same file, see docs/deploy.md). Then the
``skill`` package, without the modules that only the web host and the terminal console use, and
``lambda/lambda_function.py`` are copied in, this machine's bytecode and console scripts are
dropped, the imports of the copied code are checked against what was installed, every module is
compiled by the runtime's Python (see below), and ``build/lambda.zip`` is written
with sorted entries, fixed timestamps and fixed permissions, so the same sources and pins give
the same bytes. Last, ``.aws-sam/build/template.yaml`` is written: template.yaml with the
function's ``CodeUri`` pointing at that zip, which is where ``sam deploy`` looks first for a
built template, so ``make package`` then ``sam deploy`` deploys exactly this zip (as
``sam build`` then ``sam deploy`` deploys what sam build made; whichever ran last wins).

``sam build`` ships the same thing: template.yaml gives the function SAM's ``makefile`` build
method (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/
building-custom-runtimes.html), whose ``build-SkillFunction`` target in the project's Makefile
runs this script with ``--artifacts "$ARTIFACTS_DIR"``: the package is built as above, then its
files are copied into the directory SAM zips, and no template is written (SAM writes its own).

boto3 is not bundled. Lambda's request path does not import it: the store talks to DynamoDB
through its own small client (skill/store/dynamodb_http.py), with the credentials Lambda puts in
the environment. botocore is imported only to resolve credentials when the environment holds
none (SnapStart's container credentials), and the python3.13 runtime ships boto3 and botocore for
that. Leaving them out takes the package from ~19 MB to ~3 MB zipped (less for Lambda to fetch
and unpack on a cold start). ``RUNTIME_PROVIDED`` names them; the lock leaves them out and
``check_contents`` refuses a package that has them.

Bytecode. Lambda unpacks the zip into ``/var/task``, which is read-only: a package without
``.pyc`` files is compiled from source on every cold start (the ASK SDK's model alone is
hundreds of modules), and nothing compiled is kept. So the build compiles every module with the
runtime's own interpreter (``python3.13``: bytecode is specific to the minor version), with
``--invalidation-mode unchecked-hash`` (PEP 552: the ``.pyc`` is used without looking at the
source's timestamp, which the zip does not keep), ``PYTHONHASHSEED=0`` (so the same sources give
the same bytes) and source paths as ``/var/task/...``. The interpreter is looked for on the PATH,
then under pyenv (``$PYENV_ROOT`` or ``~/.pyenv``); when there is none, the package ships without
bytecode, and the build says so.

Babel (CLDR plural rules and clock conventions, skill/locales) ships data for about 1000
locales: 10 MB more zipped. ``prune_babel`` keeps the 12 spoken locales (one interaction model
each), their languages, the parents Babel merges them over (en_001, es_419) and ``root``, then
checks that each still loads: 2.5 MB zipped without Babel, 12.6 MB with all of it, 3.2 MB pruned.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "lambda" / "requirements.txt"
HANDLER_FILE = ROOT / "lambda" / "lambda_function.py"
SKILL_DIR = ROOT / "skill"

# Modules of the skill package that Lambda never imports. The web host needs flask,
# flask-ask-sdk, cryptography and oscrypto (the [web] extra), none of which is installed here;
# the terminal console reads interaction_model/, which is not shipped. Nothing the Lambda handler
# imports reaches them (checked by check_imports below).
EXCLUDED_SKILL_MODULES = frozenset(
    {
        "web.py",
        "webverify.py",
        "_oscrypto_fix.py",  # self-hosting (leg-skill serve)
        "cli.py",
        "console.py",
        "__main__.py",
        "audio.py",  # terminal console (leg-skill chat)
        "utterances.py",  # the console's resolver
        "nlu.py",  # annotation sets and their evaluator (python -m skill.nlu)
        "transcript.py",  # the golden transcripts (python -m skill.transcript)
        "certify.py",  # the certification self-check (leg-skill certify)
        "skillpackage.py",  # the submitted skill package (leg-skill skill-package)
        "icons.py",  # the store icons, drawn with Pillow (python -m skill.icons)
    }
)
MODELS_DIR = ROOT / "interaction_model" / "interactionModels" / "custom"
SKILL_DATA_SUFFIXES = (".py", ".json")  # code, and locales/*.json (every spoken sentence)

# Runtime dependencies (pyproject.toml) that the Lambda runtime provides and the package leaves
# out, with the modules they bring: the request path never imports them (see the docstring).
RUNTIME_PROVIDED = frozenset({"boto3"})
RUNTIME_PROVIDED_MODULES = frozenset({"boto3", "botocore", "s3transfer", "jmespath"})
# Held to the major version the test suite runs with: there botocore (a test and console
# dependency) caps python-dateutil below 3, and the ASK SDK parses every request's timestamp
# with it. Without this the lock, no longer holding botocore, would take dateutil 4.
LOCK_CONSTRAINTS = ("python-dateutil<3",)

# Top-level names that must never be in the package: the web host's and the tests' dependencies.
FORBIDDEN = frozenset(
    {
        "flask",
        "flask_ask_sdk",
        "werkzeug",
        "waitress",
        "cryptography",
        "oscrypto",
        "asn1crypto",
        "ask_sdk_webservice_support",
        "pytest",
        "_pytest",
        "hypothesis",
        "yaml",
        "cfnlint",
    }
)

ARCH_PLATFORMS = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}
# 1980-01-01 00:00:00 is the earliest time a zip entry can carry.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


class BuildError(RuntimeError):
    """The package cannot be built as asked; the message says why."""


# -- target ---------------------------------------------------------------------------------


def read_target(template: Path = TEMPLATE) -> dict[str, str]:
    """The function's Python version, architecture and handler module, from template.yaml.

    A few regular expressions suffice (and keep this script free of a YAML parser): the template
    has one function, and each value must appear exactly once.
    """
    text = template.read_text(encoding="utf-8")

    def only(pattern: str, what: str) -> str:
        found = set(re.findall(pattern, text, flags=re.MULTILINE))
        if len(found) != 1:
            raise BuildError(f"template.yaml: expected one {what}, found {sorted(found) or 'none'}")
        return found.pop()

    version = only(r"^\s*Runtime:\s*python(\d+\.\d+)\s*$", "Runtime: pythonX.Y")
    inline = re.findall(r"^\s*Architectures:\s*\[\s*([\w-]+)\s*\]\s*$", text, flags=re.MULTILINE)
    block = re.findall(r"^\s*Architectures:\s*\n\s*-\s*([\w-]+)\s*$", text, flags=re.MULTILINE)
    arches = set(inline + block)
    if len(arches) != 1 or next(iter(arches)) not in ARCH_PLATFORMS:
        raise BuildError(
            f"template.yaml: expected Architectures [arm64] or [x86_64], "
            f"found {sorted(arches) or 'none'}"
        )
    handler = only(r"^\s*Handler:\s*([\w.]+)\s*$", "Handler")
    module = handler.rsplit(".", 1)[0]
    if f"{module}.py" != HANDLER_FILE.name:
        raise BuildError(f"template.yaml's Handler {handler} is not in {HANDLER_FILE.name}")
    arch = arches.pop()
    return {
        "python_version": version,
        "abi": "cp" + version.replace(".", ""),
        "architecture": arch,
        "platform": ARCH_PLATFORMS[arch],
        "handler": handler,
    }


def pip_target_args(target: dict[str, str]) -> list[str]:
    """pip options that choose wheels for the Lambda runtime instead of this machine."""
    return [
        "--platform",
        target["platform"],
        "--implementation",
        "cp",
        "--python-version",
        target["python_version"],
        "--abi",
        target["abi"],
        "--only-binary=:all:",
    ]


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--no-input"]
    print("+ " + " ".join(command), flush=True)
    result = subprocess.run(command)
    if result.returncode != 0:
        raise BuildError(f"pip failed with exit code {result.returncode}")


# -- requirements ---------------------------------------------------------------------------


def _is_local(line: str) -> bool:
    return line in (".", "..") or line.startswith(("./", "../", "/", "file:", "-e ", "--editable"))


def read_pins(path: Path = REQUIREMENTS) -> tuple[list[str], dict[str, str]]:
    """The lines pip should install (local paths left out) and the pinned name -> version."""
    lines, pins = [], {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or _is_local(line):
            continue
        lines.append(line)
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;\\]+)", line)
        if match:
            pins[normalize(match.group(1))] = match.group(2)
    if not pins:
        raise BuildError(
            f"{path.relative_to(ROOT)} pins nothing; run python scripts/build_lambda.py --lock"
        )
    return lines, pins


def normalize(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies(pyproject: Path = PYPROJECT) -> list[str]:
    import tomllib  # Python 3.11+, as the project requires

    with pyproject.open("rb") as handle:
        return list(tomllib.load(handle)["project"]["dependencies"])


REQUIREMENTS_HEADER = """\
# Runtime dependencies of the Lambda function, pinned for {runtime} on {arch} (template.yaml):
# pyproject.toml's [project] dependencies and everything they pull in, one exact version each.
# Written by `python scripts/build_lambda.py --lock`; edit pyproject.toml, then run that again.
# Read by scripts/build_lambda.py (`make package`) and by `sam build` (docs/deploy.md).
# boto3/botocore are left out: the Lambda runtime provides them and the request path does not
# import them; the reasons are in scripts/build_lambda.py.
"""

REQUIREMENTS_FOOTER = """
# The skill package itself, for `sam build` only: scripts/build_lambda.py leaves this line out
# and copies skill/ (without the web host and console modules) instead. pip resolves a local
# path against the directory it runs in, not against this file (pypa/pip#8765), and `sam build`
# runs pip in the directory `sam build` was started from: run it from the project root, beside
# template.yaml, so that "." is this project.
.
"""


def lock(target: dict[str, str]) -> None:
    """Resolve pyproject.toml's runtime dependencies for the Lambda target; rewrite the pins."""
    dependencies = [
        d
        for d in runtime_dependencies()
        if normalize(re.match(r"[A-Za-z0-9._-]+", d).group(0)) not in RUNTIME_PROVIDED
    ]
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        pip(
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(report),
            "--target",
            str(Path(scratch) / "target"),
            *pip_target_args(target),
            *dependencies,
            *LOCK_CONSTRAINTS,
        )
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    pins = sorted(
        ((item["metadata"]["name"], item["metadata"]["version"]) for item in installs),
        key=lambda pin: normalize(pin[0]),
    )
    body = "".join(f"{name}=={version}\n" for name, version in pins)
    REQUIREMENTS.write_text(
        REQUIREMENTS_HEADER.format(
            runtime=f"python{target['python_version']}", arch=target["architecture"]
        )
        + body
        + REQUIREMENTS_FOOTER,
        encoding="utf-8",
    )
    print(f"wrote {REQUIREMENTS.relative_to(ROOT)}: {len(pins)} pins")


# -- assembling -----------------------------------------------------------------------------


def install_dependencies(package: Path, target: dict[str, str], out: Path) -> dict[str, str]:
    lines, pins = read_pins()
    pinned_file = out / "requirements-lambda.txt"  # beside the package, not in it
    pinned_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        # --no-compile: bytecode written here would be for this machine's Python, not the
        # runtime's.
        pip(
            "install",
            "--target",
            str(package),
            *pip_target_args(target),
            "--no-compile",
            "--quiet",
            "--progress-bar",
            "off",
            "-r",
            str(pinned_file),
        )
    finally:
        pinned_file.unlink()
    return pins


def copy_sources(package: Path) -> None:
    """The skill package (minus host-only modules) and the handler module, into the package."""
    for source in sorted(SKILL_DIR.rglob("*")):
        relative = source.relative_to(SKILL_DIR)
        if (
            not source.is_file()
            or "__pycache__" in relative.parts
            or source.suffix not in SKILL_DATA_SUFFIXES
            or (len(relative.parts) == 1 and relative.name in EXCLUDED_SKILL_MODULES)
        ):
            continue
        destination = package / "skill" / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    shutil.copyfile(HANDLER_FILE, package / HANDLER_FILE.name)


def find_runtime_python(version: str) -> Path | None:
    """An interpreter of the runtime's ``major.minor`` version: the PATH, then pyenv's.

    Returns
    -------
    Path or None
        The first candidate that runs and reports exactly ``version``; ``None`` when none does.
    """
    candidates: list[Path] = []
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(Path(on_path))
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates += sorted(pyenv_root.glob(f"versions/{version}*/bin/python{version}"), reverse=True)
    for candidate in candidates:
        try:
            result = subprocess.run(
                [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0 and result.stdout.strip() == version:
            return candidate
    return None


def compile_bytecode(package: Path, version: str) -> Path | None:
    """Compile every module for the runtime (see the docstring); the interpreter used, or None.

    Raises
    ------
    BuildError
        When the runtime's interpreter cannot compile a module of the package.
    """
    python = find_runtime_python(version)
    if python is None:
        print(
            f"no python{version} found (PATH, pyenv): the package ships WITHOUT bytecode, and "
            "Lambda compiles every module on each cold start",
            flush=True,
        )
        return None
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    environment["PYTHONHASHSEED"] = "0"  # frozenset constants marshal in hash order
    result = subprocess.run(
        [
            str(python),
            "-s",
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            str(package),
            "-p",
            "/var/task",
            str(package),
        ],
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(f"python{version} could not compile the package:\n{result.stdout}")
    print(f"compiled with {python} (unchecked-hash .pyc)", flush=True)
    return python


def strip(package: Path) -> None:
    """Drop what Lambda never uses: bytecode and the console scripts pip puts in bin/."""
    for cache in sorted(package.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache)
    for compiled in package.rglob("*.py[co]"):
        compiled.unlink()
    # bin/ holds entry-point scripts (normalizer, jp.py) whose #! names this machine's Python.
    shutil.rmtree(package / "bin", ignore_errors=True)


def spoken_locales() -> list[str]:
    """The locales the skill speaks: one interaction model each (``en-US`` ...)."""
    return sorted(path.stem for path in MODELS_DIR.glob("*.json"))


def babel_locales_needed(locale_data: Path, locales: list[str]) -> set[str]:
    """The CLDR locales Babel reads to load ``locales``: each, its parents, and ``root``.

    Babel (``babel.localedata.load``) merges a locale over its parent: the one CLDR names in
    ``parentLocales`` (kept in ``global.dat`` as ``parent_exceptions``: en_GB -> en_001,
    es_MX -> es_419), else the identifier less its last part (fr_CA -> fr), down to ``root``.
    The skill also loads the language alone for a region it has no data for (skill/locales).
    """
    import pickle  # Babel's own data format; the file is Babel's, from the pinned wheel

    with (locale_data.parent / "global.dat").open("rb") as handle:
        parents = pickle.load(handle).get("parent_exceptions", {})
    needed = {"root"}
    for locale in locales:
        language = locale.split("-")[0]
        for name in (locale.replace("-", "_"), language):
            while name != "root" and name not in needed:
                needed.add(name)
                name = parents.get(name) or ("_".join(name.split("_")[:-1]) or "root")
    return needed


def prune_babel(package: Path) -> None:
    """Keep only the CLDR data the spoken locales need (Babel ships ~1000 locales, ~30 MB).

    Checked after: every spoken locale loads its plural rules and time formats from the pruned
    data, with this interpreter (Babel is pure Python).
    """
    locale_data = package / "babel" / "locale-data"
    if not locale_data.is_dir():
        return
    needed = babel_locales_needed(locale_data, spoken_locales())
    missing = sorted(name for name in needed if not (locale_data / f"{name}.dat").is_file())
    if missing:
        raise BuildError(f"Babel has no data for {missing}")
    for data in locale_data.glob("*.dat"):
        if data.stem not in needed:
            data.unlink()
    check = (
        "import sys; sys.path.insert(0, sys.argv[1]); import babel, babel.dates, datetime\n"
        "assert babel.__file__.startswith(sys.argv[1]), babel.__file__\n"
        "for tag in sys.argv[2:]:\n"
        "    loc = babel.Locale.parse(tag, sep='-')\n"
        "    loc.plural_form(1); loc.time_formats['short']; loc.day_periods\n"
        "    babel.dates.get_period_id(datetime.time(8), type='selection', locale=loc)\n"
    )
    languages = sorted({locale.split("-")[0] for locale in spoken_locales()})
    result = subprocess.run(
        [sys.executable, "-S", "-B", "-c", check, str(package), *spoken_locales(), *languages],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BuildError(f"the pruned Babel data does not load:\n{result.stderr}")


def top_level_names(package: Path) -> set[str]:
    names = set()
    for entry in package.iterdir():
        if entry.is_dir() and not entry.name.endswith((".dist-info", ".data")):
            names.add(entry.name)
        elif entry.suffix == ".py" or entry.name.endswith(".so"):
            names.add(entry.name.split(".", 1)[0])
    return names


def _module_exists(package: Path, dotted: str) -> bool:
    path = package.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def check_imports(package: Path) -> None:
    """Every import in the copied code (lazy ones too) must resolve inside the package.

    Catches a kept module that imports an excluded one (``from .web import ...``) or a
    distribution that is not among the runtime dependencies (flask, say), before Lambda does.
    """
    available = (
        top_level_names(package)
        | set(sys.stdlib_module_names)
        | {"__future__"}
        | RUNTIME_PROVIDED_MODULES
    )
    problems = []
    for path in sorted([package / HANDLER_FILE.name, *(package / "skill").rglob("*.py")]):
        relative = path.relative_to(package)
        # The package a relative import starts from (for __init__.py too: its last part is
        # "__init__").
        current = list(relative.with_suffix("").parts)[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for statement in node.body
            for inner in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:  # never imported at run time
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = current[: len(current) - node.level + 1] if node.level else []
                stem = ".".join(base + ([node.module] if node.module else []))
                # "from stem import name" names a submodule or an attribute of stem: a
                # submodule if there is one in the package or in the sources (then it must be
                # packaged), else an attribute.
                targets = [
                    f"{stem}.{alias.name}"
                    if _module_exists(package, f"{stem}.{alias.name}")
                    or _module_exists(ROOT, f"{stem}.{alias.name}")
                    else stem
                    for alias in node.names
                ]
            for target in targets:
                top = target.split(".", 1)[0]
                if top == "skill":
                    if not _module_exists(package, target):
                        problems.append(f"{relative}: imports {target}, which is not packaged")
                elif top not in available:
                    problems.append(f"{relative}: imports {target}, which is not installed")
    if problems:
        raise BuildError(
            "the package's code imports what it does not contain:\n  " + "\n  ".join(problems)
        )


def check_contents(package: Path, pins: dict[str, str]) -> None:
    forbidden = sorted(top_level_names(package) & FORBIDDEN)
    if forbidden:
        raise BuildError(
            f"the package contains {forbidden}, which only the web host or the tests "
            "use; take them out of the runtime dependencies"
        )
    provided = sorted(top_level_names(package) & RUNTIME_PROVIDED_MODULES)
    if provided:
        raise BuildError(
            f"the package contains {provided}, which the Lambda runtime provides; "
            "run python scripts/build_lambda.py --lock"
        )
    installed = {
        normalize(info.name[: -len(".dist-info")].rsplit("-", 1)[0])
        for info in package.glob("*.dist-info")
    }
    unpinned = sorted(installed - set(pins))
    if unpinned:
        raise BuildError(
            f"installed but not pinned in {REQUIREMENTS.relative_to(ROOT)}: "
            f"{unpinned}; run python scripts/build_lambda.py --lock"
        )


def write_zip(package: Path, destination: Path) -> None:
    """Zip the package deterministically: sorted paths, fixed time, mode and compression."""
    files = sorted(
        (path for path in package.rglob("*") if path.is_file()),
        key=lambda path: path.relative_to(package).as_posix(),
    )
    temporary = destination.with_suffix(".zip.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(package).as_posix(), ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read on every platform
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(temporary, destination)


SAM_TEMPLATE_HEADER = """\
# Written by scripts/build_lambda.py from template.yaml (edit that one): the same template with
# the function's CodeUri pointing at the zip it built, where `sam deploy` looks for what
# `sam build` would have written. The zip is uploaded as it is; as its bytes only change when
# the code or the pins do, an unchanged package is not uploaded or deployed again.
"""


def write_sam_template(archive: Path, destination: Path) -> None:
    """template.yaml with ``CodeUri: lambda/`` replaced by the zip's path, for ``sam deploy``."""
    code_uri = Path(os.path.relpath(archive, destination.parent)).as_posix()
    text, count = re.subn(
        r"^(\s*CodeUri:\s*)lambda/?\s*$",
        lambda match: match.group(1) + code_uri,
        TEMPLATE.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    if count != 1:
        raise BuildError(f"template.yaml: expected one 'CodeUri: lambda/', found {count}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(SAM_TEMPLATE_HEADER + text, encoding="utf-8")


def tree_size(directory: Path) -> tuple[int, int]:
    files = [path for path in directory.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def build(out: Path, sam_template: Path | None, artifacts: Path | None = None) -> Path:
    """Build the package into ``out``; write the template for ``sam deploy`` unless None.

    Parameters
    ----------
    out
        Where ``lambda/`` and ``lambda.zip`` go.
    sam_template
        Where to write template.yaml with ``CodeUri`` at the zip; None writes none.
    artifacts
        ``sam build``'s ``ARTIFACTS_DIR``: the package's files are copied there too.

    Returns
    -------
    Path
        The zip.

    Raises
    ------
    BuildError
        When pip, the import check, the contents check or the compiler refuses.
    """
    started = time.monotonic()
    target = read_target()
    package = out / "lambda"
    archive = out / "lambda.zip"
    print(
        f"building {package} for python{target['python_version']} on "
        f"{target['architecture']} ({target['platform']})",
        flush=True,
    )
    shutil.rmtree(package, ignore_errors=True)
    archive.unlink(missing_ok=True)
    package.mkdir(parents=True)
    pins = install_dependencies(package, target, out)
    copy_sources(package)
    strip(package)
    prune_babel(package)
    check_imports(package)
    check_contents(package, pins)
    compile_bytecode(package, target["python_version"])
    write_zip(package, archive)
    if sam_template is not None:
        write_sam_template(archive, sam_template)
    if artifacts is not None:
        shutil.copytree(package, artifacts, dirs_exist_ok=True)
    count, unzipped = tree_size(package)
    print(
        f"{archive}: {archive.stat().st_size / 1e6:.1f} MB zipped, {unzipped / 1e6:.1f} MB "
        f"unzipped in {count} files ({time.monotonic() - started:.0f} s)"
    )
    if sam_template is not None:
        print(f"{sam_template}: template.yaml with CodeUri {archive.name}; `sam deploy` uses it")
    if artifacts is not None:
        print(f"{artifacts}: the same files, for sam build to zip")
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "build",
        help="where lambda/ and lambda.zip go (default: build/)",
    )
    parser.add_argument(
        "--sam-template",
        type=Path,
        default=ROOT / ".aws-sam" / "build" / "template.yaml",
        help="where to write the template for `sam deploy` "
        "(default: .aws-sam/build/template.yaml, where sam build writes it)",
    )
    parser.add_argument(
        "--artifacts",
        type=Path,
        help="also copy the package's files into this directory and write no template "
        "(what template.yaml's makefile build method runs for `sam build`)",
    )
    parser.add_argument(
        "--lock",
        action="store_true",
        help="re-pin lambda/requirements.txt from pyproject.toml, then stop",
    )
    args = parser.parse_args(argv)
    try:
        if args.lock:
            lock(read_target())
        elif args.artifacts is not None:
            build(args.out.resolve(), None, args.artifacts.resolve())
        else:
            build(args.out.resolve(), args.sam_template.resolve())
    except BuildError as exc:
        print(f"build_lambda: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
