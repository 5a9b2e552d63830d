"""``python -m verify compare``: the command's options and its run (the computation is
:mod:`verify.reports.compare`'s)."""

from __future__ import annotations

import argparse

from ..claims.profiles import DEFAULT_SEED
from ..reports.choices import ALGORITHMS, NOISES, PROBLEMS
from .arguments import number, seed, writable_option

__all__ = ["add_parser", "run"]


def run(args) -> int:
    """The ``compare`` command: compute, print, and optionally plot and write JSON (several algorithms: one summary
    table and one overlay plot)."""
    from ..reports.compare import compare_many, format_many, format_report, plot_compare, plot_many, report_json
    from ..reports.records import envelope, write_json

    writable_option(args.json, "--json")
    writable_option(args.plot, "--plot")
    print(f"root seed {args.seed}")
    reports = compare_many(
        args.algorithm,
        problem=args.problem,
        dim=args.dim,
        problem_seed=args.problem_seed,
        L=args.L,
        w_star=args.w_star,
        tau=args.tau,
        sigma=args.sigma,
        alpha=args.alpha,
        beta=args.beta,
        steps=args.steps,
        chains=args.chains,
        noise=args.noise,
        seed=args.seed,
        tail=args.tail,
        dw_min=args.dw_min,
    )
    one = len(reports) == 1
    print(format_report(reports[0]) if one else format_many(reports))
    if args.plot:
        print(f"wrote {plot_compare(reports[0], args.plot) if one else plot_many(reports, args.plot)}")
    if args.json:
        data = report_json(reports[0]) if one else [report_json(r) for r in reports]
        write_json(args.json, envelope("compare", data, seed=args.seed, finished=True))
        print(f"wrote {args.json}")
    return 0


def _algorithms(text: str) -> list[str]:
    """``--algorithm``: one name of ALGORITHMS or several, comma-separated."""
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in ALGORITHMS]
    if bad or not names or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(
            f"must be one or more of {', '.join(ALGORITHMS)}, comma-separated, each once; got {text!r}"
        )
    return names


def add_parser(commands) -> argparse.ArgumentParser:
    """Add the ``compare`` subcommand to argparse subparsers ``commands``; its ``run`` is :func:`run`."""
    positive_int, nonneg_int, positive = number(int, low=1), number(int, low=0), number(float, low=0.0, low_open=True)

    p = commands.add_parser("compare", help="bound vs Monte Carlo for parameters you choose")
    p.add_argument(
        "--algorithm",
        type=_algorithms,
        default=["analog-sgd"],
        help=f"one or more of {', '.join(ALGORITHMS)}, comma-separated (default analog-sgd)",
    )
    p.add_argument(
        "--problem",
        choices=PROBLEMS,
        default="scalar",
        help="least-squares (Figure 1's data, D and seed), scalar L/2 (w - w*)^2, or theorem2",
    )
    p.add_argument("--dim", type=positive_int, default=40, help="D for least-squares and theorem2 (default 40)")
    p.add_argument("--problem-seed", type=nonneg_int, default=42, help="least-squares data seed (default 42)")
    p.add_argument("--L", type=positive, default=1.0, help="smoothness of scalar/theorem2 (default 1)")
    p.add_argument("--w-star", type=number(float), default=0.5, help="minimiser of scalar/theorem2 (default 0.5)")
    p.add_argument("--tau", type=positive, default=1.0, help="ALD bound (default 1)")
    p.add_argument("--sigma", type=positive, default=0.3, help="noise level, E||eps||^2 = sigma^2 (default 0.3)")
    p.add_argument("--alpha", type=positive, default=None, help="step size (default min(0.05, 1/(2L)); below 2/L)")
    p.add_argument(
        "--beta", type=positive, default=None, help="Tiki-Taka P step (default 8 alpha L, lowered to stay in range)"
    )
    p.add_argument("--steps", type=positive_int, default=1000, metavar="K", help="K (default 1000)")
    p.add_argument("--chains", type=number(int, low=2), default=1000, help="chains R >= 2 (default 1000)")
    p.add_argument("--noise", choices=NOISES, default="gaussian", help="noise law (default gaussian)")
    p.add_argument("--seed", type=seed, default=DEFAULT_SEED, help="root seed entropy")
    p.add_argument(
        "--tail",
        type=number(float, low=0.0, high=1.0, low_open=True),
        default=0.5,
        help="floor window: last fraction of K (default 0.5)",
    )
    p.add_argument("--dw-min", type=positive, default=1e-3, help="pulse size for pulsed-sgd (default 1e-3)")
    p.add_argument("--plot", metavar="FILE", help="PNG of the per-step mean with bands and the bounds")
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    p.set_defaults(run=run)
    return p
