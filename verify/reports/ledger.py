"""Tables of verdicts: the terminal table of ``check`` and the ledger ``paper_checks.md``."""

from __future__ import annotations

import functools
import math
import re

from bounds.validation import SEED_LIMIT, require_int

from ..claims.catalogue import neurips_numbering
from ..claims.registry import PAPERS, Claim
from ..claims.results import ClaimResult
from .crosscheck import format_validation

__all__ = [
    "format_table",
    "format_check",
    "format_ledger",
    "format_tightness",
    "stale_claims",
    "validation_results",
]


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _require_results(results, name: str = "results") -> list:
    """``results`` as a list after checking it holds ClaimResults only (a TypeError naming ``name``)."""
    if not isinstance(results, (list, tuple)) or not all(isinstance(r, ClaimResult) for r in results):
        raise TypeError(f"{name} must be a list of ClaimResult (run_checks' results), got {_shown(results)}")
    return list(results)


def _require_claims(claims) -> dict:
    if not isinstance(claims, dict) or not all(isinstance(k, str) and isinstance(c, Claim) for k, c in claims.items()):
        raise TypeError(f"claims must be a dict id -> Claim (load_claims()), got {_shown(claims)}")
    return claims


def _require_str(name: str, value, optional: bool = False):
    if not (isinstance(value, str) or (optional and value is None)):
        raise TypeError(f"{name} must be a str{' or None' if optional else ''}, got {_shown(value)}")
    return value


def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.4g}"


def _interval(r: ClaimResult) -> str:
    if r.empirical is None:
        return "-"
    if r.ci_low is None:
        return _number(r.empirical)
    return f"{_number(r.empirical)} [{_number(r.ci_low)}, {_number(r.ci_high)}]"


def _verdict(r: ClaimResult) -> str:
    return f"{r.verdict} ({r.kind})" if r.kind == "erratum" else r.verdict


def format_table(results: list[ClaimResult]) -> str:
    """One line per claim: id, verdict (with its kind when an erratum), empirical [CI], theoretical, seconds."""
    results = _require_results(results)
    lines = [f"{'id':<5} {'verdict':<19} {'empirical [CI]':<40} {'theoretical':>12} {'seconds':>8}"]
    for r in results:
        lines.append(f"{r.id:<5} {_verdict(r):<19} {_interval(r):<40} {_number(r.theoretical):>12} {r.seconds:>8.2f}")
    return "\n".join(lines)


def format_check(
    results: list[ClaimResult], claims: dict[str, Claim], *, profile: str, seed: int, json_path: str | None = None
) -> str:
    """``check``'s output: :func:`format_table` with, under each claim, what its two numbers are and the interval
    level, then a summary of the verdicts and where the evidence is."""
    results, claims = _require_results(results), _require_claims(claims)
    _require_str("profile", profile)
    require_int("seed", seed, low=0, high=SEED_LIMIT)
    _require_str("json_path", json_path, optional=True)
    lines = format_table(results).splitlines()
    out = [lines[0]]
    for r, line in zip(results, lines[1:]):
        out.append(line)
        c = claims.get(r.id)
        level = r.details.get("level") if isinstance(r.details, dict) else None
        caption = (c.quantity if c is not None else "") or ""
        neurips = neurips_numbering(c.source) if c is not None else ""
        if neurips:
            caption = f"[{neurips}; the source's v1 numbering: {c.source.split(',')[0]}] " + caption
        if level is not None and r.empirical is not None and r.ci_low is not None:
            caption += f"{'; ' if caption else ''}{100 * level:.4g}% interval"
        if caption:
            out.append(f"      {caption}")
    counts: dict[str, int] = {}
    for r in results:
        counts[_verdict(r)] = counts.get(_verdict(r), 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items(), key=lambda item: -item[1]))
    out += [
        "",
        f"{len(results)} claim{'s' if len(results) != 1 else ''}: {summary}. Profile {profile}, root seed {seed}.",
        "Each interval is at the per-claim level that keeps all of them together at 95% (Bonferroni).",
        "`aimc-verify claims ID` explains a claim; "
        + (f"{json_path} holds every result's details; " if json_path else "--json FILE keeps every result's details; ")
        + "paper_checks.md is the committed ledger.",
    ]
    return "\n".join(out)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _tolerance(r: ClaimResult) -> str:
    t = r.tolerance
    return "-" if not t else f"{t['text']}: {t['reason']}"


