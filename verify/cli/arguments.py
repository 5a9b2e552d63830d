"""Argument types shared by every command of the command line: one-line parser errors, numbers in a
range (worded by :mod:`bounds.validation`), output files checked before a long run."""

from __future__ import annotations

import argparse

__all__ = ["Parser", "number", "seed", "writable_option"]

#: bounds.validation.SEED_LIMIT, written out: importing bounds loads sympy, which --help does without
SEED_LIMIT = 2**128 - 1


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``aimc-verify bench: error: argument --chains: ...``."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def number(kind: type = int, **limits):
    """An argparse type: the text as ``kind`` (int or float) in the range ``limits`` of
    :func:`bounds.validation.require_int` / ``require_real``, whose message words the error.

    >>> number(int, low=1)("3"), number(float, low=0.0, low_open=True)("0.5")
    (3, 0.5)
    """

    def convert(text: str):
        from bounds.validation import require_int, require_real  # here: the command line starts without sympy

        require = require_int if kind is int else require_real
        try:
            value = kind(text)
        except ValueError:
            value = text  # let require_* say what is allowed and what it got
        try:
            return require("value", value, **limits)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err).removeprefix("value ")) from None

    return convert


def seed(text: str) -> int:
    """An argparse type: the one seed rule of the toolkit, an integer in [0, 2**128 - 1]."""
    return number(int, low=0, high=SEED_LIMIT)(text)


def writable_option(path: str | None, option: str) -> None:
    """Fail before a long run, not after it, when the output file cannot be written."""
    if path is not None:
        try:
            with open(path, "a", encoding="utf-8"):
                pass
        except OSError as err:
            raise ValueError(f"argument {option}: cannot write {path}: {err.strerror}") from None
