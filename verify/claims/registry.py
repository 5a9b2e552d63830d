r"""The claim registry: every checkable statement of the paper as data, with its check.

A :class:`Claim` is an id (C1..C46 of ``shared/paper/reference.md`` section 7, a compound claim split into
C14a, C14b, ...; the project's own findings P1, P2, ...), the statement, where the paper makes it, its
relation (see :data:`verify.claims.verdicts.RELATIONS`), the model its evidence is taken on, its tolerance
(:class:`~verify.claims.verdicts.Tolerance`: fixed from the paper's wording before any run, with the reason;
a check reads it with :func:`tolerance_of` and never sets one itself), for a slip the intended statement,
and either a check function or the reason it cannot be checked here. A check takes a :class:`Profile` and a
``numpy.random.SeedSequence`` and returns a :class:`ClaimResult`: the empirical value with its
interval, the theoretical value, the verdict, the seed and sample counts, and the verdict of its
negative control (the same procedure fed a deliberately wrong statement, which must not be
confirmed).

Check modules live in :mod:`verify.claims.checks` and register their claims with :func:`claim`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .profiles import DEFAULT_SEED, PROFILE_NAMES
from .results import ClaimResult
from .verdicts import RELATIONS, Tolerance, family_level

__all__ = [
    "Claim",
    "Profile",
    "PROFILES",
    "CLAIMS",
    "claim",
    "load_claims",
    "run_claim",
    "run_checks",
    "claim_seed",
    "DEFAULT_SEED",
    "tolerance_of",
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
    experiment_chains: int = 8
    """Chains per run of the AIHWKit-faithful experiment model (:mod:`verify.experiments.tile`), whose per-row
    pulse trains cost about 100 microseconds per chain and step."""

    @property
    def level(self) -> float:
        """Confidence level of each interval: Bonferroni over the registered claims (``family_level``)."""
        if self.fixed_level is not None:
            return self.fixed_level
        return family_level(max(len(load_claims()), 1), self.familywise)

    def steps(self, base: int) -> int:
        return max(1, int(round(base * self.step_scale)))


#: ``quick`` (the test suite and the default command) and ``full`` (tighter intervals, longer runs)
PROFILES = {  # keyed by verify.claims.profiles.PROFILE_NAMES
    "quick": Profile("quick", chains=1000, step_scale=1.0, experiment_chains=8),
    "full": Profile("full", chains=8000, step_scale=4.0, experiment_chains=64),
}
if tuple(PROFILES) != PROFILE_NAMES:  # one list of names for the command line and the registry
    raise RuntimeError(f"PROFILES {tuple(PROFILES)} and PROFILE_NAMES {PROFILE_NAMES} differ")


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
    model: str = ""
    """What the evidence is taken on (e.g. "sympy proof", "dynamic (3), Monte Carlo", "the paper's Table 2")."""
    tolerance: Tolerance | None = None
    """The tolerance, margin or threshold, fixed from the paper's wording (required for ``equal``, ``scaling``)."""
    intended: str | None = None
    """For a slip (a typo whose intended statement holds): that intended statement."""
    depends: str | None = None
    """What the verdict depends on beyond the evidence, where it does: the model it was taken on (a stand-in
    for the paper's system) or a reading of the paper's wording; shown apart in the ledger."""
    quantity: str = ""
    """What the check's two numbers are, in a few words: the empirical value (e.g. "measured avg E||grad f||^2
    over the bound (5)") against the theoretical one (e.g. "1: the bound itself"); shown by ``check``."""

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {self.relation!r}")
        if (self.check is None) == (self.not_checkable is None):
            raise ValueError(f"{self.id}: give exactly one of check and not_checkable")
        if self.check is not None and not self.model:
            raise ValueError(f"{self.id}: a checked claim must name the model its evidence is taken on")
        if self.tolerance is not None and not isinstance(self.tolerance, Tolerance):
            raise ValueError(f"{self.id}: tolerance must be a Tolerance, got {self.tolerance!r}")
        if self.check is not None and self.relation in ("equal", "scaling") and self.tolerance is None:
            raise ValueError(f"{self.id}: an '{self.relation}' claim needs a registered tolerance")


#: every registered claim, by id (filled by :func:`load_claims`)
CLAIMS: dict[str, Claim] = {}


def claim(
    id: str,
    statement: str,
    source: str,
    relation: str,
    not_checkable: str | None = None,
    *,
    model: str = "",
    tolerance: Tolerance | None = None,
    intended: str | None = None,
    depends: str | None = None,
    quantity: str = "",
):
    """Register a claim; used as a decorator on its check, or called with ``not_checkable``."""

    def register(check):
        if id in CLAIMS:
            raise ValueError(f"claim {id} is registered twice")
        CLAIMS[id] = Claim(
            id, statement, source, relation, check, not_checkable, model, tolerance, intended, depends, quantity
        )
        return check

    if not_checkable is not None:
        return register(None)
    return register


def tolerance_of(claim_id: str) -> Tolerance:
    """The registered tolerance of ``claim_id`` (the only place a check takes a tolerance from)."""
    found = CLAIMS.get(claim_id)
    if found is None or found.tolerance is None:
        raise ValueError(f"claim_id: {claim_id!r} has no registered tolerance")
    return found.tolerance


def load_claims() -> dict[str, Claim]:
    """Import every module of :mod:`verify.claims.checks`, registering its claims; return them in id order."""
    from . import checks

    for module in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"{checks.__name__}.{module.name}")
    return dict(sorted(CLAIMS.items(), key=lambda item: _id_key(item[0])))


def _id_key(claim_id: str):
    """Sort key: prefix, number, then the letter of a split claim (C1a < C1b < C2 < ... < C46 < P1)."""
    m = re.fullmatch(r"([A-Z]+)(\d+)([a-z]?)", claim_id)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else (claim_id, 0, "")


def run_claim(c: Claim, profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """Run one claim's check (timing it), or report it as not checkable here; the result names the model,
    the registered tolerance, and, when refuted, its kind (``erratum`` when the claim is a registered slip
    whose corrected statement the check confirmed, else ``refuted``)."""
    if c.check is None:
        return ClaimResult(
            c.id, "not checkable here", c.relation, details={"reason": c.not_checkable}, model="none available here"
        )
    start = time.perf_counter()
    result = c.check(profile, seed)
    result.seconds = time.perf_counter() - start
    result.model = result.model or c.model
    result.tolerance = c.tolerance.record() if c.tolerance is not None else None
    if result.verdict == "refuted":
        control = result.negative_control or {}
        slip = c.intended is not None and control.get("role") == "corrected statement" and result.control_as_expected
        result.kind = "erratum" if slip else "refuted"
        if slip:
            result.details.setdefault("intended", c.intended)
    result.details.setdefault("seed_entropy", seed.entropy)
    result.details.setdefault("seed_spawn_key", list(seed.spawn_key))
    result.details.setdefault("profile", profile.name)
    return result


def claim_seed(claim_id: str, entropy: int = DEFAULT_SEED) -> np.random.SeedSequence:
    """The claim's own SeedSequence: the root entropy, spawned by the claim id (stable across runs). The parts
    of a split claim (C14a, C14b) share their parent's (C14) seed: they are decided on the same data.

    >>> claim_seed("C14a").spawn_key == claim_seed("C14b").spawn_key == claim_seed("C14").spawn_key
    True
    """
    return np.random.SeedSequence(entropy, spawn_key=tuple(claim_id.rstrip("abcdefgh").encode()))


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