def _fit_text(fit) -> str:
    """One fit record (:meth:`~verify.sim.stats.PolynomialFit.record`), a
    :func:`~verify.claims.verdicts.decide_fit` record (the line and the curved model), or several of them by case."""
    if isinstance(fit, list):
        return "; ".join(_fit_text(f) for f in fit)
    if not isinstance(fit, dict):
        return "-"
    if "line" in fit:
        parts = [_fit_text(fit["line"])] + ([_fit_text(fit["curved"])] if fit.get("curved") else [])
        decided = fit.get("decided_by")
        return ", ".join(parts) + (f", decided by the {decided}" if decided else ", no model fits")
    if "chi2" in fit:
        name = fit.get("model", "fit")
        return (
            f"{name} {fit['chi2']:.3g}/{fit['dof']} (p = {fit['p_value']:.2g})" if fit.get("dof") else f"{name}, no dof"
        )
    return "; ".join(f"{label}: {_fit_text(rec)}" for label, rec in fit.items())


def _fit(r: ClaimResult) -> str:
    """chi^2/dof and p of the fits behind a fitted claim (``details["fit"]``)."""
    fit = r.details.get("fit")
    return _fit_text(fit) if fit else "-"


def _control(r: ClaimResult) -> str:
    c = r.negative_control
    if not c:
        return "-"
    margin = f" ({c['margin']})" if c.get("margin") else ""
    ok = "" if r.control_as_expected else " **NOT AS EXPECTED**"
    return f"{c.get('role', 'control')}: {c['statement']}{margin} -> {c['verdict']}{ok}"


def _second(r: ClaimResult) -> str:
    """The claim decided on a second model, in one sentence (empty if none)."""
    s = r.second_model
    if not s:
        return ""
    measured = ""
    if s.get("empirical") is not None:
        measured = f": {_number(s['empirical'])} [{_number(s['ci_low'])}, {_number(s['ci_high'])}]"
    return f"On {s['model']}: {s['verdict']}{measured}."


def _summary_line(r: ClaimResult, c: Claim) -> str:
    statement = _cell(c.statement).rstrip(".") + "."
    measured = f" Measured {_interval(r)} vs {_number(r.theoretical)}." if r.empirical is not None else ""
    supports = r.details.get("supports", "")
    second = f" {_cell(_second(r))}" if r.second_model else ""
    return (
        f"- **{r.id}** ({c.source}; on {r.model}): {statement}{measured}"
        + (f" Instead: {_cell(supports)}" if supports else "")
        + second
    )


