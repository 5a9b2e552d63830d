"""JSON records of every command: one envelope (tool, version, git commit, command, profile, seed, start time and
the results), written atomically (a temporary file renamed over the target), so that a file on disk is always
complete, valid JSON, even when a run is interrupted.

>>> e = envelope("check", [], profile="quick", seed=1)
>>> sorted(e)
['command', 'finished', 'git_commit', 'profile', 'results', 'seed', 'started', 'tool', 'version']
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import tempfile
from pathlib import Path

__all__ = ["envelope", "write_json", "read_results", "git_commit"]

TOOL = "aimc-verify"


def git_commit() -> str | None:
    """The source tree's git commit, or None outside a git checkout."""
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def envelope(
    command: str,
    results,
    *,
    profile: str | None = None,
    seed: int | None = None,
    started=None,
    finished: bool = False,
    **extra,
) -> dict:
    """The record of one run: who made it (tool, version, git commit), how (command, profile, seed), when
    (``started``, an ISO time; now if None), whether it ``finished``, and its ``results``."""
    from .. import __version__

    return {
        "tool": TOOL,
        "version": __version__,
        "git_commit": git_commit(),
        "command": command,
        "profile": profile,
        "seed": seed,
        "started": started or _now(),
        "finished": finished,
        **extra,
        "results": results,
    }


def write_json(path, data) -> None:
    """Write ``data`` as JSON to ``path`` atomically (never a partial or empty file)."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(
        dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_results(path, *, command: str, profile: str | None, seed: int | None) -> list[dict]:
    """The results of an earlier run in ``path`` to resume from; a file of another command, profile or seed is
    refused (its results would not belong to this run)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return []
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"argument --resume: cannot read {path} as a results file: {err}") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL or not isinstance(data.get("results"), list):
        raise ValueError(f"argument --resume: {path} is not an {TOOL} results file")
    for key, want in (("command", command), ("profile", profile), ("seed", seed)):
        if data.get(key) != want:
            raise ValueError(
                f"argument --resume: {path} holds a run with {key} {data.get(key)!r}, this run has {want!r}"
            )
    return data["results"]
