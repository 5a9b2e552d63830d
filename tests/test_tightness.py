"""verify.reports.tightness and the ledger's "How tight is the paper?" section: deterministic, cross-checked."""

import math

import pytest

from bounds.asymptotics import solve_scalar, theorem2_chain
from verify.reports.ledger import format_tightness
from verify.reports.tightness import analog_sgd_row, format_markdown, theorem2_row, tightness_rows


def test_theorem2_row_reuses_lower_bound_and_agrees_with_the_general_chain():
    row = theorem2_row(1.0, 0.3, 0.2, 4)
    res = solve_scalar(theorem2_chain(1.0, 0.2, 1.0, 0.3, 4), dps=30)
    assert math.isclose(row["w_inf"], float(res.w_inf), rel_tol=1e-12)
    assert math.isclose(row["predicted"], res.limits["grad_sq"], rel_tol=1e-10)
    assert math.isclose(row["ratio"], 0.25, rel_tol=1e-12)  # derived constant 1 vs stated 4


def test_rademacher_row_in_closed_form():
    # |g| < s at the root: E|g + eps| = s, so b = -(g + s w/tau) = 0 gives w = w*/(1 + s/(L tau)).
    tau, s, w_star = 0.5, 0.1, 0.2
    row = analog_sgd_row(tau, s, w_star, "rademacher")
    w = w_star / (1 + s / tau)
    assert math.isclose(row["w_inf"], w, rel_tol=1e-12)
    exact = (w - w_star) ** 2 / (4 * s**2 * (w / tau) ** 2 / (1 - (w / tau) ** 2))
    assert math.isclose(row["ratio"], exact, rel_tol=1e-10)


def test_theorem1_term_is_an_upper_bound_but_loose_on_the_grid():
    rows = tightness_rows(
        taus=(0.5, 2.0), sigmas=(0.3,), w_stars=(0.4,), laws=("gaussian", "rademacher"), theorem2_dims=()
    )
    assert len(rows) == 4 and all(0.1 < r["ratio"] < 0.26 and r["unique"] for r in rows)


def test_tables_and_bad_input():
    rows = tightness_rows(taus=(1.0,), sigmas=(0.3,), w_stars=(0.2,), laws=("gaussian",), theorem2_dims=(4,))
    table = format_markdown(rows)
    assert table.count("\n") == 3 and "| theorem2 | two-point |" in table
    text = format_tightness(rows)
    assert text.startswith("## How tight is the paper?") and "predicted / paper in [0.25, 0.25]" in text
    with pytest.raises(ValueError, match="law"):
        analog_sgd_row(1.0, 0.3, 0.2, "cauchy")
    with pytest.raises(ValueError, match="w_star"):
        analog_sgd_row(1.0, 0.3, 1.5)
    with pytest.raises(ValueError, match="D"):
        theorem2_row(1.0, 0.3, 0.2, 0)
    with pytest.raises(ValueError, match="rows"):
        format_tightness([])


def test_format_ledger_appends_the_section():
    from verify.claims import ClaimResult, load_claims
    from verify.reports.ledger import format_ledger

    claims = load_claims()
    results = [ClaimResult(i, "confirmed", c.relation) for i, c in claims.items()]
    text = format_ledger(claims, results, command="python -m verify ledger", profile="quick", entropy=1)
    section = text[text.index("## How tight is the paper?") :]
    assert "analog-sgd, gaussian noise: predicted / paper in [" in section
    assert "theorem2, two-point noise: predicted / paper in [0.25, 0.25]" in section
    assert text == format_ledger(claims, results, command="python -m verify ledger", profile="quick", entropy=1)


# --- issue 15: bad input refused by name, no overflow -----------------------------------------------------------


@pytest.mark.parametrize(
    "call, named",
    [
        (lambda: tightness_rows(taus="x"), "taus"),  # was "tau must be ..." from inside a row
        (lambda: tightness_rows(taus=(1e308,), sigmas=(0.3,), w_stars=(0.3,), theorem2_dims=()), "taus"),
        (lambda: tightness_rows(sigmas=[math.nan]), "sigmas"),
        (lambda: tightness_rows(laws=("cauchy",)), "law"),
        (lambda: tightness_rows(theorem2_dims=(0,)), "theorem2_dims"),
        (lambda: tightness_rows(taus=tuple(range(1, 200)), sigmas=tuple(range(1, 200))), "taus"),
        (lambda: analog_sgd_row(1.0, 0.3, 0.3, law=[]), "law"),  # was an unhashable-type TypeError
        (lambda: format_markdown([{"setting": "x"}]), "rows"),  # was a KeyError
        (lambda: format_tightness("x"), "rows"),
    ],
)
def test_issue15_tightness_refuses_bad_input_by_name(call, named):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((ValueError, TypeError), match=named):
            call()


def test_issue15_rows_at_extreme_inputs_are_finite_or_refused_by_name():
    for L in (1e-300, 1e300):
        try:
            row = theorem2_row(1.0, 0.3, 0.2, 4, L=L)
        except ValueError as err:
            assert "L=" in str(err)
        else:
            assert all(math.isfinite(v) for v in row.values() if isinstance(v, float))
