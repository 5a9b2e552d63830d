"""Regenerate the AIHWKit reference CSV files of tests/data/ (run from the repository root, in a Python that has
torch and aihwkit besides the toolkit's own dependencies):

    PYTHONPATH=. /work/aihwkit-env/venv/bin/python tests/data/make_aihwkit_references.py

Writes, each with a first comment line naming the aihwkit, torch and numpy versions, the date, the command
and the seeds:

* ``aihwkit_floors.csv`` (figure,run,x,seed,floor): every run of every script of
  :data:`verify.experiments.scripts.SCRIPTS`, one row per torch seed; floor = the mean of the last
  :data:`verify.experiments.scripts.FLOOR_STEPS` logged losses;
* ``aihwkit_curves.csv`` (figure,run,k,mean,std,seeds): the logged loss's mean and standard deviation
  (ddof = 1) over the seeds at every k <= 50, every 25th k up to K, and K;
* ``aihwkit_pulse_counts.csv`` (case,x,d,lr,dw_min,desired_bl,j,mean,var,cov_with_0,trials): the signed pulse
  counts of single-sample updates (:data:`PULSE_CASES`), per input j: mean, variance and covariance with the
  count of input 0 across trials (ddof = 1); x is written with ";" between entries.

AIHWKit's CPU simulator seeds its pulse and noise generator from the clock, so a rerun differs from the
committed files within Monte Carlo error; torch's seed fixes nothing that matters here.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

from verify.experiments.scripts import FLOOR_STEPS, SCRIPTS

HERE = Path(__file__).resolve().parent

#: (case, x, d, lr, dw_min, desired_bl): requested pulses of the largest entry k = lr max|x| |d| / dw_min
PULSE_CASES = (
    ("a", (1.0, 0.5, -0.25, 0.1), 0.3, 0.01, 1e-3, 31),  # k = 3
    ("b", (1.0, 0.5, -0.25, 0.1), 3.0, 0.01, 1e-3, 31),  # k = 30
    ("c", (1.0, 0.5, -0.25, 0.1), 30.0, 0.01, 1e-3, 31),  # k = 300 > desired_bl: clipped
    ("d", (1.0,), 2.0, 0.01, 1e-3, 31),  # k = 20 exactly: 20 pulses every trial
    ("e", (0.6, -0.3), -0.05, 0.2, 1e-4, 800),  # k = 60
)
#: the curves' k grid: every k up to this, then every :data:`CURVE_STRIDE`-th k, and K
CURVE_DENSE = 50
CURVE_STRIDE = 25


def curve_grid(steps: int) -> np.ndarray:
    """k = 0..min(50, K), every 25th k after that up to K, and K."""
    ks = set(range(min(CURVE_DENSE, steps) + 1)) | set(range(0, steps + 1, CURVE_STRIDE)) | {steps}
    return np.array(sorted(ks))


@cache
def _script(figure: str):
    return SCRIPTS[figure]()


def _one_run(job: tuple[str, int, int]) -> tuple[str, int, int, np.ndarray, float]:
    """Worker: the logged losses of run ``index`` of ``figure`` at torch seed ``seed``."""
    from verify.experiments.aihwkit_backend import run_script

    figure, index, seed = job
    script = _script(figure)
    start = time.perf_counter()
    logged = run_script(script, script.runs[index], seed)
    return figure, index, seed, logged, time.perf_counter() - start


def _header(command: str, seeds: str, extra: str = "") -> str:
    from verify.experiments.aihwkit_backend import versions

    v = versions()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (
        f"# aihwkit {v['aihwkit']}; torch {v['torch']}; numpy {v['numpy']}; date {date}; command: {command}; "
        f"seeds: {seeds}"
    )
    return text + (f"; {extra}" if extra else "")


def _write(path: Path, header: str, columns: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as f:
        f.write(header + "\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _g(v: float) -> str:
    return format(float(v), ".10g")


def run_scripts(seeds: int, workers: int) -> tuple[dict, float]:
    """{(figure, run index): (S, K+1) logged losses} over torch seeds 0..seeds-1, and the wall time."""
    jobs = [(figure, i, s) for figure in SCRIPTS for i in range(len(_script(figure).runs)) for s in range(seeds)]
    # the longest scripts first, so that the workers finish together
    jobs.sort(key=lambda j: -_script(j[0]).steps)
    logged = {(f, i): [None] * seeds for f, i, _ in jobs}
    start = time.perf_counter()
    done = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for figure, index, seed, values, _ in pool.map(_one_run, jobs, chunksize=1):
            logged[figure, index][seed] = values
            done += 1
            if done % 25 == 0 or done == len(jobs):
                print(f"  {done}/{len(jobs)} runs, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return {key: np.vstack(v) for key, v in logged.items()}, time.perf_counter() - start


def pulse_statistics(trials: int) -> tuple[list[list], float]:
    """The rows of aihwkit_pulse_counts.csv, and the wall time."""
    from verify.experiments.aihwkit_backend import pulse_counts

    rows = []
    start = time.perf_counter()
    for case, x, d, lr, dw_min, desired_bl in PULSE_CASES:
        counts = pulse_counts(x, d, lr, dw_min, desired_bl, trials, seed=0).astype(np.float64)
        cov = np.cov(counts, rowvar=False, ddof=1).reshape(len(x), len(x))
        for j in range(len(x)):
            rows.append(
                [
                    case,
                    ";".join(_g(v) for v in x),
                    _g(d),
                    _g(lr),
                    _g(dw_min),
                    desired_bl,
                    j,
                    _g(counts[:, j].mean()),
                    _g(cov[j, j]),
                    _g(cov[j, 0]),
                    trials,
                ]
            )
    return rows, time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=16, help="torch seeds 0..SEEDS-1 per run (default 16)")
    parser.add_argument("--trials", type=int, default=4000, help="updates per pulse-count case (default 4000)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="processes (default 2)")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default tests/data)")
    args = parser.parse_args(argv)
    if args.seeds < 2 or args.trials < 2 or args.workers < 1:
        parser.error("--seeds and --trials must be >= 2 and --workers >= 1")
    from verify.experiments.aihwkit_backend import available, unavailable_reason

    if not available():
        parser.error(unavailable_reason())
    command = "PYTHONPATH=. " + " ".join([sys.executable, *sys.argv]) if argv is None else "main(" + repr(argv) + ")"
    start = time.perf_counter()

    print(f"pulse counts: {len(PULSE_CASES)} cases x {args.trials} trials", file=sys.stderr, flush=True)
    pulse_rows, pulse_seconds = pulse_statistics(args.trials)
    print(f"script runs: {args.seeds} seeds, {args.workers} workers", file=sys.stderr, flush=True)
    logged, script_seconds = run_scripts(args.seeds, args.workers)

    floor_rows, curve_rows = [], []
    for figure in SCRIPTS:
        script = _script(figure)
        grid = curve_grid(script.steps)
        for i, run in enumerate(script.runs):
            values = logged[figure, i]
            for seed, f in enumerate(values[:, -FLOOR_STEPS:].mean(axis=1)):
                floor_rows.append([figure, run.label, run.x if isinstance(run.x, str) else _g(run.x), seed, _g(f)])
            mean, std = values.mean(axis=0), values.std(axis=0, ddof=1)
            for k in grid:
                curve_rows.append([figure, run.label, int(k), _g(mean[k]), _g(std[k]), values.shape[0]])

    total = time.perf_counter() - start
    seeds = (
        f"torch.manual_seed(s) for s = 0..{args.seeds - 1}, one run each (AIHWKit's CPU pulse/noise RNG is seeded "
        "from the clock: reruns differ within Monte Carlo error)"
    )
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    _write(
        out / "aihwkit_floors.csv",
        _header(command, seeds, f"floor = mean of the last {FLOOR_STEPS} logged losses; {total:.0f} s in all"),
        ["figure", "run", "x", "seed", "floor"],
        floor_rows,
    )
    _write(
        out / "aihwkit_curves.csv",
        _header(command, seeds, f"mean and std (ddof=1) over the seeds of the logged loss at k; {total:.0f} s in all"),
        ["figure", "run", "k", "mean", "std", "seeds"],
        curve_rows,
    )
    _write(
        out / "aihwkit_pulse_counts.csv",
        _header(
            command,
            "torch.manual_seed(0) per case (the pulse trains are seeded from the clock)",
            "one update per trial from W = 0 on bounds +-1e6; count = rint(dW/dw_min); var and cov_with_0 across "
            "trials with ddof=1; x entries separated by ';'",
        ),
        ["case", "x", "d", "lr", "dw_min", "desired_bl", "j", "mean", "var", "cov_with_0", "trials"],
        pulse_rows,
    )
    print(
        f"wrote {out}/aihwkit_{{floors,curves,pulse_counts}}.csv: pulse counts {pulse_seconds:.1f} s, script runs "
        f"{script_seconds:.1f} s, total {total:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
