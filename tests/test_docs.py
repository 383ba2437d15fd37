"""Every ``docs/...md`` the repository points at exists, and the docs' own links resolve.

Paths such as ``docs/deploy.md`` in code comments, the template and the README are relative to
the repository root; a Markdown link in a ``.md`` file is relative to that file.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Where pointers to the docs live; docs/ itself is read for its Markdown links.
SOURCES = ("template.yaml", "scripts", "skill", "lambda", "README.md", "docs")
TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".md", ".txt", ".json", ".toml", ""}
DOCS_PATH = re.compile(r"(?<![\w./-])docs/[\w./-]*?\.md\b")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *SOURCES],
            cwd=REPO_ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        paths = [REPO_ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the same places
        paths = []
        for source in SOURCES:
            root = REPO_ROOT / source
            paths += [root] if root.is_file() else sorted(root.rglob("*"))
    return [p for p in paths if p.is_file() and p.suffix in TEXT_SUFFIXES]


def _references() -> list[tuple[str, str, Path]]:
    """(file, what it says, the path that must exist) for every pointer to a doc."""
    found = []
    for path in _tracked_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        where = str(path.relative_to(REPO_ROOT))
        if path.suffix == ".md":
            for target in MARKDOWN_LINK.findall(text):
                if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue  # a URL or an anchor in the same file
                relative = target.split("#", 1)[0]
                found.append((where, target, (path.parent / relative).resolve()))
            text = MARKDOWN_LINK.sub("]()", text)  # a link's target is relative to the file
        for mention in DOCS_PATH.findall(text):
            found.append((where, mention, REPO_ROOT / mention))
    return found


def test_there_are_pointers_to_check():
    mentioned = {str(target.relative_to(REPO_ROOT)) for _, _, target in _references()}
    # The template and the build script point at these two; the README links both.
    assert {"docs/storage.md", "docs/deploy.md"} <= mentioned


@pytest.mark.parametrize(
    "where, says, target",
    [pytest.param(*ref, id=f"{ref[0]}->{ref[1]}") for ref in _references()],
)
def test_every_pointer_to_a_doc_exists(where, says, target):
    assert target.exists(), f"{where} points at {says}, which does not exist"
