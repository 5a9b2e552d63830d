"""Claim layer: the claim registry (:mod:`.registry`), the verdict rules (:mod:`.verdicts`), results with their
controls (:mod:`.results`), the evidence budgets (:mod:`.profiles`) and the per-theme checks (:mod:`.checks`),
which decide every claim from the layers below.

The names below are imported on first use (so that ``verify.claims.profiles`` is cheap to import)."""

from __future__ import annotations

import importlib

#: public name -> the submodule that defines it
_EXPORTS = {
    "CLAIMS": "registry",
    "Claim": "registry",
    "claim": "registry",
    "claim_seed": "registry",
    "load_claims": "registry",
    "run_checks": "registry",
    "run_claim": "registry",
    "tolerance_of": "registry",
    "DEFAULT_SEED": "profiles",
    "PROFILES": "registry",
    "Profile": "registry",
    "PROFILE_NAMES": "profiles",
    "ClaimResult": "results",
    "exact_result": "results",
    "interval_result": "results",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
