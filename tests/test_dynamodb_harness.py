"""The DynamoDB Local harness leaves no file behind: not where it was started, not in .tools/.

DynamoDB Local writes ``dynamodb-local-metadata.json`` into its working directory when telemetry
is on, and unpacks its native SQLite library into ``java.io.tmpdir``. The harness runs it in a
temporary directory of its own and removes that on ``stop()``. To see where a file written
beside the server would land, ``java`` is a wrapper here that writes that metadata file into
its working directory (and records which directory that was) before starting the real Java.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from dynamodb_local import DynamoDbLocal, HarnessError, find_or_install_jar


def _entries(directory: Path) -> set[str]:
    return {entry.name for entry in directory.iterdir()}


def test_starting_and_stopping_leaves_no_file_behind(tmp_path, monkeypatch):
    java = shutil.which("java")
    problem = None
    try:
        jar = find_or_install_jar()
    except HarnessError as exc:
        problem = str(exc)
    if problem or java is None:
        pytest.fail(problem or "DynamoDB Local needs Java 17 or later", pytrace=False)
    wrapper_dir = tmp_path / "bin"
    wrapper_dir.mkdir()
    cwd_record = tmp_path / "server-cwd.txt"
    wrapper = wrapper_dir / "java"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"pwd > '{cwd_record}'\n"
        "echo '{}' > dynamodb-local-metadata.json\n"
        f"exec '{java}' \"$@\"\n",
        encoding="utf-8",
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{wrapper_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    jar_dir = jar.parent
    before = _entries(jar_dir)

    with DynamoDbLocal() as server:
        assert server.process is not None and server.process.poll() is None

    server_cwd = Path(cwd_record.read_text(encoding="utf-8").strip())
    assert _entries(caller) == set()
    assert _entries(jar_dir) == before
    assert server_cwd not in (caller, jar_dir)
    assert not server_cwd.exists()  # the server's own directory went with it