def format_ledger(
    claims: dict[str, Claim],
    results: list[ClaimResult],
    *,
    command: str,
    profile: str,
    entropy: int,
    validation: list[dict] | None = None,
) -> str:
    """``paper_checks.md``: substantive refutations, errata and model- or reading-dependent verdicts first, then
    one row per claim with its model, tolerance (and reason), fit quality and control; then the experiment model's
    validation against AIHWKit (``validation``: :func:`validation_results`' output; omitted when None) and the
    tightness table."""
    claims, results = _require_claims(claims), _require_results(results)
    _require_str("command", command)
    _require_str("profile", profile)
    require_int("entropy", entropy, low=0, high=SEED_LIMIT)
    if validation is not None and not isinstance(validation, (list, tuple)):
        raise TypeError(f"validation must be a list of reference_crosscheck results or None, got {_shown(validation)}")
    by_id = {r.id: r for r in results}
    missing = [i for i in claims if i not in by_id]
    if missing:
        raise ValueError(f"results: no result for claim(s) {', '.join(missing)}")
    out = [
        "# Paper checks",
        "",
        "Every checkable claim of each paper below, with the verdict of this toolkit and its evidence, one",
        "section per paper. P-claims are this project's own findings about the 2024 paper.",
        "",
        f"Generated by `{command}` (profile `{profile}`, root seed entropy {entropy}); regenerate it with that",
        "command, or check that it is up to date with `python -m verify ledger --check`. Intervals are",
        "Student-t across independent chains (or normal, for fits and ratios) at the per-claim level that keeps",
        "the family-wise error of each paper's interval checks at most 5% (Bonferroni over that paper's claims).",
        "A bound is confirmed when the whole interval lies on its side; an approximate equality is an equivalence",
        "test against the registered tolerance (confirmed inside the band, refuted entirely outside it,",
        "inconclusive otherwise). Every tolerance is fixed in the claim registry from the paper's wording, with",
        "its reason, before any run. Fits report chi^2/dof; a fit whose model the data reject decides nothing.",
        "Each claim's control is the nearest wrong statement the same check must reject, or, for a refuted",
        "claim, the corrected statement it must confirm.",
        "",
    ]
    for paper in PAPERS.values():
        ids = [i for i in claims if claims[i].paper == paper.key]
        if ids:
            out += _paper_section(paper, ids, claims, by_id, profile)
        if paper.key == "wu2024":  # the 2024 paper's experiments and bounds, after its claims
            if validation is not None:
                out.append(format_validation(validation))
            out.append(format_tightness(_tightness_rows()))
    return "\n".join(out) + "\n"


