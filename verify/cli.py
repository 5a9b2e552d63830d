"""The command line: ``python -m verify`` (or ``aimc-verify``).

Every command exits non-zero with a one-line message naming the bad argument when given bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``aimc-verify bench: error: argument --chains: ...``."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}")
    return value


def _writable(path: str | None) -> None:
    """Fail before a long run, not after it, when --json cannot be written."""
    if path is not None:
        try:
            with open(path, "a", encoding="utf-8"):
                pass
        except OSError as err:
            raise ValueError(f"argument --json: cannot write {path}: {err.strerror}") from None


def _bench(args) -> int:
    from .bench import run_benchmark

    _writable(args.json)
    rows = run_benchmark(chains=args.chains, steps=args.steps, repeats=args.repeats, workers=args.workers,
                         progress=False)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)
        print(f"wrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aimc-verify", description="Check the theory of analog in-memory training, claim by claim.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    bench = commands.add_parser("bench", help="measure the Monte Carlo engine's throughput")
    bench.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    bench.add_argument("--chains", type=_positive_int, default=4096, help="chains R (default 4096)")
    bench.add_argument("--steps", type=_positive_int, default=300, help="steps K per timing (default 300)")
    bench.add_argument("--repeats", type=_positive_int, default=3, help="timings per workload (default 3)")
    bench.add_argument("--workers", type=_positive_int, default=None, help="threads (default: all cores)")
    bench.set_defaults(run=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as err:
        print(f"aimc-verify {args.command}: error: {err}", file=sys.stderr)
        return 2
