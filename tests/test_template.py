"""The SAM template lints clean and grants only what the DynamoDB store calls."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_cfn_lint_reports_nothing():
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or shutil.which(
        "cfn-lint"
    )
    if cfn_lint is None:
        pytest.fail("cfn-lint is missing: pip install -e '.[test]'")
    result = subprocess.run(
        [cfn_lint, "--info", str(ROOT / "template.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_the_policy_allows_exactly_the_calls_the_store_makes():
    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=_Loader)
    allowed = set()
    for resource in template["Resources"].values():
        for policy in (resource.get("Properties") or {}).get("Policies") or []:
            if isinstance(policy, dict) and "Statement" in policy:
                for statement in policy["Statement"]:
                    actions = statement["Action"]
                    allowed |= set([actions] if isinstance(actions, str) else actions)
    source = (ROOT / "skill" / "store" / "dynamodb.py").read_text()
    operations = set(re.findall(r'self\._call\(\s*"(\w+)"', source))
    called = {
        "dynamodb:" + "".join(word.capitalize() for word in op.split("_")) for op in operations
    }
    assert allowed == called
    assert allowed, "no inline policy found"
    assert all(a.startswith("dynamodb:") for a in allowed)
    assert "dynamodb:*" not in allowed and "dynamodb:Scan" not in allowed
