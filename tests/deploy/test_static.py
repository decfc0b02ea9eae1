"""The vendored Bootstrap, Chart.js and htmx collect with production's manifest storage (the image's build step)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k3Jx9-unit-test-only-secret-with-plenty-of-entropy-9f8e7d6c5b4a3",
    "DJANGO_ALLOWED_HOSTS": "portal.wanyuan.example",
    "POSTGRES_HOST": "unused.invalid",  # collectstatic never connects, as in the Dockerfile
}


def test_collectstatic_with_the_manifest_storage_hashes_every_vendored_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, text=True,
                            capture_output=True, timeout=300,
                            env={**env, **PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr  # MissingFileError on a referenced .map
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("bootstrap-5.3.9.min.css", "bootstrap-5.3.9.bundle.min.js", "chart-4.6.1.umd.min.js",
                 "htmx-2.0.11.min.js"):
        hashed = manifest[f"vendor/{name}"]
        assert hashed != f"vendor/{name}" and (tmp_path / hashed).is_file() and (tmp_path / f"{hashed}.gz").is_file()
