"""Thresholds are data, fixed in advance: a check takes every tolerance, margin or threshold from the claim
registry (``tolerance_of``), never sets one itself, let alone from its own data.

The scan (``ast``) over ``verify/claims/checks/*.py`` flags:

* a ``Tolerance(...)`` constructed anywhere but in the arguments of an ``@claim(...)`` decorator;
* a ``tolerance=`` keyword whose value is not ``tolerance_of(...)``, ``None``, a name bound from
  ``tolerance_of(...)``, or a function parameter never rebound in the module (or an attribute of those);
* a module-level UPPER_CASE name containing TOL, THRESHOLD, MARGIN, RESOLUTION or FACTOR bound to a number
  (``RTOL_EXACT``, the float-rounding slack of exact identities, is the one allowed).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parents[1] / "verify" / "claims" / "checks"
ALLOWED_CONSTANTS = {"RTOL_EXACT"}
THRESHOLD_NAME = re.compile(r"TOL|THRESHOLD|MARGIN|RESOLUTION|FACTOR")


def _is_call(node, name: str) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == name)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
    )


def _is_number(node) -> bool:
    if isinstance(node, ast.UnaryOp):
        return _is_number(node.operand)
    if isinstance(node, ast.BinOp):
        return _is_number(node.left) and _is_number(node.right)
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def threshold_violations(source: str, filename: str = "<check>") -> list[str]:
    """Every place in ``source`` (a check module) that sets a threshold itself (module doc)."""
    tree = ast.parse(source, filename)
    in_decorator = {
        id(n)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef)
        for d in fn.decorator_list
        if _is_call(d, "claim")
        for n in ast.walk(d)
    }
    from_registry = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(_is_call(n, "tolerance_of") for n in ast.walk(node.value))
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    params = {
        a.arg
        for fn in ast.walk(tree)
        if isinstance(fn, (ast.FunctionDef, ast.Lambda))
        for a in fn.args.args + fn.args.kwonlyargs
    }
    assigned = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    } - from_registry
    passed_in = params - assigned
    found = []
    for node in ast.walk(tree):
        if _is_call(node, "Tolerance") and id(node) not in in_decorator:
            found.append(f"{filename}:{node.lineno}: Tolerance(...) built outside an @claim decorator")
        if isinstance(node, ast.keyword) and node.arg == "tolerance":
            value = node.value
            base = value
            while isinstance(base, ast.Attribute):
                base = base.value
            ok = (
                (isinstance(value, ast.Constant) and value.value is None)
                or _is_call(value, "tolerance_of")
                or (isinstance(base, ast.Name) and base.id in from_registry | passed_in)
                or id(node) in in_decorator
            )
            if not ok:
                found.append(f"{filename}:{node.lineno}: tolerance= not taken from the registry")
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if (
                    isinstance(t, ast.Name)
                    and t.id.isupper()
                    and THRESHOLD_NAME.search(t.id)
                    and t.id not in ALLOWED_CONSTANTS
                    and node.value is not None
                    and _is_number(node.value)
                ):
                    found.append(f"{filename}:{node.lineno}: module constant {t.id} sets a threshold")
    return found


@pytest.mark.parametrize("path", sorted(CHECKS.glob("*.py")), ids=lambda p: p.name)
def test_checks_take_thresholds_only_from_the_registry(path):
    assert threshold_violations(path.read_text(), path.name) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "def check(profile, seed):\n    return decide(est, 1.0, 'equal', tolerance=Tolerance(0.05, 'x'))\n",
        "def check(profile, seed):\n    t = 0.05\n    return interval_result('C1', 'equal', est, 1.0, tolerance=t)\n",
        "EQUAL_RESOLUTION = 0.05\n",
        "SLOPE_TOLERANCE = 1 / 4\n",
        "def check(profile, seed):\n    tol = Tolerance(abs(est.mean - 1) * 2, 'fitted to the data')\n",
        "def rule(est, tolerance):\n    tolerance = 0.1\n"
        "    return Case('x', est, 1.0, 'equal', tolerance=tolerance)\n",
    ],
)
def test_a_threshold_set_in_a_check_is_caught(snippet):
    assert threshold_violations(snippet)


def test_registry_thresholds_pass():
    source = (
        "@claim('C9', 's', 'src', 'equal', model='m', tolerance=Tolerance(0.05, 'approximately'))\n"
        "def check(profile, seed):\n"
        "    tol = tolerance_of('C9')\n"
        "    return decide(est, 1.0, 'equal', tolerance=tol), Case('x', est, 1.0, 'equal', tolerance=tol)\n"
        "def rule(est, tolerance):\n"
        "    return Case('x', est, 1.0, 'equal', tolerance=tolerance)\n"
        "RTOL_EXACT = 1e-12\n"
    )
    assert threshold_violations(source) == []
