r"""A claim's result: its verdict with the evidence, the model the evidence was taken on, and its control.

Every result carries a negative control with power (``negative_control``), the same procedure applied to
another statement with a known answer:

* when the claim is **not refuted**, the control is the *nearest wrong statement* the check should reject
  at the profile's sample size (e.g. the value moved by twice the tolerance); its ``expected`` verdict is
  ``refuted`` (for an inconclusive claim, anything but ``confirmed``);
* when the claim is **refuted**, the control is the *corrected statement* (what the evidence supports
  instead), which the same check must confirm: ``expected`` is ``confirmed``. A refuted claim whose
  registry entry names its intended statement (a slip) and whose corrected statement is confirmed is an
  ``erratum``; otherwise it is ``refuted`` (substantive). :func:`verify.claims.registry.run_claim` sets
  ``kind``.

A control that does not come out as ``expected`` means the check lacks the power to decide the claim; the
test suite fails on it.

Multi-case checks compare several intervals (:class:`Case`) and combine them (:func:`combined_result`):
refuted if any case is, confirmed if all are, inconclusive otherwise.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from ..sim.stats import Estimate, PolynomialFit
from .verdicts import KINDS, VERDICTS, Tolerance, decide, decide_fit

__all__ = [
    "ClaimResult",
    "interval_result",
    "exact_result",
    "not_applicable",
    "control",
    "Case",
    "fitted_case",
    "combine",
    "combined_result",
    "case_level",
]


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
    """Free-form: parameters, seed, sample counts, interval method, fits, what a refutation supports instead."""
    negative_control: dict | None = None
    """The control (module doc): ``statement``, ``theoretical``, ``verdict``, ``expected``, ``role``, ``margin``."""
    model: str = ""
    """What the evidence was taken on (a symbolic proof, dynamic (3), the pulse level, the paper's tables...)."""
    kind: str | None = None
    """For a refuted claim: ``erratum`` or ``refuted`` (substantive); None otherwise."""
    tolerance: dict | None = None
    """The registered tolerance, margin or threshold with its reason (:meth:`Tolerance.record`)."""
    second_model: dict | None = None
    """The same claim decided on another model, shown beside the verdict (:func:`second_line`): ``model``,
    ``verdict``, ``empirical``, ``ci_low``, ``ci_high``, ``theoretical``, ``supports``."""

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS} or None, got {self.kind!r}")
        for name in ("empirical", "ci_low", "ci_high", "theoretical"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, (int, float, np.floating)) or math.isnan(value)):
                raise ValueError(f"{name} must be a number or None, got {value!r}")
            if value is not None:
                setattr(self, name, float(value))

    @property
    def control_as_expected(self) -> bool:
        """Whether the negative control came out as it must (module doc)."""
        c = self.negative_control or {}
        if c.get("expected") == "not confirmed":
            return c.get("verdict") != "confirmed"
        return c.get("verdict") == c.get("expected")

    def to_json(self) -> dict:
        return {k: (None if isinstance(v, float) and math.isinf(v) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, record: dict) -> ClaimResult:
        """The result back from :meth:`to_json`'s record (for resuming a run)."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(record) - names)
        if unknown:
            raise ValueError(f"record: unknown fields {unknown} for a ClaimResult")
        return cls(**record)


def second_line(result: ClaimResult, model: str) -> dict:
    """``result`` (the same claim decided on ``model``) as a :attr:`ClaimResult.second_model` record."""
    return {
        "model": model,
        "verdict": result.verdict,
        "empirical": result.empirical,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "theoretical": result.theoretical,
        "supports": result.details.get("supports", ""),
        "details": result.details,
    }


def control(verdict: str, *, wrong: tuple, corrected: tuple | None, margin: str = "") -> dict:
    """The negative control of a claim with ``verdict``: from ``wrong = (statement, theoretical, its verdict)``
    (the nearest wrong statement) or, for a refuted claim, ``corrected`` (the corrected statement, same form)."""
    if verdict == "refuted" and corrected is not None:
        statement, theoretical, got = corrected
        return {
            "role": "corrected statement",
            "statement": statement,
            "theoretical": theoretical,
            "verdict": got,
            "expected": "confirmed",
        }
    statement, theoretical, got = wrong
    return {
        "role": "nearest wrong statement",
        "statement": statement,
        "theoretical": theoretical,
        "verdict": got,
        "expected": "refuted" if verdict == "confirmed" else "not confirmed",
        "margin": margin,
    }


def interval_result(
    claim_id: str,
    relation: str,
    estimate: Estimate,
    theoretical: float,
    *,
    wrong: float,
    wrong_statement: str,
    margin: str,
    tolerance: Tolerance | None = None,
    corrected: float | None = None,
    corrected_statement: str | None = None,
    details: dict | None = None,
    supports: str | None = None,
) -> ClaimResult:
    """A result from an interval: the verdict against ``theoretical`` (:func:`~verify.claims.verdicts.decide`
    with the claim's registered ``tolerance``) and its control: the same interval against the nearest
    ``wrong`` value (``margin`` says how far it is from the statement), or, when the claim is refuted, against
    the ``corrected`` value, which must be confirmed.

    ``supports`` says what the evidence supports instead; it is kept only when the claim is refuted.
    """
    verdict = decide(estimate, theoretical, relation, tolerance=tolerance)
    details = dict(details or {})
    details.update(interval=estimate.method, level=estimate.level, samples=estimate.n)
    if supports is not None and verdict == "refuted":
        details["supports"] = supports
    fixed = None
    if corrected is not None:
        fixed = (corrected_statement, corrected, decide(estimate, corrected, relation, tolerance=tolerance))
    ctrl = control(
        verdict,
        wrong=(wrong_statement, wrong, decide(estimate, wrong, relation, tolerance=tolerance)),
        corrected=fixed,
        margin=margin,
    )
    return ClaimResult(
        claim_id,
        verdict,
        relation,
        estimate.mean,
        estimate.low,
        estimate.high,
        theoretical,
        details=details,
        negative_control=ctrl,
    )


def exact_result(
    claim_id: str,
    relation: str,
    holds: bool,
    *,
    control_holds: bool,
    wrong_statement: str,
    margin: str = "",
    corrected_holds: bool | None = None,
    corrected_statement: str | None = None,
    details: dict | None = None,
    supports: str | None = None,
    empirical: float | None = None,
    theoretical: float | None = None,
) -> ClaimResult:
    """A result from an exact check (a sympy proof, an exhaustive or exact evaluation, a table lookup):
    confirmed if the statement ``holds``, refuted otherwise. The control: the same check applied to
    ``wrong_statement`` (``control_holds`` must come out False) or, for a refuted claim, to the
    ``corrected_statement`` (``corrected_holds`` must come out True)."""
    verdict = "confirmed" if holds else "refuted"
    details = dict(details or {})
    if supports is not None and not holds:
        details["supports"] = supports

    def said(ok):
        return "confirmed" if ok else "refuted"

    fixed = None if corrected_holds is None else (corrected_statement, None, said(corrected_holds))
    ctrl = control(verdict, wrong=(wrong_statement, None, said(control_holds)), corrected=fixed, margin=margin)
    return ClaimResult(
        claim_id, verdict, relation, empirical, None, None, theoretical, details=details, negative_control=ctrl
    )


def not_applicable(claim_id: str, relation: str, failed: list[str], details: dict, wrong_statement: str):
    """The claim's own conditions fail for these parameters (``failed`` says which, with numbers)."""
    details = dict(details)
    details["failed_conditions"] = failed
    return ClaimResult(
        claim_id,
        "not applicable",
        relation,
        details=details,
        negative_control={
            "role": "nearest wrong statement",
            "statement": wrong_statement,
            "theoretical": None,
            "verdict": "not applicable",
            "expected": "not confirmed",
            "note": "not run: the claim's own conditions fail for these parameters",
        },
    )


def case_level(level: float, cases: int) -> float:
    """Bonferroni within a claim: each of ``cases`` intervals at this level keeps the claim at ``level``.

    >>> round(case_level(0.95, 5), 6)
    0.99
    """
    return 1.0 - (1.0 - level) / max(1, int(cases))


@dataclass
class Case:
    """One interval comparison of a claim: an estimate, the value it is compared with, and the relation."""

    label: str
    estimate: Estimate
    theoretical: float
    relation: str
    """``upper``, ``lower`` or ``equal`` (as :func:`verify.claims.verdicts.decide`)."""
    tolerance: Tolerance | None = None
    info: dict = field(default_factory=dict)
    primary: bool = True
    """Whether the case may head a confirmed result (a side condition such as "the limit is positive" may not)."""
    verdict_override: str | None = None
    """A verdict decided otherwise (e.g. ``inconclusive`` when no fitted model describes the data)."""

    @property
    def verdict(self) -> str:
        if self.verdict_override is not None:
            return self.verdict_override
        return decide(self.estimate, self.theoretical, self.relation, tolerance=self.tolerance)

    def margin(self) -> float:
        """How far the interval sits on the statement's side, in standard errors (negative: wrong side)."""
        e, th = self.estimate, self.theoretical
        sem = e.sem if e.sem and e.sem > 0 else max(e.half_width, 1e-300)
        if self.relation == "upper":
            return (th - e.high) / sem
        if self.relation == "lower":
            return (e.low - th) / sem
        return -abs(e.mean - th) / sem

    def record(self) -> dict:
        e = self.estimate
        return {
            "case": self.label,
            "verdict": self.verdict,
            "relation": self.relation,
            "empirical": e.mean,
            "ci_low": e.low,
            "ci_high": e.high,
            "theoretical": self.theoretical,
            "samples": e.n,
            "level": e.level,
            **({"tolerance": self.tolerance.describe()} if self.tolerance is not None else {}),
            **self.info,
        }


def combine(cases: list[Case]) -> tuple[str, Case]:
    """The verdict of several comparisons (refuted if any is, confirmed if all are, else inconclusive) and
    the case that decides it (the clearest refutation, the first inconclusive, or the narrowest confirmation).
    """
    if not cases:
        raise ValueError("combine needs at least one case")
    verdicts = [c.verdict for c in cases]
    if "refuted" in verdicts:
        refuted = [c for c in cases if c.verdict == "refuted"]
        return "refuted", min(refuted, key=Case.margin)
    if "inconclusive" in verdicts:
        return "inconclusive", cases[verdicts.index("inconclusive")]
    primary = [c for c in cases if c.primary] or cases
    return "confirmed", min(primary, key=Case.margin)


def combined_result(
    claim_id: str,
    relation: str,
    cases: list[Case],
    control_cases: list[Case],
    *,
    wrong_statement: str,
    margin: str,
    details: dict,
    corrected_cases: list[Case] | None = None,
    corrected_statement: str | None = None,
    supports: str | None = None,
) -> ClaimResult:
    """A :class:`ClaimResult` from several interval comparisons and the same procedure on the nearest wrong
    statement (``control_cases``) or, for a refuted claim, on the corrected statement (``corrected_cases``).

    The reported numbers are the deciding case's; every case is listed in ``details["cases"]`` and the
    control's cases in ``details["control_cases"]``. ``relation`` is the registered one (e.g. ``scaling``);
    each case carries the relation its interval is decided with.
    """
    verdict, head = combine(cases)
    details = dict(details)
    details["cases"] = [c.record() for c in cases]
    details["deciding_case"] = head.label
    details.update(interval=head.estimate.method, level=head.estimate.level, samples=head.estimate.n)
    if supports is not None and verdict == "refuted":
        details["supports"] = supports
    use_corrected = verdict == "refuted" and corrected_cases
    chosen = corrected_cases if use_corrected else control_cases
    control_verdict, control_head = combine(chosen)
    details["control_cases"] = [c.record() for c in chosen]
    fixed = (corrected_statement, control_head.theoretical, control_verdict) if use_corrected else None
    ctrl = control(
        verdict, wrong=(wrong_statement, control_head.theoretical, control_verdict), corrected=fixed, margin=margin
    )
    ctrl.update(
        deciding_case=control_head.label,
        empirical=control_head.estimate.mean,
        ci=[control_head.estimate.low, control_head.estimate.high],
    )
    return ClaimResult(
        claim_id,
        verdict,
        relation,
        head.estimate.mean,
        head.estimate.low,
        head.estimate.high,
        head.theoretical,
        details=details,
        negative_control=ctrl,
    )


def fitted_case(
    label: str,
    line: PolynomialFit,
    quantity: str,
    theoretical: float,
    relation: str,
    *,
    tolerance: Tolerance | None = None,
    curved: PolynomialFit | None = None,
    info: dict | None = None,
    primary: bool = True,
) -> Case:
    """A :class:`Case` on a fitted ``quantity`` (``"intercept"`` or ``"slope"``), decided
    by :func:`verify.claims.verdicts.decide_fit`: inconclusive when neither the line nor ``curved`` passes its
    lack-of-fit test. The fit record (chi2/dof, p-values, which model decided) is in ``info["fit"]``.

    >>> from verify.sim.stats import fit_polynomial
    >>> x, se = [0.0, 1.0, 2.0], [0.01] * 3
    >>> fit = fit_polynomial(x, [0.0, 1.0, 4.0], se, 1, 0.99)
    >>> case = fitted_case("bent", fit, "intercept", 0.0, "upper")
    >>> case.verdict, case.info["fit"]["decided_by"]
    ('inconclusive', None)
    """
    verdict, estimate, record = decide_fit(line, quantity, theoretical, relation, tolerance=tolerance, curved=curved)
    return Case(
        label,
        estimate,
        theoretical,
        relation,
        tolerance=tolerance,
        info={**(info or {}), "fit": record},
        primary=primary,
        verdict_override=None if record["decided_by"] else verdict,
    )
