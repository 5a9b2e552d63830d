r"""The claim registry: every checkable statement of each paper as data, with its check.

Each :class:`Paper` owns the claim ids with its prefixes (:data:`PAPERS`): the 2024 paper C1..C46 of
``shared/paper/reference.md`` section 7 (a compound claim split into C14a, C14b, ...) and the project's own
findings about it, P1, P2, ...; the 2025 paper R1..R64 of ``docs/papers/wu2025_response_functions.md``
section 7. Each paper is its own family: the interval level keeps the family-wise error of that paper's
checks at the profile's ``familywise`` (:meth:`Profile.level_for`).

A :class:`Claim` is an id, the statement, where the paper makes it, its
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

import dataclasses
import importlib
import pkgutil
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bounds.validation import SEED_LIMIT, require_instance, require_int, require_real

from ..sim._limits import capped_int, capped_real, short
from .profiles import DEFAULT_SEED, PAPER_NAMES, PROFILE_NAMES
from .results import ClaimResult
from .verdicts import RELATIONS, Tolerance, family_level

__all__ = [
    "Paper",
    "PAPERS",
    "paper_of",
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

#: the most chains a profile may ask for per Monte Carlo run: the checks run dozens of runs each (``full`` uses
#: 8000), so that a ledger still finishes in hours
MAX_PROFILE_CHAINS = 10**6
#: the largest step multiplier (``full`` uses 4): beyond it the longest checks would run for days
MAX_STEP_SCALE = 1000.0
#: the most chains per run of the experiment model (``full`` uses 64), whose pulse trains cost about 100
#: microseconds per chain and step
MAX_EXPERIMENT_CHAINS = 10**5


def _require_text(name: str, value, *, optional: bool = False, empty: bool = True) -> str | None:
    if optional and value is None:
        return None
    if not isinstance(value, str) or (not empty and not value):
        what = "a non-empty str" if not empty else "a str"
        raise TypeError(f"{name} must be {what}{' or None' if optional else ''}, got {short(value)}")
    return value


@dataclass(frozen=True)
class Paper:
    """A paper whose claims the registry holds: its key, citation and the id prefixes of its claims."""

    key: str
    citation: str
    digest: str
    """Where its claims are listed, in the project's own words."""
    prefixes: tuple[str, ...]

    def __post_init__(self):
        for name in ("key", "citation", "digest"):
            _require_text(name, getattr(self, name), empty=False)
        if not (
            isinstance(self.prefixes, tuple)
            and self.prefixes
            and all(isinstance(p, str) and re.fullmatch(r"[A-Z]+", p) for p in self.prefixes)
        ):
            raise ValueError(
                f"prefixes must be a non-empty tuple of capital-letter prefixes, got {short(self.prefixes)}"
            )


#: the papers, by key; the first is the default of the command line
PAPERS = {
    "wu2024": Paper(
        "wu2024",
        'Wu, Gokmen, Rasch, Chen, "Towards Exact Gradient-based Training on Analog In-memory Computing", '
        "NeurIPS 2024 (arXiv 2406.12774)",
        "shared/paper/reference.md section 7",
        ("C", "P"),
    ),
    "wu2025": Paper(
        "wu2025",
        'Wu, Xiao, Gokmen, Fagbohungbe, Chen, "Analog In-memory Training on General Non-ideal Resistive Elements: '
        'The Impact of Response Functions", NeurIPS 2025 (arXiv 2502.06309 v3)',
        "docs/papers/wu2025_response_functions.md section 7",
        ("R",),
    ),
}


if tuple(PAPERS) != PAPER_NAMES:  # one list of papers for the command line and the registry
    raise RuntimeError(f"PAPERS {tuple(PAPERS)} and PAPER_NAMES {PAPER_NAMES} differ")


