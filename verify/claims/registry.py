r"""The claim registry: every checkable statement of the paper as data, with its check.

A :class:`Claim` is an id (C1..C46 of ``shared/paper/reference.md`` section 7), the statement,
where the paper makes it, its relation (see :data:`verify.claims.verdicts.RELATIONS`) and either a check
function or the reason it cannot be checked here. A check takes a :class:`Profile` and a
``numpy.random.SeedSequence`` and returns a :class:`ClaimResult`: the empirical value with its
interval, the theoretical value, the verdict, the seed and sample counts, and the verdict of its
negative control (the same procedure fed a deliberately wrong statement, which must not be
confirmed).

Check modules live in :mod:`verify.claims.checks` and register their claims with :func:`claim`.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from ..sim.stats import Estimate
from .verdicts import RELATIONS, VERDICTS, decide, family_level

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


@dataclass(frozen=True)
class Profile:
    """How much evidence a check gathers: chain and step budgets, and the interval level."""

    name: str
    chains: int
    """Independent chains per Monte Carlo run."""
    step_scale: float
    """Multiplier on each check's base number of steps."""
    familywise: float = 0.95
    """Probability that every interval of every registered claim holds at once."""
    fixed_level: float | None = None
    """A per-interval level to use instead of the Bonferroni one (small test profiles)."""

    @property
    def level(self) -> float:
        """Confidence level of each interval: Bonferroni over the registered claims (``family_level``)."""
        if self.fixed_level is not None:
            return self.fixed_level
        return family_level(max(len(load_claims()), 1), self.familywise)

    def steps(self, base: int) -> int:
        return max(1, int(round(base * self.step_scale)))


#: ``quick`` (the test suite and the default command) and ``full`` (tighter intervals, longer runs)
PROFILES = {
    "quick": Profile("quick", chains=1000, step_scale=1.0),
    "full": Profile("full", chains=8000, step_scale=4.0),
}


@dataclass
class ClaimResult:
    """One claim's verdict with its evidence (the ``check --json`` record)."""

    id: str
    verdict: str
    relation: str
    empirical: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    theoretical: float | None = None
    seconds: float = 0.0
    details: dict = field(default_factory=dict)
    """Free-form: parameters, seed, sample counts, interval method, what a refutation supports instead."""
    negative_control: dict | None = None
    """``{"statement": ..., "theoretical": ..., "verdict": ...}`` for the deliberately wrong statement."""

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        for name in ("empirical", "ci_low", "ci_high", "theoretical"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, (int, float, np.floating)) or math.isnan(value)):
                raise ValueError(f"{name} must be a number or None, got {value!r}")
            if value is not None:
                setattr(self, name, float(value))

    def to_json(self) -> dict:
        return {k: (None if isinstance(v, float) and math.isinf(v) else v) for k, v in asdict(self).items()}


def interval_result(
    claim_id: str,
    relation: str,
    estimate: Estimate,
    theoretical: float,
    *,
    wrong: float,
    wrong_statement: str,
    rtol: float | None = None,
    details: dict | None = None,
    supports: str | None = None,
) -> ClaimResult:
    """A result from an interval: the verdict against ``theoretical`` and, as the negative control,
    the verdict of the same interval against the deliberately ``wrong`` value.

    ``supports`` says what the evidence supports instead; it is kept only when the claim is refuted.
    """
    verdict = decide(estimate, theoretical, relation, rtol=rtol)
    details = dict(details or {})
    details.update(interval=estimate.method, level=estimate.level, samples=estimate.n)
    if rtol is not None:
        details["rtol"] = rtol
    if supports is not None and verdict == "refuted":
        details["supports"] = supports
    control = {
        "statement": wrong_statement,
        "theoretical": wrong,
        "verdict": decide(estimate, wrong, relation, rtol=rtol),
    }
    return ClaimResult(
        claim_id,
        verdict,
        relation,
        estimate.mean,
        estimate.low,
        estimate.high,
        theoretical,
        details=details,
        negative_control=control,
    )


