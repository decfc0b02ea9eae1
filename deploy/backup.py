"""`make backup` / `make restore`: the database and the media files, in one folder per backup.

    python deploy/backup.py create            -> $BACKUP_DIR/<YYYYmmddTHHMMSSZ>/
    python deploy/backup.py restore [FOLDER]  (default: the newest complete backup)

A backup folder holds database.dump (pg_dump's custom format; database.sqlite3 on the SQLite default),
media.tar.gz (everything under MEDIA_ROOT) and manifest.json, written last, so a folder without one is an
unfinished backup that restore never picks:
    {"finished_at": "2026-12-01T02:00:00+00:00", "started_at": ..., "database": "wanyuan",
     "engine": "postgresql", "files": [{"name": "database.dump", "bytes": 123, "sha256": "..."}, ...]}
Connection details come from the portal's own settings (DATABASE_URL or POSTGRES_*), so they are never parsed
twice and any password works. Stop the worker and beat before a restore.
"""

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME_ZONE = UTC  # as in the logs
MANIFEST = "manifest.json"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")
    import django

    django.setup()
    from django.conf import settings

    return settings


def pg_env(db):
    """libpq variables for pg_dump/pg_restore: no URL, so no quoting of the password."""
    env = dict(os.environ)
    env.update({"PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or 5432),
                "PGUSER": str(db.get("USER") or ""), "PGDATABASE": str(db["NAME"])})
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for key in [k for k, v in env.items() if k.startswith("PG") and v == ""]:
        del env[key]
    return env


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create(settings):
    db = settings.DATABASES["default"]
    started = datetime.now(TIME_ZONE)
    backup_dir = Path(settings.BACKUP_DIR)
    final = backup_dir / started.strftime("%Y%m%dT%H%M%SZ")
    work = final.with_name(final.name + ".partial")
    work.mkdir(parents=True)
    if db["ENGINE"].endswith("postgresql"):
        dump = work / "database.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)], env=pg_env(db), check=True)
    elif db["ENGINE"].endswith("sqlite3"):
        dump = work / "database.sqlite3"
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(dump) as target:
            source.backup(target)
    else:
        raise SystemExit(f"backup: unsupported database engine {db['ENGINE']}")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(work / "media.tar.gz", "w:gz") as tar:
        if media_root.is_dir():
            for child in sorted(media_root.iterdir()):
                tar.add(child, arcname=child.name)
    files = [{"name": p.name, "bytes": p.stat().st_size, "sha256": sha256(p)} for p in (dump, work / "media.tar.gz")]
    manifest = {"finished_at": datetime.now(TIME_ZONE).isoformat(timespec="seconds"),
                "started_at": started.isoformat(timespec="seconds"), "database": db["NAME"] if
                db["ENGINE"].endswith("postgresql") else Path(db["NAME"]).name,
                "engine": db["ENGINE"].rsplit(".", 1)[-1], "files": files}
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    work.rename(final)
    print(f"backup written to {final}")
    return final


def newest(backup_dir):
    complete = sorted(p for p in Path(backup_dir).glob("*/") if (p / MANIFEST).is_file())
    if not complete:
        raise SystemExit(f"restore: no complete backup (a folder with {MANIFEST}) under {backup_dir}")
    return complete[-1]


def restore(settings, folder):
    folder = Path(folder) if folder else newest(settings.BACKUP_DIR)
    manifest = json.loads((folder / MANIFEST).read_text())
    for entry in manifest["files"]:
        if sha256(folder / entry["name"]) != entry["sha256"]:
            raise SystemExit(f"restore: {folder / entry['name']} does not match its checksum; nothing restored")
    db = settings.DATABASES["default"]
    from django.db import connections

    connections.close_all()
    if db["ENGINE"].endswith("postgresql"):
        # --clean drops what the dump holds first, so it works on an empty or an existing database alike.
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--exit-on-error", "--dbname", db["NAME"], str(folder / "database.dump")],
                       env=pg_env(db), check=True)
    else:
        shutil.copyfile(folder / "database.sqlite3", db["NAME"])
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():  # the media root may be a mount point: empty it, never remove it
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    with tarfile.open(folder / "media.tar.gz", "r:gz") as tar:
        tar.extractall(media_root, filter="data")
    print(f"restored {folder} (finished {manifest['finished_at']})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("create")
    restore_parser = sub.add_parser("restore")
    restore_parser.add_argument("folder", nargs="?", help="a backup folder; default: the newest complete one")
    args = parser.parse_args(argv)
    settings = setup_django()
    if args.command == "create":
        create(settings)
    else:
        restore(settings, args.folder)


if __name__ == "__main__":
    main()