def paper_of(claim_id: str) -> str:
    """The key of the paper that owns ``claim_id`` (by its prefix letters).

    >>> paper_of("C14a"), paper_of("P4"), paper_of("R14")
    ('wu2024', 'wu2024', 'wu2025')
    """
    _require_text("claim_id", claim_id, empty=False)
    m = re.fullmatch(r"([A-Z]+)\d+[a-z]?", claim_id)
    for paper in PAPERS.values():
        if m and m.group(1) in paper.prefixes:
            return paper.key
    prefixes = ", ".join(f"{p}<n> ({k})" for k, paper in PAPERS.items() for p in paper.prefixes)
    raise ValueError(f"claim_id must be one of {prefixes}, e.g. C14a or R3, got {short(claim_id)}")


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

    def __post_init__(self):
        _require_text("name", self.name, empty=False)
        reason = "an interval needs 2 chains; the checks run dozens of runs of this many chains"
        object.__setattr__(
            self, "chains", capped_int("chains", self.chains, low=2, high=MAX_PROFILE_CHAINS, reason=reason)
        )
        scale = capped_real(
            "step_scale",
            self.step_scale,
            low=0.0,
            high=MAX_STEP_SCALE,
            low_open=True,
            reason="the longest checks would run for days",
        )
        object.__setattr__(self, "step_scale", scale)
        open_unit = dict(low=0.0, high=1.0, low_open=True, high_open=True)
        object.__setattr__(self, "familywise", require_real("familywise", self.familywise, **open_unit))
        if self.fixed_level is not None:
            object.__setattr__(self, "fixed_level", require_real("fixed_level", self.fixed_level, **open_unit))
        reason = "the experiment model costs about 100 microseconds per chain and step"
        chains = capped_int(
            "experiment_chains", self.experiment_chains, low=2, high=MAX_EXPERIMENT_CHAINS, reason=reason
        )
        object.__setattr__(self, "experiment_chains", chains)

    @property
    def level(self) -> float:
        """Confidence level of each interval. A check reads it from the profile :func:`run_claim` passes, fixed
        at its paper's level (:meth:`level_for`); anywhere else it is the 2024 paper's."""
        return self.level_for("wu2024")

    def level_for(self, paper: str) -> float:
        """Bonferroni over the registered claims of ``paper`` (``family_level``), or ``fixed_level``."""
        if not isinstance(paper, str) or paper not in PAPERS:
            raise ValueError(f"paper must be one of {sorted(PAPERS)}, got {short(paper)}")
        if self.fixed_level is not None:
            return self.fixed_level
        count = sum(paper_of(i) == paper for i in load_claims())
        return family_level(max(count, 1), self.familywise)

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
        _require_text("id", self.id, empty=False)
        _require_text("statement", self.statement)
        _require_text("source", self.source)
        if not isinstance(self.relation, str) or self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {short(self.relation)}")
        if self.check is not None and not callable(self.check):
            raise TypeError(f"check must be a function (profile, seed) -> ClaimResult or None, got {short(self.check)}")
        _require_text("not_checkable", self.not_checkable, optional=True)
        for name in ("model", "quantity"):
            _require_text(name, getattr(self, name))
        for name in ("intended", "depends"):
            _require_text(name, getattr(self, name), optional=True)
        if (self.check is None) == (self.not_checkable is None):
            raise ValueError(f"{self.id}: give exactly one of check and not_checkable")
        if self.check is not None and not self.model:
            raise ValueError(f"{self.id}: a checked claim must name the model its evidence is taken on")
        if self.tolerance is not None and not isinstance(self.tolerance, Tolerance):
            raise ValueError(f"{self.id}: tolerance must be a Tolerance, got {short(self.tolerance)}")
        if self.check is not None and self.relation in ("equal", "scaling") and self.tolerance is None:
            raise ValueError(f"{self.id}: an '{self.relation}' claim needs a registered tolerance")
        paper_of(self.id)  # the id names its paper

    @property
    def paper(self) -> str:
        """The key of the paper the claim is about (:data:`PAPERS`)."""
        return paper_of(self.id)


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
    """Register a claim; used as a decorator on its check, or called with ``not_checkable``.

    The fields are checked at once (as :class:`Claim` checks them), before anything is registered.
    """
    fields = (id, statement, source, relation)
    options = dict(model=model, tolerance=tolerance, intended=intended, depends=depends, quantity=quantity)
    # a stand-in check (or the reason) validates every field now, whether or not a check follows
    Claim(*fields, not_checkable=not_checkable, check=None if not_checkable is not None else _stand_in, **options)
    if id in CLAIMS:
        raise ValueError(f"id: claim {id} is registered twice")

    def register(check):
        if id in CLAIMS:
            raise ValueError(f"id: claim {id} is registered twice")
        CLAIMS[id] = Claim(*fields, check=check, not_checkable=not_checkable, **options)
        return check

    if not_checkable is not None:
        return register(None)
    return register


