"""The command line: ``python -m verify`` (or ``aimc-verify``).

Every command exits non-zero with a one-line message naming the bad argument when given bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..claims.registry import DEFAULT_SEED, PROFILES
from .arguments import Parser, number, writable_option
from .compare import add_parser as add_compare_parser

__all__ = ["main"]


_positive_int = number(int, low=1)


def _writable(path: str | None) -> None:
    writable_option(path, "--json")


def _bench(args) -> int:
    from ..reports.bench import run_benchmark

    _writable(args.json)
    rows = run_benchmark(
        chains=args.chains, steps=args.steps, repeats=args.repeats, workers=args.workers, progress=False
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)
        print(f"wrote {args.json}")
    return 0


def _claims(args) -> int:
    from ..claims.registry import load_claims

    for c in load_claims().values():
        print(f"{c.id:<5} {c.relation:<9} {c.source:<28} {c.statement}")
    return 0


def _check(args) -> int:
    from ..claims.registry import run_checks
    from ..reports.ledger import format_table

    _writable(args.json)
    done = []

    def save(result):  # finished work is never lost
        done.append(result.to_json())
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump(done, handle, indent=2)

    results = run_checks(args.ids or None, profile=args.profile, entropy=args.seed, on_result=save)
    print(format_table(results))
    if args.json:
        print(f"wrote {args.json}")
    return 1 if any(r.verdict == "refuted" for r in results) and args.strict else 0


def _ledger(args) -> int:
    from ..claims.registry import load_claims, run_checks
    from ..reports.ledger import format_ledger, stale_claims, validation_results

    if not args.check:
        writable_option(args.out, "--out")
    results = run_checks(None, profile=args.profile, entropy=args.seed)
    command = "python -m verify ledger" + (f" --profile {args.profile}" if args.profile != "quick" else "")
    validation = validation_results(args.profile, args.seed)
    text = format_ledger(
        load_claims(), results, command=command, profile=args.profile, entropy=args.seed, validation=validation
    )
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as handle:
                committed = handle.read()
        except OSError as err:
            raise ValueError(f"argument --out: cannot read {args.out}: {err.strerror}") from None
        stale = stale_claims(committed, text)
        if stale:
            print(f"{args.out} is stale: {', '.join(stale)} differ from a fresh run; regenerate it with `{command}`")
            return 1
        print(f"{args.out} is up to date")
        return 0
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {args.out}")
    return 0


def _figure(args) -> int:
    from ..reports.figures import make_figure

    made = make_figure(
        args.name, args.out, args.source, model=args.model, chains=args.chains, steps=args.steps, seed=args.seed
    )
    for path in made["paths"].values():
        print(f"wrote {path}")
    for line in made.get("lines", []):
        print(line)
    for tau, pair in made.get("distances", {}).items():
        d2, d3 = pair["digital (2)"], pair["analog (3)"]
        print(
            f"tau={tau:g}: distance to the pulse level (mean |log ratio|): digital (2) {d2.mean:.3g} "
            f"[{d2.low:.3g}, {d2.high:.3g}], dynamic (3) {d3.mean:.3g} [{d3.low:.3g}, {d3.high:.3g}]"
        )
    return 0


def _crosscheck(args) -> int:
    from ..reports.crosscheck import (
        CURVE_TOLERANCE,
        FLOOR_TOLERANCE,
        AIHWKitUnavailable,
        crosscheck,
        format_crosscheck,
        reference_crosscheck,
        validate,
    )

    if args.reference:
        result = reference_crosscheck(args.name, chains=args.chains, seed=args.seed)
    else:
        try:
            result = crosscheck(args.name, seeds=args.seeds, chains=args.chains, seed=args.seed, steps=args.steps)
        except AIHWKitUnavailable as err:
            print(
                f"aimc-verify crosscheck: {err}; `--reference` compares with the committed AIHWKit runs instead",
                file=sys.stderr,
            )
            return 2
    print(format_crosscheck(result))
    verdict = validate(result)["verdict"]
    print(
        f"match ({args.name}): {verdict} (every floor ratio 1 +- {FLOOR_TOLERANCE.value:g}, every curve distance "
        f"<= {CURVE_TOLERANCE.value:g})"
    )
    return 0


def _figure_name(text: str) -> str:
    from ..reports.figures import FIGURES

    names = sorted(set().union(*FIGURES.values()))
    if text not in names:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(names)}, got {text!r}")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="aimc-verify", description="Check the theory of analog in-memory training, claim by claim.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    bench = commands.add_parser("bench", help="measure the Monte Carlo engine's throughput")
    bench.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    bench.add_argument("--chains", type=_positive_int, default=4096, help="chains R (default 4096)")
    bench.add_argument("--steps", type=_positive_int, default=300, help="steps K per timing (default 300)")
    bench.add_argument("--repeats", type=_positive_int, default=3, help="timings per workload (default 3)")
    bench.add_argument("--workers", type=_positive_int, default=None, help="threads (default: all cores)")
    bench.set_defaults(run=_bench)

    claims = commands.add_parser("claims", help="list the claims: id, relation, source, statement")
    claims.set_defaults(run=_claims)

    check = commands.add_parser("check", help="check claims and print their verdicts")
    check.add_argument("ids", nargs="*", metavar="ID", help="claim ids, e.g. C9 C13 (default: all)")
    check.add_argument("--profile", default="quick", choices=list(PROFILES), help="quick (default) or full")
    check.add_argument("--json", metavar="FILE", help="also write the results as JSON (after every claim)")
    check.add_argument("--seed", type=_positive_int, default=DEFAULT_SEED, help="root seed entropy")
    check.add_argument("--strict", action="store_true", help="exit 1 if any claim is refuted")
    check.set_defaults(run=_check)

    ledger = commands.add_parser("ledger", help="run every check and write the claim ledger")
    ledger.add_argument("--out", default="paper_checks.md", metavar="FILE", help="default paper_checks.md")
    ledger.add_argument("--profile", default="quick", choices=list(PROFILES), help="quick (default) or full")
    ledger.add_argument("--seed", type=_positive_int, default=DEFAULT_SEED, help="root seed entropy")
    ledger.add_argument(
        "--check",
        action="store_true",
        help="rerun and compare with FILE instead of writing it; exit 1 naming the stale claims",
    )
    ledger.set_defaults(run=_ledger)

    figure = commands.add_parser("figure", help="reproduce a paper figure: PNG and CSV of the plotted data")
    figure.add_argument(
        "name", type=_figure_name, metavar="NAME", help="the figure: fig1, fig3, fig4-tau, fig4-sigma, fig4-init"
    )
    figure.add_argument("--out", default=".", metavar="DIR", help="output directory (default: current)")
    figure.add_argument(
        "--source",
        default="paper",
        choices=["paper", "code"],
        help="dynamic (3) only: the paper's settings (default) or the official code's",
    )
    figure.add_argument(
        "--model",
        default="experiment",
        choices=["experiment", "dynamic3"],
        help="the official script on the AIHWKit-faithful tile (default) or the paper's dynamic (3)",
    )
    figure.add_argument(
        "--chains", type=_positive_int, default=None, help="chains per curve (default 16 on the experiment model, 1000)"
    )
    figure.add_argument("--steps", type=_positive_int, default=None, help="steps K (default: the figure's)")
    figure.add_argument("--seed", type=_positive_int, default=DEFAULT_SEED, help="root seed entropy")
    figure.set_defaults(run=_figure)

    cross = commands.add_parser(
        "crosscheck", help="a figure's script on the experiment model and in AIHWKit (installed or the committed runs)"
    )
    cross.add_argument(
        "name", choices=["fig1", "fig3", "fig4-tau", "fig4-sigma", "fig4-init"], metavar="NAME", help="the figure"
    )
    cross.add_argument("--reference", action="store_true", help="compare with the AIHWKit runs in tests/data")
    cross.add_argument(
        "--seeds", type=_positive_int, default=8, help="AIHWKit runs (torch seeds) per curve (default 8)"
    )
    cross.add_argument("--chains", type=_positive_int, default=16, help="model chains per curve (default 16)")
    cross.add_argument(
        "--steps", type=_positive_int, default=None, help="steps K, live runs only (default the script's)"
    )
    cross.add_argument("--seed", type=_positive_int, default=DEFAULT_SEED, help="the model's root seed entropy")
    cross.set_defaults(run=_crosscheck)

    add_compare_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as err:
        print(f"aimc-verify {args.command}: error: {err}", file=sys.stderr)
        return 2
