"""``python -m verify sweep``: the command's options and its run (the computation is :mod:`verify.reports.sweep`'s,
the distribution :mod:`verify.reports.cluster`'s)."""

from __future__ import annotations

import argparse

from ..claims.profiles import DEFAULT_SEED
from .arguments import number, seed, writable_option

__all__ = ["add_parser", "run", "scheduler", "workers"]


def run(args) -> int:
    """The ``sweep`` command: the grid of the config file and the options, run (resuming from ``OUT.parts``), written
    to ``--out`` as netCDF and optionally plotted."""
    from ..reports.sweep import load_sweep, plot_sweep, run_sweep

    writable_option(args.plot, "--plot")
    if not args.out.endswith(".nc"):
        raise ValueError(f"argument --out: the dataset is netCDF, name it FILE.nc; got {args.out}")
    writable_option(args.out, "--out")
    try:
        sweep = load_sweep(args.config, axes=dict(args.axis), fixed=dict(args.set), seed=args.seed)
    except ValueError as err:
        both = " (CONFIG or " if args.config else " ("
        where = {"path": "CONFIG", "axes": f"--axis{both}--axis)", "fixed": f"--set{both}--set)"}
        head, _, rest = str(err).partition(": ")
        raise ValueError(f"argument {where.get(head, head)}: {rest}" if head in where else str(err)) from None
    points = len(sweep.points())
    print(
        f"sweep of {points} point(s) over {', '.join(n for n, _ in sweep.axes) or 'no axis'}, root seed {sweep.seed}, "
        f"scheduler {args.scheduler}"
    )
    dataset = run_sweep(sweep, args.out, scheduler=args.scheduler, workers=args.workers, report=print)
    failed = int((dataset["status"].values != "ok").sum())
    print(f"wrote {args.out}" + (f" ({failed} point(s) failed: see the status variable)" if failed else ""))
    if args.plot:
        print(f"wrote {plot_sweep(dataset, args.plot)}")
    return 0


def _assignment(axis: bool):
    def convert(text: str):
        from ..reports.sweep import parse_assignment

        try:
            return parse_assignment(text, axis=axis)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err).removeprefix("text: ").removeprefix("text ")) from None

    return convert


def scheduler(text: str) -> str:
    """An argparse type: ``local``, ``serial`` or a Dask scheduler's address."""
    from ..reports.cluster import require_scheduler

    try:
        return require_scheduler(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix("scheduler ")) from None


def workers(text: str) -> int:
    """An argparse type: the local cluster's worker processes, in [1, MAX_WORKERS]."""
    from ..reports.cluster import MAX_WORKERS

    return number(int, low=1, high=MAX_WORKERS)(text)


def add_parser(commands) -> argparse.ArgumentParser:
    """Add the ``sweep`` subcommand to argparse subparsers ``commands``; its ``run`` is :func:`run`."""
    p = commands.add_parser(
        "sweep", help="compare over a grid of parameters, here or on a Dask cluster, as a netCDF dataset"
    )
    p.add_argument("config", nargs="?", metavar="CONFIG", help="a TOML file: seed, [axes] and [fixed] (optional)")
    p.add_argument(
        "--axis",
        action="append",
        type=_assignment(True),
        default=[],
        metavar="NAME=V1,V2,...",
        help="an axis of the grid, e.g. tau=0.5,1,2 or algorithm=analog-sgd,tiki-taka (repeatable)",
    )
    p.add_argument(
        "--set",
        action="append",
        type=_assignment(False),
        default=[],
        metavar="NAME=V",
        help="a fixed parameter of every point, e.g. steps=2000 (repeatable)",
    )
    p.add_argument(
        "--out", required=True, metavar="FILE.nc", help="the dataset (netCDF); finished points in FILE.nc.parts"
    )
    p.add_argument(
        "--seed", type=seed, default=None, help=f"root seed entropy (default the config's, else {DEFAULT_SEED})"
    )
    p.add_argument(
        "--scheduler",
        type=scheduler,
        default="local",
        help="local (a Dask cluster on this machine, default), serial (here, without Dask) or a scheduler's ADDRESS",
    )
    p.add_argument("--workers", type=workers, default=None, help="local cluster: worker processes (default: all cores)")
    p.add_argument("--plot", metavar="FILE", help="heatmaps or lines of floor, floor/bound and floor/predicted")
    p.set_defaults(run=run)
    return p
