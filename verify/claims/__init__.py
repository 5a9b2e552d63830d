"""Claim layer: the claim registry (:mod:`.registry`), the verdict rules (:mod:`.verdicts`) and the
per-theme checks (:mod:`.checks`), which decide every claim from the layers below."""

from .registry import (
    CLAIMS,
    DEFAULT_SEED,
    PROFILES,
    Claim,
    ClaimResult,
    Profile,
    claim,
    claim_seed,
    exact_result,
    interval_result,
    load_claims,
    run_checks,
    run_claim,
)

__all__ = [
    "Claim",
    "ClaimResult",
    "Profile",
    "PROFILES",
    "CLAIMS",
    "claim",
    "load_claims",
    "run_claim",
    "run_checks",
    "claim_seed",
    "DEFAULT_SEED",
    "interval_result",
    "exact_result",
]