def _stand_in(profile, seed):  # pragma: no cover - never called: it only lets claim() check the fields early
    raise NotImplementedError


def tolerance_of(claim_id: str) -> Tolerance:
    """The registered tolerance of ``claim_id`` (the only place a check takes a tolerance from)."""
    _require_text("claim_id", claim_id)
    if claim_id not in CLAIMS:  # the registry may not be loaded yet (a check calls this once it is)
        load_claims()
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
    require_instance("c", c, Claim, "load_claims()['C5']")
    require_instance("profile", profile, Profile, "PROFILES['quick']")
    require_instance("seed", seed, np.random.SeedSequence, "claim_seed(c.id)")
    if c.check is None:
        return ClaimResult(
            c.id, "not checkable here", c.relation, details={"reason": c.not_checkable}, model="none available here"
        )
    if profile.fixed_level is None:  # each paper is its own family
        profile = dataclasses.replace(profile, fixed_level=profile.level_for(c.paper))
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
    _require_text("claim_id", claim_id)
    entropy = require_int("entropy", entropy, low=0, high=SEED_LIMIT)
    return np.random.SeedSequence(entropy, spawn_key=tuple(claim_id.rstrip("abcdefgh").encode()))


def run_checks(
    ids=None,
    profile: str = "quick",
    entropy: int = DEFAULT_SEED,
    on_result=None,
    progress: bool | None = None,
    paper: str | None = None,
    distribute: Callable | None = None,
) -> list[ClaimResult]:
    """Run the checks of ``ids`` (default: all claims, or all of ``paper``'s) in id order; ``on_result(result)``
    after each, so a caller can save finished work at once. ``ids`` is None or a list (or tuple) of claim ids.

    ``distribute`` runs the checks elsewhere: a function ``distribute(task, arguments, on_done)`` that calls
    ``task(*arguments[i])`` for every i, wherever it likes (e.g. :func:`verify.reports.cluster.distribute` on a
    Dask cluster), and ``on_done(i, result)`` here as each finishes, in any order; None runs them here, one after
    another. Each check's seed is its claim's (:func:`claim_seed`), so the results are the same either way;
    ``on_result`` then sees them in the order they finish, and the list returned is in id order."""
    from ..sim.progress import ProgressBar

    if not isinstance(profile, str) or profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {short(profile)}")
    entropy = require_int("entropy", entropy, low=0, high=SEED_LIMIT)
    if on_result is not None and not callable(on_result):
        raise TypeError(f"on_result must be a function of a ClaimResult or None, got {short(on_result)}")
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {short(progress)}")
    if ids is not None and (not isinstance(ids, (list, tuple)) or not all(isinstance(i, str) for i in ids)):
        raise TypeError(f"ids must be None or a list of claim ids (strings such as 'C5'), got {short(ids)}")
    if paper is not None and (not isinstance(paper, str) or paper not in PAPERS):
        raise ValueError(f"paper must be one of {sorted(PAPERS)} or None, got {short(paper)}")
    if distribute is not None and not callable(distribute):
        raise TypeError(f"distribute must be a function (task, arguments, on_done) or None, got {short(distribute)}")
    claims = load_claims()
    ids = [i for i in claims if paper in (None, paper_of(i))] if ids is None else list(ids)
    unknown = [i for i in ids if i not in claims]
    if unknown:
        raise ValueError(f"ids: unknown claim(s) {', '.join(map(short, unknown))}; known: {', '.join(claims)}")
    results: dict[int, ClaimResult] = {}
    tasks = [(claim_id, profile, entropy) for claim_id in ids]
    with ProgressBar(len(ids), "claims", "claim", enabled=progress) as bar:

        def done(index: int, result: ClaimResult) -> None:
            results[index] = result
            if on_result is not None:
                on_result(result)
            bar.advance(1)

        if distribute is None:
            for index, arguments in enumerate(tasks):
                done(index, _run_by_id(*arguments))
        else:
            distribute(_run_by_id, tasks, done)
    return [results[index] for index in range(len(ids))]


def _run_by_id(claim_id: str, profile: str, entropy: int) -> ClaimResult:
    """One claim's check by its id, profile name and root entropy: the task a worker process runs (it registers the
    claims itself; ids, names and ints travel to it, not functions)."""
    return run_claim(load_claims()[claim_id], PROFILES[profile], claim_seed(claim_id, entropy))
