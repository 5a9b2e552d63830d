"""Seeds: every random number comes from a ``numpy.random.SeedSequence`` whose entropy and spawn key are
recorded, so the same seed gives the same numbers, whatever the order or the process that asks."""

from __future__ import annotations

import numpy as np

from bounds.validation import SEED_LIMIT, require_instance, require_int

__all__ = ["root_seed", "child_seed", "seed_record"]


def root_seed(seed) -> np.random.SeedSequence:
    """``seed`` itself when it is a SeedSequence, else ``SeedSequence(seed)`` for an int >= 0."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(require_int("seed", seed, low=0, high=SEED_LIMIT))


def child_seed(seed: np.random.SeedSequence, *path: int) -> np.random.SeedSequence:
    """The child of ``seed`` at ``path``, built explicitly (``seed.spawn`` would advance the parent's counter,
    so a second call with the same object would draw other numbers).

    >>> a = child_seed(np.random.SeedSequence(5, spawn_key=(1,)), 2)
    >>> a.entropy, a.spawn_key
    (5, (1, 2))
    """
    require_instance("seed", seed, np.random.SeedSequence, "root_seed(0)")
    # spawn keys are non-negative integers of any size; each is hashed as 32-bit words, so they are capped
    # like a seed
    keys = tuple(require_int(f"path[{i}]", p, low=0, high=SEED_LIMIT) for i, p in enumerate(path))
    return np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + keys, pool_size=seed.pool_size)


def seed_record(seed: np.random.SeedSequence) -> dict:
    """What reproduces ``seed``: its entropy and spawn key."""
    require_instance("seed", seed, np.random.SeedSequence, "root_seed(0)")
    return {"entropy": seed.entropy, "spawn_key": list(seed.spawn_key)}
