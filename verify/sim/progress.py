"""Progress bars that appear only on runs longer than a few seconds."""

from __future__ import annotations

import threading

from tqdm.auto import tqdm

from bounds.validation import require_int

__all__ = ["ProgressBar"]

#: seconds a run must last before its bar is drawn
DELAY_SECONDS = 2.0


class ProgressBar:
    """A thread-safe counter drawn by tqdm after :data:`DELAY_SECONDS`.

    ``enabled=None`` draws the bar only when standard error is a terminal (or a notebook);
    ``True`` always, ``False`` never.
    """

    def __init__(self, total: int, description: str, unit: str, enabled: bool | None = None):
        total = require_int("total", total, low=0)
        for name, text in (("description", description), ("unit", unit)):
            if not isinstance(text, str):
                raise TypeError(f"{name} must be a str, got {repr(text)[:80]}")
        if enabled is not None and not isinstance(enabled, bool):
            raise ValueError(f"enabled must be True, False or None, got {repr(enabled)[:80]}")
        self._lock = threading.Lock()
        self._bar = tqdm(
            total=total,
            desc=description,
            unit=unit,
            unit_scale=True,
            delay=DELAY_SECONDS,
            disable=None if enabled is None else not enabled,
            leave=False,
        )

    def advance(self, n: int) -> None:
        with self._lock:
            self._bar.update(n)

    def close(self) -> None:
        self._bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
