"""The command line: ``python -m verify`` (or ``aimc-verify``).

Every command exits non-zero with a one-line message naming the bad argument when given bad input.
"""

from __future__ import annotations

import argparse
import sys

from ..claims.profiles import DEFAULT_SEED, PAPER_NAMES, PROFILE_NAMES
from .arguments import Parser, number, seed, writable_option
from .compare import add_parser as add_compare_parser
from .sweep import add_parser as add_sweep_parser
from .sweep import scheduler as _scheduler
from .sweep import workers as _workers

__all__ = ["main"]


_positive_int = number(int, low=1)
#: one seed rule for every command and the Python API: an int in [0, 2**128 - 1], default DEFAULT_SEED
_seed = seed


def _version() -> str:
    from .. import __version__

    return f"aimc-verify {__version__}"


def _writable(path: str | None) -> None:
    writable_option(path, "--json")


def _bench(args) -> int:
    from ..reports.bench import run_benchmark
    from ..reports.records import envelope, write_json

    _writable(args.json)
    rows = run_benchmark(
        chains=args.chains, steps=args.steps, repeats=args.repeats, workers=args.workers, progress=False
    )
    if args.json:
        write_json(args.json, envelope("bench", rows, finished=True))
        print(f"wrote {args.json}")
    return 0


def _claims(args) -> int:
    from ..claims.catalogue import catalogue, explain

    records = {r["id"]: r for r in catalogue()}
    unknown = [i for i in args.ids if i not in records]
    if unknown:
        raise ValueError(f"argument ID: unknown claim(s) {', '.join(unknown)}; `aimc-verify claims` lists them")
    if args.ids:
        print("\n\n".join(explain(records[i]) for i in args.ids))
        return 0
    for r in records.values():
        print(f"{r['id']:<5} {r['relation']:<9} {r['source']:<28} {r['statement']}")
    return 0


class _Run:
    """A run of claims that keeps its finished results in a JSON file (``--json``) after every claim, resumes
    from it (``--resume``) and, on Ctrl-C, says what it kept."""

    def __init__(self, command: str, args, path: str | None):
        from ..reports.records import envelope, read_results

        self.command, self.args, self.path = command, args, path
        self.done: list[dict] = []
        self.order: dict[str, int] = {}
        if getattr(args, "resume", False):
            if path is None:
                raise ValueError("argument --resume: needs --json FILE, the results file to resume from")
            self.done = read_results(path, command=command, profile=args.profile, seed=args.seed)
        elif path is not None:
            writable_option(path, "--json")
        self.record = envelope(command, self.done, profile=args.profile, seed=args.seed)
        self._write()

    def _write(self) -> None:
        if self.path is not None:
            from ..reports.records import write_json

            write_json(self.path, self.record)

    def finished_ids(self) -> set[str]:
        return {r["id"] for r in self.done}

    def save(self, result) -> None:  # finished work is never lost
        self.done.append(result.to_json())
        self.done.sort(key=lambda r: self.order.get(r["id"], len(self.order)))  # id order, however they finish
        self._write()

    def results(self, ids):
        """Run the claims ``ids`` (None: all) not finished yet; return every result in ``ids``' order."""
        from ..claims.registry import load_claims, run_checks
        from ..claims.results import ClaimResult

        order = list(ids) if ids else list(load_claims())
        self.order = {claim_id: i for i, claim_id in enumerate(order)}
        todo = [i for i in order if i not in self.finished_ids()]
        if len(todo) < len(order):
            print(f"resuming from {self.path}: {len(order) - len(todo)} of {len(order)} claims already done")
        where = getattr(self.args, "scheduler", None)
        spread = None
        if where is not None:
            from functools import partial

            from ..reports.cluster import distribute

            spread = partial(distribute, scheduler=where, workers=self.args.workers)
        try:
            run_checks(todo, profile=self.args.profile, entropy=self.args.seed, on_result=self.save, distribute=spread)
        except KeyboardInterrupt:
            kept = f"; {len(self.done)} finished claims kept in {self.path}, rerun with --resume" if self.path else ""
            raise _Interrupted(f"interrupted{kept}") from None
        self.record["finished"] = True
        self._write()
        by_id = {r["id"]: ClaimResult.from_json(r) for r in self.done}
        return [by_id[i] for i in order]


class _Interrupted(Exception):
    """Ctrl-C during a run, after its finished work was saved: one line, exit 130."""


def _check(args) -> int:
    from ..claims.registry import load_claims, paper_of
    from ..reports.ledger import format_check

    ids = args.ids or None
    if args.paper is not None:
        known = load_claims()
        other = [i for i in args.ids if i in known and paper_of(i) != args.paper]
        if other:
            raise ValueError(f"argument --paper: claim(s) {', '.join(other)} are not {args.paper}'s")
        ids = args.ids or [i for i in known if paper_of(i) == args.paper]
    run = _Run("check", args, args.json)
    print(f"profile {args.profile}, root seed {args.seed}" + (f", paper {args.paper}" if args.paper else ""))
    results = run.results(ids)
    print(format_check(results, load_claims(), profile=args.profile, seed=args.seed, json_path=args.json))
    return 1 if any(r.verdict == "refuted" for r in results) and args.strict else 0


