"""JSON records of every command: one envelope (tool, version, git commit, command, profile, seed, start time and
the results), written atomically (a temporary file renamed over the target), so that a file on disk is always
complete, valid JSON, even when a run is interrupted. :func:`write_text` and :func:`save_figure` write other files
(CSV tables, markdown, plots) the same way, after :func:`require_path` has checked the path can be written.

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
import warnings
from pathlib import Path

__all__ = [
    "envelope",
    "write_json",
    "write_text",
    "write_file",
    "save_figure",
    "require_path",
    "read_results",
    "git_commit",
]

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
    (``started``, an ISO time; now if None), whether it ``finished``, and its ``results`` (a list or a dict)."""
    from bounds.validation import SEED_LIMIT, require_int

    from .. import __version__

    if not isinstance(command, str) or not command:
        raise TypeError(f"command must be a non-empty str (the command's name), got {_shown(command)}")
    if not isinstance(results, (list, dict)):
        raise TypeError(f"results must be a list or a dict, got {_shown(results)}")
    if profile is not None and not isinstance(profile, str):
        raise TypeError(f"profile must be a str or None, got {_shown(profile)}")
    if seed is not None:
        seed = require_int("seed", seed, low=0, high=SEED_LIMIT)
    if started is not None and not isinstance(started, str):
        raise TypeError(f"started must be an ISO time (str) or None, got {_shown(started)}")
    if not isinstance(finished, bool):
        raise TypeError(f"finished must be a bool, got {_shown(finished)}")

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


def require_path(name: str, path) -> str:
    """``path`` as a str after checking it names a file that can be written: a non-empty path (str or
    ``os.PathLike``) whose folder exists and is writable, and which is not a folder itself (a ValueError or
    TypeError naming ``name`` otherwise)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the parameter's name (a non-empty str), got {_shown(name)}")
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"{name} must be a file path (str), got {_shown(path)}")
    text = os.fspath(path)
    if not isinstance(text, str) or not text or "\0" in text:
        raise ValueError(f"{name} must be a non-empty file path, got {_shown(path)}")
    folder = os.path.dirname(os.path.abspath(text))
    if os.path.isdir(text) or not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise ValueError(
            f"{name}: cannot write {text!r} (its folder must exist and be writable, and it must not be a folder)"
        )
    return text


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _atomic(path: str, name: str, write) -> None:
    """Call ``write(temporary path)``, then rename the temporary file over ``path``: ``path`` is never left
    partial or empty, even when interrupted. The file gets the permissions a plain ``open(path, "w")`` would."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except (OSError, ValueError) as err:
        raise ValueError(f"{name}: cannot write {path!r}: {err}") from None
    os.close(handle)
    try:
        write(temp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)
        os.replace(temp, path)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise ValueError(f"{name}: cannot write {path!r}: {err.strerror or err}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text(path, text: str, *, name: str = "path") -> str:
    """Write ``text`` to ``path`` atomically (temporary file + rename); returns the path as a str."""
    path = require_path(name, path)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {_shown(text)}")

    def write(temp):
        with open(temp, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())

    _atomic(path, name, write)
    return path


def write_file(path, write, *, name: str = "path") -> str:
    """``write(temporary path)`` (a function that writes the whole file there, e.g. a netCDF writer), then the
    temporary file renamed over ``path``: ``path`` is never left partial, even when interrupted; returns ``path``."""
    path = require_path(name, path)
    if not callable(write):
        raise TypeError(f"write must be a function of a temporary path, got {_shown(write)}")
    _atomic(path, name, write)
    return path


def save_figure(fig, path, *, name: str = "path", **options) -> str:
    """``fig.savefig(path, **options)`` atomically (temporary file + rename), in the format of ``path``'s
    extension (matplotlib's default format when it has none); ``fig`` is a matplotlib Figure. A character of a
    label that the font lacks is drawn as a box, without matplotlib's warning about it."""
    path = require_path(name, path)
    if not callable(getattr(fig, "savefig", None)):
        raise TypeError(f"fig must be a matplotlib Figure, got {_shown(fig)}")
    import matplotlib

    fmt = os.path.splitext(path)[1][1:].lower() or matplotlib.rcParams["savefig.format"]

    def write(temp):
        with warnings.catch_warnings():  # a character the font lacks is drawn as a box: nothing to warn about
            warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
            fig.savefig(temp, format=fmt, **options)

    try:
        _atomic(path, name, write)
    except ValueError as err:
        if str(err).startswith(f"{name}:"):
            raise
        raise ValueError(f"{name}: cannot save a figure as {path!r}: {err}") from None
    return path


def write_json(path, data) -> None:
    """Write ``data`` as JSON to ``path`` atomically: serialised first (a ValueError or TypeError naming ``data``
    if it cannot be), then written to a temporary file in the same folder, flushed to disk and renamed over
    ``path``, so that ``path`` is never a partial or empty file, even when interrupted."""
    path = require_path("path", path)
    try:
        text = json.dumps(data, indent=2)
    except (TypeError, ValueError, RecursionError) as err:
        raise TypeError(f"data must be JSON-serialisable (dicts, lists, str, numbers, None): {err}") from None
    write_text(path, text)


def read_results(path, *, command: str, profile: str | None, seed: int | None) -> list[dict]:
    """The results of an earlier run in ``path`` to resume from; a file of another command, profile or seed is
    refused (its results would not belong to this run)."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes) or not os.fspath(path):
        raise TypeError(f"path must be a file path (str), got {_shown(path)}")
    if "\0" in os.fspath(path):
        raise ValueError(f"path must be a file path, got {_shown(path)}")
    if not isinstance(command, str):
        raise TypeError(f"command must be a str, got {_shown(command)}")
    if profile is not None and not isinstance(profile, str):
        raise TypeError(f"profile must be a str or None, got {_shown(profile)}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int or None, got {_shown(seed)}")
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return []
    except (OSError, ValueError, RecursionError) as err:  # JSONDecodeError and undecodable bytes are ValueErrors
        raise ValueError(f"argument --resume: cannot read the path {path} as a results file: {err}") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL or not isinstance(data.get("results"), list):
        raise ValueError(f"argument --resume: the path {path} is not an {TOOL} results file")
    for key, want in (("command", command), ("profile", profile), ("seed", seed)):
        if data.get(key) != want:
            raise ValueError(
                f"argument --resume: the path {path} holds a run with {key} {data.get(key)!r}, this run has {want!r}"
            )
    return data["results"]
