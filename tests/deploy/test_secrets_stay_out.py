""".env (the secret key, the database password) is neither committed nor copied into the image; the example is."""

import fnmatch
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET_FILES = [".env", ".env.production", ".env.local"]


@pytest.mark.skipif(not shutil.which("git") or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_git_ignores_env_files_but_not_the_example():
    for name in SECRET_FILES:
        assert subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT).returncode == 0, name
    assert subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=ROOT).returncode == 1


def dockerignored(name):
    """Docker's rule: the last matching pattern wins; `!` re-includes."""
    ignored = False
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        if fnmatch.fnmatch(name, pattern.lstrip("!")):
            ignored = not negate
    return ignored


def test_the_image_build_context_leaves_out_env_files_and_local_state():
    assert all(dockerignored(name) for name in [*SECRET_FILES, ".venv", "var", ".git"])
    assert not dockerignored(".env.example") and not dockerignored("manage.py")