def _ledger(args) -> int:
    from ..claims.registry import load_claims
    from ..reports.ledger import format_ledger, stale_claims, validation_results
    from ..reports.records import write_text

    if not args.check:
        writable_option(args.out, "--out")
    run = _Run("ledger", args, args.json)
    print(f"profile {args.profile}, root seed {args.seed}")
    results = run.results(None)
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
    write_text(args.out, text, name="--out")
    print(f"wrote {args.out}")
    return 0


def _figure(args) -> int:
    from ..reports.figures import make_figure

    print(f"root seed {args.seed}")
    made = make_figure(
        args.name,
        args.out,
        args.source,
        model=args.model,
        chains=args.chains,
        steps=args.steps,
        seed=args.seed,
        json=args.json,
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


def _add_scheduler_options(command) -> None:
    """``--scheduler`` and ``--workers``: where a run of claims goes (one task per claim, the same results)."""
    command.add_argument(
        "--scheduler",
        type=_scheduler,
        default=None,
        help="run the claims on Dask: local (a cluster on this machine), serial, or a scheduler's ADDRESS "
        "(default: here, one after another)",
    )
    command.add_argument(
        "--workers", type=_workers, default=None, help="--scheduler local: worker processes (default: all cores)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="aimc-verify", description="Check the theory of analog in-memory training, claim by claim.")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    bench = commands.add_parser("bench", help="measure the Monte Carlo engine's throughput")
    bench.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    bench.add_argument("--chains", type=_positive_int, default=4096, help="chains R (default 4096)")
    bench.add_argument("--steps", type=_positive_int, default=300, help="steps K per timing (default 300)")
    bench.add_argument("--repeats", type=_positive_int, default=3, help="timings per workload (default 3)")
    bench.add_argument("--workers", type=_positive_int, default=None, help="threads (default: all cores)")
    bench.set_defaults(run=_bench)

    claims = commands.add_parser(
        "claims", help="list the claims, or explain some: statement, sources, quantity, tolerance, model, command"
    )
    claims.add_argument("ids", nargs="*", metavar="ID", help="claims to explain, e.g. C9 (default: list all)")
    claims.set_defaults(run=_claims)

    check = commands.add_parser("check", help="check claims and print their verdicts")
    check.add_argument("ids", nargs="*", metavar="ID", help="claim ids, e.g. C9 C13 R14 (default: all)")
    check.add_argument(
        "--paper",
        choices=list(PAPER_NAMES),
        default=None,
        help="only this paper's claims: wu2024 (C, P) or wu2025 (R) (default: both)",
    )
    check.add_argument("--profile", default="quick", choices=list(PROFILE_NAMES), help="quick (default) or full")
    check.add_argument("--json", metavar="FILE", help="also write the results as JSON (after every claim)")
    check.add_argument("--resume", action="store_true", help="skip the claims already finished in --json FILE")
    check.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"root seed entropy (default {DEFAULT_SEED})")
    check.add_argument("--strict", action="store_true", help="exit 1 if any claim is refuted")
    _add_scheduler_options(check)
    check.set_defaults(run=_check)

    ledger = commands.add_parser("ledger", help="run every check and write the claim ledger")
    ledger.add_argument("--out", default="paper_checks.md", metavar="FILE", help="default paper_checks.md")
    ledger.add_argument("--profile", default="quick", choices=list(PROFILE_NAMES), help="quick (default) or full")
    ledger.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"root seed entropy (default {DEFAULT_SEED})")
    ledger.add_argument("--json", metavar="FILE", help="keep the results as JSON (after every claim)")
    ledger.add_argument("--resume", action="store_true", help="skip the claims already finished in --json FILE")
    ledger.add_argument(
        "--check",
        action="store_true",
        help="rerun and compare with FILE instead of writing it; exit 1 naming the stale claims",
    )
    _add_scheduler_options(ledger)
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
    figure.add_argument("--json", metavar="FILE", help="also write the verdicts and plotted numbers as JSON")
    figure.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"root seed entropy (default {DEFAULT_SEED})")
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
    cross.add_argument(
        "--seed", type=_seed, default=DEFAULT_SEED, help=f"the model's root seed (default {DEFAULT_SEED})"
    )
    cross.set_defaults(run=_crosscheck)

    add_compare_parser(commands)
    add_sweep_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as err:
        print(f"aimc-verify {args.command}: error: {err}", file=sys.stderr)
        return 2
    except _Interrupted as err:
        print(f"aimc-verify {args.command}: {err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt as err:  # a sweep's says what it kept and how to resume
        print(f"aimc-verify {args.command}: {str(err) or 'interrupted'}", file=sys.stderr)
        return 130
