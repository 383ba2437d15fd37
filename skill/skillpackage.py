"""``leg-skill skill-package``: the skill package as it is submitted, from the committed one.

Copies ``interaction_model/`` (``skill.json``, the 12 interaction models, the icons) into a
fresh directory, writes the deployed function's ARN into both endpoints
(``manifest.apis.custom.endpoint.uri`` for the skill's requests, ``manifest.events.endpoint.uri``
for ``SKILL_DISABLED``) and each locale's ``privacyAndCompliance.locales.<locale>.privacyPolicyUrl``
(``<base>/<language>.html``: where the deployer published ``docs/privacy/<language>.html``),
then runs every check of :mod:`skill.certify` with no placeholder allowed, and writes a zip of the
directory beside it. It refuses (:class:`PackageRefused`) before writing anything when the
arguments are unusable, and removes what it wrote when a check fails.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .certify import (
    PRIVACY_DIR,
    REGION,
    certify,
    is_placeholder_url,
    lambda_arn,
    lambda_arn_problem,
)
from .exceptions import LegSkillError
from .records import record

__all__ = ["SOURCE", "PackageRefused", "Packaged", "build_package", "stack_function_arn"]

SOURCE = Path(__file__).resolve().parent.parent / "interaction_model"
# The AWS region each policy names as where the data is kept: "(us-east-1, Northern Virginia)".
_POLICY_REGION = re.compile(rf"\(({REGION}),")
_COPIED = ("skill.json", "interactionModels", "assets")  # name_free/ is notes, not package
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed: the same inputs give the same zip
STACK_OUTPUT = "SkillFunctionArn"  # template.yaml's output with the function's ARN


class PackageRefused(LegSkillError):
    """The package cannot be made as asked; the message is one line saying why."""


@record(frozen=True)
class Packaged:
    """Where the package went: the directory the ASK CLI deploys, and its zip."""

    directory: Path
    archive: Path


def _privacy_url(base: str, language: str) -> str:
    return f"{base.rstrip('/')}/{language}.html"


def _check_arguments(function_arn: str, privacy_base_url: str) -> None:
    problem = lambda_arn_problem(function_arn)
    if problem:
        raise PackageRefused(problem)
    url = urlparse(privacy_base_url)
    if url.scheme != "https" or not url.netloc:
        raise PackageRefused(f"the privacy base URL {privacy_base_url!r} is not an https URL")
    if is_placeholder_url(privacy_base_url):
        raise PackageRefused(f"the privacy base URL {privacy_base_url} is a placeholder")
    arn = lambda_arn(function_arn)
    assert arn is not None  # lambda_arn_problem said it is one
    region = arn["region"]
    for policy in sorted(PRIVACY_DIR.glob("*.html")):
        named = _POLICY_REGION.findall(policy.read_text(encoding="utf-8"))
        if named and region not in named:
            raise PackageRefused(
                f"{policy.name} says the data is kept in {named[0]}, but the function is in "
                f"{region}: correct docs/privacy/*.html before publishing them"
            )


def _fill(manifest: dict[str, Any], function_arn: str, privacy_base_url: str) -> None:
    manifest["apis"]["custom"]["endpoint"] = {"uri": function_arn}
    manifest.setdefault("events", {})["endpoint"] = {"uri": function_arn}
    privacy = manifest.setdefault("privacyAndCompliance", {}).setdefault("locales", {})
    for locale in manifest["publishingInformation"]["locales"]:
        entry = privacy.setdefault(locale, {})
        entry["privacyPolicyUrl"] = _privacy_url(privacy_base_url, locale.split("-")[0])


def _zip(directory: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(directory).as_posix(), _ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, path.read_bytes())


def build_package(
    out: Path, function_arn: str, privacy_base_url: str, source: Path = SOURCE
) -> Packaged:
    """Write the submitted skill package into ``out`` and ``out`` + ``.zip``.

    Parameters
    ----------
    out : Path
        The package directory to write (replaced if it exists), e.g. ``build/skill-package``.
    function_arn : str
        The deployed function's ARN (the stack's ``SkillFunctionArn`` output).
    privacy_base_url : str
        An https URL under which ``<language>.html`` (en, de, es, fr, it) is each language's
        privacy policy, as published from ``docs/privacy/``.
    source : Path
        The committed package (``interaction_model/``).

    Returns
    -------
    Packaged
        The directory and the zip (entries sorted, fixed times: the same inputs, the same bytes).

    Raises
    ------
    PackageRefused
        A placeholder or malformed ARN, a privacy URL that is not https or is a placeholder, or
        any failed check of :func:`skill.certify.certify` (the message lists every failure on
        one line; nothing is left behind).
    """
    _check_arguments(function_arn, privacy_base_url)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    archive = out.with_name(out.name + ".zip")
    try:
        for name in _COPIED:
            origin = source / name
            if origin.is_dir():
                shutil.copytree(origin, out / name)
            elif origin.is_file():
                shutil.copy2(origin, out / name)
        data = json.loads((out / "skill.json").read_text(encoding="utf-8"))
        _fill(data["manifest"], function_arn, privacy_base_url)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        (out / "skill.json").write_text(text, encoding="utf-8")
        failed = [c for c in certify(out) if not c.ok]
        if failed:
            raise PackageRefused("; ".join(f"{c.item}: {c.detail}" for c in failed))
        _zip(out, archive)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        archive.unlink(missing_ok=True)
        raise
    return Packaged(out, archive)


def stack_function_arn(
    stack: str,
    region: str | None = None,
    describe: Callable[[str, str | None], list[dict[str, Any]]] | None = None,
) -> str:
    """The ``SkillFunctionArn`` output of a deployed CloudFormation stack.

    Parameters
    ----------
    stack : str
        The stack's name (``sam deploy``'s "Stack Name").
    region : str, optional
        Its region; boto3's usual configuration decides when not given.
    describe : callable, optional
        ``(stack, region) -> the stack's Outputs``; boto3's ``DescribeStacks`` by default
        (needs AWS credentials).

    Raises
    ------
    PackageRefused
        When the stack cannot be read or has no such output.
    """
    describe = describe or _describe_outputs
    try:
        outputs = describe(stack, region)
    except Exception as exc:  # any AWS or network failure: one line, not a traceback
        raise PackageRefused(f"cannot read stack {stack}: {type(exc).__name__}: {exc}") from exc
    for output in outputs:
        if output.get("OutputKey") == STACK_OUTPUT and isinstance(output.get("OutputValue"), str):
            return str(output["OutputValue"])
    raise PackageRefused(f"stack {stack} has no {STACK_OUTPUT} output")


def _describe_outputs(stack: str, region: str | None) -> list[dict[str, Any]]:
    import boto3

    client = boto3.client("cloudformation", region_name=region)
    stacks = client.describe_stacks(StackName=stack)["Stacks"]
    outputs: list[dict[str, Any]] = stacks[0].get("Outputs", []) if stacks else []
    return outputs
