"""Property-based tests: every public callable refuses bad input by name, never returns NaN.

The contract is in :mod:`tests.strategies`; the valid calls are in :mod:`tests.api_cases`. Each
case draws one or two of its parameters from :func:`tests.strategies.bad_values` (NaN, infinities,
subnormals, 10**400, wrong types and shapes) and asserts a clean result or a ValueError/TypeError
that names a changed parameter, within the time limit.
"""

import importlib
import inspect
import pkgutil

import pytest
from hypothesis import given, settings

import bounds
import verify
from tests.api_cases import (
    bounds_core,
    bounds_lower,
    bounds_response,
    bounds_response_theory,
    bounds_theorems,
    verify_experiments,
    verify_response,
    verify_sim,
)
from tests.strategies import changes_for, check_outcome

AREAS = (
    bounds_core,
    bounds_theorems,
    bounds_lower,
    bounds_response,
    bounds_response_theory,
    verify_sim,
    verify_experiments,
    verify_response,
)
CASES = [case for area in AREAS for case in area.CASES]
EXEMPT = {name: reason for area in AREAS for name, reason in area.EXEMPT.items()}
#: draws per callable in the ``ci`` profile (100 examples by default); a profile with more
#: (``HYPOTHESIS_PROFILE=thorough``: 2000) scales every case's draws by the same factor
EXAMPLES = 25
_SCALE = settings.default.max_examples / 100
#: the parts of ``verify`` whose public constructors and entry points take user input (the
#: command line has its own tests in ``tests/test_cli.py``; the claim checks are called by the
#: registry with its own profiles and seeds)
VERIFY_ENTRY_MODULES = ("verify.sim", "verify.experiments", "verify.reports", "verify.claims.registry")


def public_callables(package, modules=None, methods=True) -> set[str]:
    """``module.name`` for every public function and class of the package's modules (or of those
    starting with one of ``modules``), and ``module.Class.method`` for every public method."""
    found = set()
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if modules is not None and not info.name.startswith(modules):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isfunction(getattr(obj, "__wrapped__", None)):  # functools.cache
                found.add(f"{info.name}.{name}")
            elif inspect.isclass(obj):
                found.add(f"{info.name}.{name}")
                for attr, member in vars(obj).items() if methods else ():
                    if not attr.startswith("_") and (
                        isinstance(member, (staticmethod, classmethod)) or inspect.isfunction(member)
                    ):
                        found.add(f"{info.name}.{name}.{attr}")
    return found


def test_every_public_callable_has_a_case_or_a_reason():
    """Every public function, class and method of ``bounds``; every public function and class
    (constructor) of ``verify``'s user-facing layers (the optional AIHWKit backend is tested where
    AIHWKit is installed)."""
    expected = public_callables(bounds) | public_callables(verify, VERIFY_ENTRY_MODULES, methods=False)
    expected = {n for n in expected if "aihwkit_backend" not in n}
    covered = {c.name for c in CASES} | set(EXEMPT)
    assert not sorted(expected - covered), f"no case for {sorted(expected - covered)}"
    assert not sorted(covered - expected), f"cases for unknown callables {sorted(covered - expected)}"


def test_case_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_valid_call_is_clean(case):
    check_outcome(case, {})


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_is_refused_by_name(case):
    @settings(max_examples=max(1, round((case.examples or EXAMPLES) * _SCALE)))
    @given(changes=changes_for(case))
    def draw(changes):
        check_outcome(case, changes)

    draw()
