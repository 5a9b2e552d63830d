"""Claim layer: the claim registry (:mod:`.registry`), the verdict rules (:mod:`.verdicts`), results with their
controls (:mod:`.results`) and the per-theme checks (:mod:`.checks`), which decide every claim from the layers
below."""

from .registry import (
    CLAIMS,
    DEFAULT_SEED,
    PROFILES,
    Claim,
    Profile,
    claim,
    claim_seed,
    load_claims,
    run_checks,
    run_claim,
    tolerance_of,
)
from .results import ClaimResult, exact_result, interval_result

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
    "tolerance_of",
]