def exact_result(
    claim_id: str,
    relation: str,
    holds: bool,
    *,
    control_holds: bool,
    wrong_statement: str,
    details: dict | None = None,
    supports: str | None = None,
    empirical: float | None = None,
    theoretical: float | None = None,
) -> ClaimResult:
    """A result from an exact check (a sympy proof, an exhaustive or exact evaluation, a table lookup):
    confirmed if the statement ``holds``, refuted otherwise; the negative control is the same check
    applied to ``wrong_statement`` (``control_holds`` must come out False)."""
    details = dict(details or {})
    if supports is not None and not holds:
        details["supports"] = supports
    control = {
        "statement": wrong_statement,
        "theoretical": None,
        "verdict": "confirmed" if control_holds else "refuted",
    }
    return ClaimResult(
        claim_id,
        "confirmed" if holds else "refuted",
        relation,
        empirical,
        None,
        None,
        theoretical,
        details=details,
        negative_control=control,
    )


@dataclass(frozen=True)
class Claim:
    """A statement of the paper, its relation, and how it is checked (or why it cannot be)."""

    id: str
    statement: str
    source: str
    relation: str
    check: Callable[[Profile, np.random.SeedSequence], ClaimResult] | None = None
    not_checkable: str | None = None
    """Why no check exists here (data, hardware, an external citation)."""

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {self.relation!r}")
        if (self.check is None) == (self.not_checkable is None):
            raise ValueError(f"{self.id}: give exactly one of check and not_checkable")


#: every registered claim, by id (filled by :func:`load_claims`)
CLAIMS: dict[str, Claim] = {}


def claim(id: str, statement: str, source: str, relation: str, not_checkable: str | None = None):
    """Register a claim; used as a decorator on its check, or called with ``not_checkable``."""

    def register(check):
        if id in CLAIMS:
            raise ValueError(f"claim {id} is registered twice")
        CLAIMS[id] = Claim(id, statement, source, relation, check, not_checkable)
        return check

    if not_checkable is not None:
        return register(None)
    return register


def load_claims() -> dict[str, Claim]:
    """Import every module of :mod:`verify.claims.checks`, registering its claims; return them in id order."""
    from . import checks

    for module in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"{checks.__name__}.{module.name}")
    return dict(sorted(CLAIMS.items(), key=lambda item: _id_key(item[0])))


def _id_key(claim_id: str):
    digits = "".join(ch for ch in claim_id if ch.isdigit())
    return (claim_id.rstrip("0123456789"), int(digits) if digits else 0, claim_id)


def run_claim(c: Claim, profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """Run one claim's check (timing it), or report it as not checkable here."""
    if c.check is None:
        return ClaimResult(c.id, "not checkable here", c.relation, details={"reason": c.not_checkable})
    start = time.perf_counter()
    result = c.check(profile, seed)
    result.seconds = time.perf_counter() - start
    result.details.setdefault("seed_entropy", seed.entropy)
    result.details.setdefault("seed_spawn_key", list(seed.spawn_key))
    result.details.setdefault("profile", profile.name)
    return result


#: default root entropy of ``python -m verify check``: fixed, so the ledger is reproducible
DEFAULT_SEED = 20241212


def claim_seed(claim_id: str, entropy: int = DEFAULT_SEED) -> np.random.SeedSequence:
    """The claim's own SeedSequence: the root entropy, spawned by the claim id (stable across runs)."""
    return np.random.SeedSequence(entropy, spawn_key=tuple(claim_id.encode()))


def run_checks(
    ids=None, profile: str = "quick", entropy: int = DEFAULT_SEED, on_result=None, progress: bool | None = None
) -> list[ClaimResult]:
    """Run the checks of ``ids`` (default: all claims) in id order; ``on_result(result)`` after each,
    so a caller can save finished work at once."""
    from ..sim.progress import ProgressBar

    claims = load_claims()
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    ids = list(claims) if ids is None else list(ids)
    unknown = [i for i in ids if i not in claims]
    if unknown:
        raise ValueError(f"ids: unknown claim(s) {', '.join(unknown)}; known: {', '.join(claims)}")
    results = []
    with ProgressBar(len(ids), "claims", "claim", enabled=progress) as bar:
        for claim_id in ids:
            result = run_claim(claims[claim_id], PROFILES[profile], claim_seed(claim_id, entropy))
            results.append(result)
            if on_result is not None:
                on_result(result)
            bar.advance(1)
    return results
