"""``leg-skill serve`` where the web extra is not installed: one line naming the install, exit 2.

Each test runs the CLI in a fresh interpreter whose ``PYTHONPATH`` starts with a directory
holding a stand-in for one of the web extra's modules; importing it fails the way a missing
distribution does, so the real Flask or waitress in this environment is never reached.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000abcd"
INSTALL = "pip install 'leg-skill[web]'"


def _run_serve(tmp_path, missing: str, error: str) -> subprocess.CompletedProcess[str]:
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / f"{missing}.py").write_text(
        f"raise {error}(\"No module named '{missing}'\", name='{missing}')\n", encoding="utf-8"
    )
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(shadow),
        SKILL_ID=SKILL_ID,
        LEG_SKILL_DB=str(tmp_path / "progress.sqlite3"),
    )
    env.pop("TABLE_NAME", None)
    return subprocess.run(
        [sys.executable, "-m", "skill", "serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,  # were the stand-in ineffective, the server would start; fail, not hang
    )


@pytest.mark.parametrize("missing", ["flask", "waitress"])
@pytest.mark.parametrize("error", ["ModuleNotFoundError", "ImportError"])
def test_serve_without_the_web_extra_names_the_install_and_exits_2(tmp_path, missing, error):
    result = _run_serve(tmp_path, missing, error)

    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # no traceback
    assert lines[0].startswith("leg-skill: ")
    assert INSTALL in lines[0]
    assert missing in lines[0]
    assert result.stdout == ""


def test_a_missing_module_of_the_skill_itself_is_not_blamed_on_the_extra(monkeypatch):
    from skill.cli import main

    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    monkeypatch.setitem(sys.modules, "skill.web", None)  # importing it now fails, named skill.web
    with pytest.raises(ModuleNotFoundError) as caught:
        main(["serve", "--port", "0"])
    assert caught.value.name == "skill.web"
