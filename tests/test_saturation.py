"""S_K, the amplification factor and the saturation bound C10 (bounds.saturation)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bounds.saturation import (
    amplification_factor,
    amplification_sum,
    saturation_bound,
    saturation_bound_attained,
    saturation_term,
)

taus = st.floats(1e-3, 1e3)
#: W_max = ratio * tau stays a normal float (subnormal inputs are refused, see the pinned test below)
ratios = st.just(0.0) | st.floats(1e-300, 0.999)


def test_s_k_is_zero_when_w_stays_at_zero():
    assert amplification_sum(np.zeros(101), tau=0.7) == 0.0


def test_s_k_uses_k_plus_one_terms_over_k():
    # K = 3: four terms r/(1 - r) at r = 1/4 (||W|| = tau/2) -> 4 * (1/3) / 3
    assert amplification_sum([0.5, 0.5, 0.5, 0.5], tau=1.0) == pytest.approx(4 / 9, rel=1e-15)
    # a sequence that only visits W_max at the last step K still counts it
    assert amplification_sum([0.0, 0.0, 0.5], tau=1.0) == pytest.approx((1 / 3) / 2, rel=1e-15)


def test_saturation_term_refuses_values_on_and_outside_the_bound():
    """The term r/(1 - r) is infinite from ||W||_inf = tau on: refused by name (issue 15), never inf."""
    for values in ([1.0, 2.0], [0.5, 1.0]):
        with pytest.raises(ValueError, match=r"w_inf must have every entry < tau = 1\.0 \(A4"):
            saturation_term(values, tau=1.0)
    with pytest.raises(ValueError, match="w_inf must have every entry < tau"):
        amplification_sum([0.0, 1.0], tau=1.0)
    assert saturation_term(np.nextafter(1.0, 0.0), tau=1.0) < 1e17  # just below tau: large, finite


@given(tau=taus, ratio=ratios, K=st.integers(1, 10_000))
def test_c10_as_stated_fails_by_k_plus_one_over_k_at_w_max(tau, ratio, K):
    """C10 as printed is violated by the run ||W_k||_inf = W_max for all k whenever W_max > 0;
    the K+1-term bound is attained exactly there."""
    W_max = ratio * tau
    s_k = amplification_sum(np.full(K + 1, W_max), tau)
    stated, attained = saturation_bound(W_max, tau), saturation_bound_attained(W_max, tau, K)
    assert s_k == pytest.approx(attained.value, rel=1e-12, abs=1e-300)
    if W_max > 0 and stated.value > 0:
        assert s_k > stated.value  # the printed bound fails here
        assert s_k / stated.value == pytest.approx((K + 1) / K, rel=1e-12)


@given(tau=taus, ratio=ratios, K=st.integers(1, 50), data=st.data())
def test_attained_bound_holds_for_every_sequence_below_w_max(tau, ratio, K, data):
    W_max = ratio * tau
    seq = data.draw(st.lists(st.floats(0.0, 1.0), min_size=K + 1, max_size=K + 1))
    s_k = amplification_sum(np.asarray(seq) * W_max, tau)
    assert s_k <= saturation_bound_attained(W_max, tau, K).value * (1 + 1e-12)


@given(tau=taus, W_max=st.floats(0.0, 2e3, allow_subnormal=False))
def test_applicability_is_exactly_a4(tau, W_max):
    a4 = W_max < tau  # recomputed here from the raw parameters
    for bound in (
        amplification_factor(W_max, tau),
        saturation_bound(W_max, tau),
        saturation_bound_attained(W_max, tau, 5),
    ):
        assert bound.applicable == a4
        if bound.applicable:
            assert np.isfinite(bound.value) and bound.value >= 0
        else:
            assert bound.status.startswith("not applicable: A4")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: amplification_sum([0.5], tau=1.0), "w_inf must be a sequence"),
        (lambda: amplification_sum([[0.5, 0.2]], tau=1.0), "w_inf must be a sequence"),
        (lambda: amplification_sum([-0.1, 0.2], tau=1.0), "w_inf must have every entry >= 0"),
        (lambda: amplification_sum([0.1, 0.2], tau=0.0), "tau must be a finite real number > 0"),
        (lambda: saturation_bound(0.5, float("nan")), "tau must be a finite real number > 0"),
        (lambda: saturation_bound_attained(0.5, 1.0, K=0), "K must be an integer >= 1"),
        (lambda: amplification_factor(-1.0, 1.0), "W_max must be a finite real number >= 0"),
    ],
)
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_extreme_but_finite_inputs_give_finite_bounds():
    """Issue 15: the closed forms depend on W_max/tau only, so W_max^2 overflowing (1e200^2) or
    underflowing leaves the value finite and right while A4 holds."""
    for W_max, tau in ((0.5e200, 1e200), (0.5e-200, 1e-200), (1e-300, 1e10)):
        ratio = (W_max / tau) ** 2
        assert amplification_factor(W_max, tau).value == pytest.approx(1 / (1 - ratio), rel=1e-15)
        assert saturation_bound(W_max, tau).value == pytest.approx(ratio / (1 - ratio), rel=1e-15, abs=1e-300)
        assert saturation_bound_attained(W_max, tau, 3).applicable
    assert saturation_bound(1e308, 1e-300).value == np.inf and not saturation_bound(1e308, 1e-300).applicable


@pytest.mark.parametrize("call", [lambda: saturation_bound(5e-324, 1.0), lambda: amplification_factor(0.5, 1e-320)])
def test_subnormal_inputs_are_refused_by_name(call):
    with pytest.raises(ValueError, match=r"(W_max|tau) must be 0 or of magnitude >= 2\.23e-308"):
        call()
