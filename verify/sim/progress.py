"""Progress bars that appear only on runs longer than a few seconds."""

from __future__ import annotations

import threading

from tqdm.auto import tqdm

__all__ = ["ProgressBar"]

#: seconds a run must last before its bar is drawn
DELAY_SECONDS = 2.0


class ProgressBar:
    """A thread-safe counter drawn by tqdm after :data:`DELAY_SECONDS`.

    ``enabled=None`` draws the bar only when standard error is a terminal (or a notebook);
    ``True`` always, ``False`` never.
    """

    def __init__(self, total: int, description: str, unit: str, enabled: bool | None = None):
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