def _paper_section(paper, ids: list[str], claims: dict, by_id: dict, profile: str) -> list[str]:
    """One paper's part of the ledger: its verdict counts, refutations, errata, model- or reading-dependent
    verdicts, then one row per claim."""
    results = [by_id[i] for i in ids]
    counts = {}
    for r in results:
        key = f"{r.verdict} ({r.kind})" if r.kind == "erratum" else r.verdict
        counts[key] = counts.get(key, 0) + 1
    out = [
        f"## {paper.citation}",
        "",
        f"Claim ids and statements follow `{paper.digest}` (a compound claim is split into a, b, ...).",
        "",
        "Verdicts: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + ".",
        "",
    ]
    sections = (
        ("Substantive refutations", [r for r in results if r.verdict == "refuted" and r.kind != "erratum"]),
        ("Errata: slips whose intended statement holds", [r for r in results if r.kind == "erratum"]),
        ("Verdicts that depend on the model or the reading", [r for r in results if claims[r.id].depends]),
    )
    for title, rows in sections:
        out += [f"### {title}", ""]
        if not rows:
            out.append("None.")
        for r in rows:
            line = _summary_line(r, claims[r.id])
            if r.kind == "erratum":
                line += f" Intended: {_cell(claims[r.id].intended)} (confirmed by the same check)."
            if title.startswith("Verdicts that depend"):
                line += f" Verdict: {_verdict(r)}. Depends on: {_cell(claims[r.id].depends)}."
            out.append(line)
        out.append("")
    out += [
        "### All claims",
        "",
        "| id | source | statement | verdict | model | empirical [CI] | theoretical | tolerance (reason) | fit "
        "chi^2/dof | control | reproduce |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for claim_id in ids:
        c, r = claims[claim_id], by_id[claim_id]
        verdict = _verdict(r)
        if r.verdict == "not checkable here":
            verdict = f"not checkable here: {r.details.get('reason', '')}"
        if r.second_model:
            verdict += f"<br>({_second(r)})"
        reproduce = f"`python -m verify check {claim_id} --profile {profile}`" if c.check else "-"
        out.append(
            f"| {claim_id} | {_cell(c.source)} | {_cell(c.statement)} | {_cell(verdict)} | {_cell(r.model)} | "
            f"{_interval(r)} | {_number(r.theoretical)} | {_cell(_tolerance(r))} | {_cell(_fit(r))} | "
            f"{_cell(_control(r))} | {reproduce} |"
        )
    out.append("")
    return out


def stale_claims(committed: str, fresh: str) -> list[str]:
    """The claim ids whose row in the ledger text ``committed`` differs from ``fresh`` (or is missing from
    either); ``["(other sections)"]`` when only text outside the claim rows differs.

    >>> stale_claims("| C1 | a |\\n| C2 | b |\\n", "| C1 | a |\\n| C2 | c |\\n")
    ['C2']
    """
    _require_str("committed", committed)
    _require_str("fresh", fresh)

    def rows(text):
        return {
            line.split("|")[1].strip(): line
            for line in text.splitlines()
            if line.startswith("| ") and re.fullmatch(r"[A-Z]+\d+[a-z]?", line.split("|")[1].strip())
        }

    old, new = rows(committed), rows(fresh)
    ids = [i for i in dict.fromkeys([*new, *old]) if old.get(i) != new.get(i)]
    if not ids and committed != fresh:
        return ["(other sections)"]
    return ids


def validation_results(profile: str, entropy: int) -> list[dict]:
    """The experiment model against the committed AIHWKit references, on the runs the claims were decided on."""
    from ..claims.checks.experiments import experiment_data
    from ..claims.registry import PROFILES
    from .crosscheck import VALIDATED_FIGURES, reference_crosscheck

    if not isinstance(profile, str) or profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {_shown(profile)}")
    entropy = require_int("entropy", entropy, low=0, high=SEED_LIMIT)
    chosen = PROFILES[profile]
    return [
        reference_crosscheck(f, level=chosen.level, data=experiment_data(f, chosen, entropy)) for f in VALIDATED_FIGURES
    ]


@functools.lru_cache(maxsize=1)
def _ledger_tightness() -> tuple:
    from .tightness import LEDGER_GRID, tightness_rows  # deterministic, about 1 s, no Monte Carlo

    return tuple(tightness_rows(**LEDGER_GRID))


def _tightness_rows() -> list[dict]:
    """The ledger grid's tightness rows (computed once per process: they are deterministic)."""
    return [dict(r) for r in _ledger_tightness()]


def format_tightness(rows: list[dict]) -> str:
    """The ledger section "How tight is the paper?": predicted floor / paper value per row of
    :func:`verify.reports.tightness.tightness_rows`, with the range of the ratio per setting and noise law."""
    from .tightness import format_markdown, require_rows

    rows = require_rows(rows)
    if not rows:
        raise ValueError("rows: no tightness rows to format")
    out = [
        "## How tight is the paper?",
        "",
        "Predicted Analog SGD error floor as alpha -> 0 (`bounds.asymptotics`: ||grad f(W_inf)||^2 at the root",
        "W_inf of the mean map; derived here, not a claim of the paper) divided by the paper's value",
        "4 sigma^2 S with S = r/(1 - r), r = ||W_inf||_inf^2/tau^2: Theorem 1's asymptotic term for Analog SGD",
        "(scalar f = 1/2 (w - w*)^2, ALD), and the value Theorem 2 states for its construction (two-point noise,",
        "W = w 1 in D dimensions). A ratio <= 1 means the upper bound holds; Theorem 2 claims equality (ratio 1).",
        'Deterministic; regenerate with `python -c "from verify.reports.tightness import *; '
        'print(format_markdown(tightness_rows(**LEDGER_GRID)))"`; notebook `notebooks/06_tightness.py`.',
        "",
    ]
    groups = {}
    for r in rows:
        groups.setdefault((r["setting"], r["law"]), []).append(r["ratio"])
    for (setting, law), ratios in groups.items():
        out.append(
            f"- {setting}, {law} noise: predicted / paper in [{min(ratios):.4g}, {max(ratios):.4g}] "
            f"over {len(ratios)} parameter points."
        )
    out += ["", format_markdown(rows)]
    return "\n".join(out)
