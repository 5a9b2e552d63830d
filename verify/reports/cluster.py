"""Where a sweep's points and a check's claims run: here, one after another (``"serial"``), on a Dask cluster started
on this machine (``"local"``: a ``distributed.LocalCluster`` of worker processes, one thread each), or on an existing
Dask cluster (its scheduler's address, e.g. ``tcp://10.0.0.5:8786``).

Every task is a pure function of its arguments (a point or a claim id, and its seed), so the results are the same
whichever cluster and however many workers run them; :func:`distribute` hands each result back as it arrives, so
that the caller can save it at once and finished work is never lost. The workers must run the same aimc-verify and
numpy as this process (checked on connecting): the same seed gives the same numbers only with the same code.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable

from ..sim._limits import short

__all__ = ["SCHEDULERS", "MAX_WORKERS", "require_scheduler", "require_workers", "dask_client", "distribute"]

#: the named schedulers; anything else must be a Dask scheduler's address
SCHEDULERS = ("local", "serial")
#: the most worker processes of a local cluster: each is a Python process with the numerics loaded (about 200 MB)
MAX_WORKERS = 256
#: seconds to wait for an existing scheduler to answer
CONNECT_TIMEOUT = 10
#: Dask's nannies set MALLOC_TRIM_THRESHOLD_ in their workers (to hand freed memory back to the system at once), which
#: also turns off glibc's adaptive mmap threshold: every large temporary array of a step is then mapped and unmapped
#: again, and a Monte Carlo run takes about twice as long (measured: 6.3 s against 2.9 s for one compare point). The
#: local cluster's workers are started without it; for an existing cluster, see the README ("Sweeps and clusters").
UNTRIMMED = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
_ADDRESS = re.compile(r"(?:(?:tcp|tls|ws|wss|ucx|inproc)://)?[A-Za-z0-9_.\-\[\]:]*[A-Za-z0-9_.\-\]]:\d{1,5}")


def require_scheduler(scheduler) -> str:
    """``scheduler`` if it is ``"local"``, ``"serial"`` or a Dask scheduler address (``[tcp://]HOST:PORT``), else a
    ValueError or TypeError naming ``scheduler``.

    >>> require_scheduler("tcp://10.0.0.5:8786"), require_scheduler("serial")
    ('tcp://10.0.0.5:8786', 'serial')
    """
    if not isinstance(scheduler, str):
        raise TypeError(f"scheduler must be local, serial or a Dask scheduler address (str), got {short(scheduler)}")
    if scheduler not in SCHEDULERS and not _ADDRESS.fullmatch(scheduler):
        raise ValueError(
            f"scheduler must be local (a Dask cluster on this machine), serial (here, without Dask) or a Dask "
            f"scheduler address such as tcp://HOST:8786, got {short(scheduler)}"
        )
    return scheduler


def require_workers(workers) -> int | None:
    """``workers`` (the local cluster's worker processes) as an int in [1, :data:`MAX_WORKERS`], or None (one per
    core); a ValueError or TypeError naming ``workers`` otherwise."""
    from bounds.validation import require_int

    if workers is None:
        return None
    return require_int(
        "workers", workers, low=1, high=MAX_WORKERS, reason="each worker is a process with the numerics loaded"
    )


def _versions() -> dict:
    """What must agree between this process and every worker for the same seed to give the same numbers."""
    import numpy

    from .. import __version__

    return {"aimc-verify": __version__, "numpy": numpy.__version__}


@contextlib.contextmanager
def dask_client(scheduler: str = "local", workers: int | None = None):
    """A ``distributed.Client`` on a new local cluster (``"local"``: ``workers`` processes, default one per core, one
    thread each) or connected to the scheduler at an address; closed (with its cluster) on leaving. The workers'
    aimc-verify and numpy versions must be this process's (a ValueError naming ``scheduler`` otherwise)."""
    scheduler, workers = require_scheduler(scheduler), require_workers(workers)
    if scheduler == "serial":
        raise ValueError("scheduler: serial runs here, without Dask; it has no client")
    import logging

    import dask
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        if scheduler == "local":
            stack.enter_context(dask.config.set(UNTRIMMED))
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError) as err:
                raise ValueError(
                    f"scheduler: cannot connect to {scheduler} within {CONNECT_TIMEOUT} s ({type(err).__name__}: {err})"
                ) from None
        here = _versions()
        for worker, theirs in client.run(_versions).items():
            if theirs != here:
                raise ValueError(
                    f"scheduler: worker {worker} runs {theirs}, this process {here}; install the same versions there "
                    "(the same seed gives the same numbers only with the same code)"
                )
        yield client


def distribute(
    task: Callable,
    arguments: list,
    on_done: Callable | None = None,
    *,
    scheduler: str = "local",
    workers: int | None = None,
) -> list:
    """``task(*arguments[i])`` for every i, here (``scheduler="serial"``) or on a Dask cluster (:func:`dask_client`:
    one task each, gathered as they complete); ``on_done(i, result)`` is called here as each finishes, in the order
    they finish, so the caller can save it at once. Returns the results in the order of ``arguments``.

    ``task`` must be a module-level function (workers import it) and its results picklable. An exception of a task
    is raised here after the results already handed to ``on_done``; Ctrl-C (KeyboardInterrupt) cancels the tasks not
    finished and is raised again.

    >>> distribute(pow, [(2, 3), (3, 2)], scheduler="serial")
    [8, 9]
    """
    if not callable(task):
        raise TypeError(f"task must be a function, got {short(task)}")
    if not isinstance(arguments, (list, tuple)) or not all(isinstance(a, (list, tuple)) for a in arguments):
        raise TypeError(f"arguments must be a list of argument tuples, got {short(arguments)}")
    if on_done is not None and not callable(on_done):
        raise TypeError(f"on_done must be a function (index, result) or None, got {short(on_done)}")
    scheduler, workers = require_scheduler(scheduler), require_workers(workers)
    results: dict[int, object] = {}

    def done(index, result):
        results[index] = result
        if on_done is not None:
            on_done(index, result)

    if scheduler == "serial" or not arguments:
        for index, args in enumerate(arguments):
            done(index, task(*args))
    else:
        from distributed import as_completed

        with dask_client(scheduler, workers) as client:
            futures = {client.submit(task, *args, pure=False): index for index, args in enumerate(arguments)}
            try:
                for future in as_completed(futures):
                    done(futures[future], future.result())
            except BaseException:
                client.cancel(list(futures))
                raise
    return [results[index] for index in range(len(arguments))]
