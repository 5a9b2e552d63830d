r"""The device models of :mod:`bounds.devices` (paper section 2.2-2.3, App. C, App. E).

Claims checked here:

* **C5** the compact form ``U = w + dw F(w) - |dw| G(w)`` (7) equals the piecewise definition (6),
  for any response factors ``q_+, q_-``;
* **C6** the asymmetric linear device (ALD) turns (7) into (8) and, with ``dw = -alpha (g + eps)``,
  into the Analog SGD recursion (3); soft bounds (21)-(23) reduce to the ALD; the power- and
  exponential-step factors are eqs. (24)-(26);
* **C7** Lemma 1: saturation and fast reset of the ALD;
* **C8** Theorem 1 (arXiv v1 numbering): bounded weight.

Besides the claims, the numeric (lambdified, float64) twins are held to an mpmath oracle at 50 digits,
the fast in-place ``apply_update`` paths to the generic one, and the constructors to their validation.

Tolerances. ``EPS`` is the float64 machine epsilon; one correctly rounded operation errs by at most
``u = EPS / 2`` relative to its result. Every tolerance below is derived from that, with the
derivation in a comment next to it.
"""

from __future__ import annotations

import functools
import itertools
import zlib

import hypothesis
import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from bounds import symbols as S
from bounds.devices import (
    AsymmetricLinearDevice,
    Device,
    ExponentialStepDevice,
    IdealDevice,
    PowerStepDevice,
    SoftBoundsDevice,
)

EPS = float(np.finfo(np.float64).eps)
ORACLE_DPS = 50  #: decimal digits of the mpmath oracle: its own error is ~1e-50, nil next to EPS
PARTS = ("q_plus", "q_minus", "F", "G", "update")

#: Device instances for the numeric tests: each family at the paper's settings (Fig. 6: [-4, 4]) and at
#: settings that move the symmetric point off 0 or the range off the origin, with unequal gammas.
DEVICES = {
    "ideal": IdealDevice(),
    "ald": AsymmetricLinearDevice(tau=1.0),
    "ald-wsp": AsymmetricLinearDevice(tau=3.0, w_sp=0.5),
    "ald-small-tau": AsymmetricLinearDevice(tau=0.1, w_sp=-2.0),
    "soft": SoftBoundsDevice(tau_max=2.0, tau_min=-4.0),
    "soft-wsp": SoftBoundsDevice(tau_max=1.5, tau_min=-0.5, w_sp=0.7),
    "power": PowerStepDevice(tau_max=4.0, tau_min=-4.0),
    "power-gammas": PowerStepDevice(tau_max=4.0, tau_min=-4.0, gamma_plus=0.5, gamma_minus=2.5),
    "power-offset": PowerStepDevice(tau_max=3.0, tau_min=1.0, gamma_plus=1.7, gamma_minus=0.3),
    "exp": ExponentialStepDevice(tau_max=4.0, tau_min=-4.0),
    "exp-gammas": ExponentialStepDevice(tau_max=4.0, tau_min=-4.0, gamma_plus=3.0, gamma_minus=0.5),
    "exp-steep": ExponentialStepDevice(tau_max=2.0, tau_min=-1.0, gamma_plus=10.0, gamma_minus=0.2),
    "exp-asym": ExponentialStepDevice(tau_max=1.0, tau_min=-4.0, gamma_plus=0.7),
    "exp-far": ExponentialStepDevice(tau_max=1000.0, tau_min=999.0, gamma_plus=2.0),
}


# =================================================================================================
# 1. Symbolic proofs (C5, C6)
# =================================================================================================
d_nonneg = sp.Symbol("d", nonnegative=True)  #: |dw| for an update dw = d >= 0
d_pos = sp.Symbol("d", positive=True)  #: |dw| for an update dw = -d < 0


def assert_identity(lhs, rhs, what):
    """Prove ``lhs == rhs`` by reducing the difference to 0 (expand, then cancel)."""
    difference = sp.cancel(sp.expand(lhs - rhs))
    assert difference == 0, f"{what}: the difference does not vanish, it is {difference}"


def assert_compact_form_is_definition_6(response_expressions):
    """(7) == (6) on both branches, dw = d >= 0 and dw = -d < 0, for ``(q_+, q_-)`` given as a function of w."""
    q_plus, q_minus = response_expressions(S.w)
    F = (q_minus + q_plus) / 2
    G = (q_minus - q_plus) / 2
    for dw, q in ((d_nonneg, q_plus), (-d_pos, q_minus)):
        compact = S.w + dw * F - sp.Abs(dw) * G
        assert_identity(compact, S.w + dw * q, f"compact form at dw = {dw}")


class GenericResponse(Device):
    """A device with arbitrary response factors q_p(w), q_m(w): only its class methods are used."""

    @classmethod
    def response_expressions(cls, w=S.w):
        return sp.Function("q_p")(w), sp.Function("q_m")(w)


def test_compact_form_equals_definition_for_generic_response_factors():
    """C5: w + dw F - |dw| G equals (6) for arbitrary q_+, q_- (the module's expressions)."""
    for dw, q in ((d_nonneg, sp.Function("q_p")(S.w)), (-d_pos, sp.Function("q_m")(S.w))):
        assert_identity(GenericResponse.update_expression(S.w, dw), S.w + dw * q, f"U(w, {dw})")
        assert_identity(GenericResponse.piecewise_update_expression(S.w, dw), S.w + dw * q, f"(6) at {dw}")
    assert_compact_form_is_definition_6(GenericResponse.response_expressions)


def test_piecewise_update_expression_is_definition_6():
    """C5: the module's piecewise form is (6) as typed here, branch for branch."""
    q_p, q_m = sp.Function("q_p")(S.w), sp.Function("q_m")(S.w)
    typed = sp.Piecewise((S.w + S.dw * q_p, S.dw >= 0), (S.w + S.dw * q_m, True))
    assert GenericResponse.piecewise_update_expression(S.w, S.dw) == typed


def test_compact_form_negative_control():
    """C5 negative control: the same proof rejects the compact form with the sign of |dw| G flipped."""
    q_p, q_m = sp.Function("q_p")(S.w), sp.Function("q_m")(S.w)
    wrong = S.w + d_nonneg * (q_m + q_p) / 2 + sp.Abs(d_nonneg) * (q_m - q_p) / 2
    with pytest.raises(AssertionError, match="does not vanish"):
        assert_identity(wrong, S.w + d_nonneg * q_p, "flipped compact form")


@pytest.mark.parametrize(
    "cls", [IdealDevice, AsymmetricLinearDevice, SoftBoundsDevice, PowerStepDevice, ExponentialStepDevice]
)
def test_compact_form_equals_definition_for_every_device(cls):
    """C5: each device's update_expression (7) equals its piecewise_update_expression (6) on both branches."""
    for dw in (d_nonneg, -d_pos):
        assert_identity(
            cls.update_expression(S.w, dw), cls.piecewise_update_expression(S.w, dw), f"{cls.__name__} at dw = {dw}"
        )
    assert_compact_form_is_definition_6(cls.response_expressions)


def test_ald_update_is_eq_8_and_gives_analog_sgd_3():
    """C6: the ALD's compact form is (8) w + dw - |dw| w / tau (w_sp = 0), and dw = -alpha (g + eps) gives (3)."""
    update = AsymmetricLinearDevice.update_expression(S.w, S.dw).subs(S.w_sp, 0)
    eq8 = S.w + S.dw - sp.Abs(S.dw) * S.w / S.tau
    assert_identity(update, eq8, "ALD update vs (8)")
    eq3 = S.w - S.alpha * (S.g + S.eps) - (S.alpha / S.tau) * sp.Abs(S.g + S.eps) * S.w
    assert_identity(eq8.subs(S.dw, -S.alpha * (S.g + S.eps)), eq3, "(8) with dw = -alpha (g + eps) vs (3)")
    assert_identity(update.subs(S.dw, -S.alpha * (S.g + S.eps)), eq3, "ALD update vs (3)")
    # negative control: the paper's wording "replace dw with alpha (g + eps)" (no minus sign) is not (3)
    with pytest.raises(AssertionError, match="does not vanish"):
        assert_identity(eq8.subs(S.dw, S.alpha * (S.g + S.eps)), eq3, "sign-less substitution")


def test_ald_parts_are_F_1_and_G_linear():
    """C6: ALD F = 1 and G = (w - w_sp)/tau (section 2.3)."""
    assert_identity(AsymmetricLinearDevice.symmetric_part_expression(S.w), 1, "ALD F")
    assert_identity(AsymmetricLinearDevice.asymmetric_part_expression(S.w), (S.w - S.w_sp) / S.tau, "ALD G")


def test_soft_bounds_with_symmetric_bounds_is_the_ald():
    """C6: soft bounds with tau_max = tau, tau_min = -tau have the ALD's q_+, q_-, F, G and update."""
    to_ald = {S.tau_max: S.tau, S.tau_min: -S.tau}
    for soft, ald in zip(SoftBoundsDevice.response_expressions(S.w), AsymmetricLinearDevice.response_expressions(S.w)):
        assert_identity(soft.subs(to_ald), ald, "soft-bounds response factor")
    assert_identity(
        SoftBoundsDevice.update_expression(S.w, S.dw).subs(to_ald),
        AsymmetricLinearDevice.update_expression(S.w, S.dw),
        "soft-bounds update",
    )
    # negative control: unequal bounds are not the ALD
    with pytest.raises(AssertionError, match="does not vanish"):
        lopsided = {S.tau_max: S.tau, S.tau_min: -2 * S.tau}
        assert_identity(
            SoftBoundsDevice.asymmetric_part_expression(S.w).subs(lopsided),
            AsymmetricLinearDevice.asymmetric_part_expression(S.w),
            "tau_min = -2 tau",
        )


def test_soft_bounds_parts_are_eqs_21_to_23():
    """C6: soft-bounds q_+-, F and G equal the paper's typed (21), (22), and (23) up to the paper's sign slip.

    (23) as printed, G = -1/2 (1/tau_max - 1/tau_min)(w - w_sp), is -G: from (21) and G = (q_- - q_+)/2,
    G = +1/2 (1/tau_max - 1/tau_min)(w - w_sp), which is increasing (tau_min < 0 < tau_max) and is the ALD's
    (w - w_sp)/tau at tau_max = -tau_min = tau, whereas the printed sign gives -(w - w_sp)/tau there.
    """
    x = S.w - S.w_sp
    q_plus, q_minus = SoftBoundsDevice.response_expressions(S.w)
    assert_identity(q_plus, 1 - x / S.tau_max, "(21) q_+")
    assert_identity(q_minus, 1 - x / S.tau_min, "(21) q_-")
    assert_identity(
        SoftBoundsDevice.symmetric_part_expression(S.w),
        1 - sp.Rational(1, 2) * (1 / S.tau_max + 1 / S.tau_min) * x,
        "(22) F",
    )
    G = SoftBoundsDevice.asymmetric_part_expression(S.w)
    printed_23 = -sp.Rational(1, 2) * (1 / S.tau_max - 1 / S.tau_min) * x
    assert_identity(G, -printed_23, "(23) G with the sign of G = (q_- - q_+)/2")
    assert_identity(printed_23.subs({S.tau_max: S.tau, S.tau_min: -S.tau}), -x / S.tau, "printed (23) at the ALD")


def test_power_step_response_is_eq_24():
    """C6: power-step q_+ = ((tau_max - w)/(tau_max - tau_min))^gamma_+, q_- = ((w - tau_min)/(...))^gamma_-."""
    q_plus, q_minus = PowerStepDevice.response_expressions(S.w)
    assert_identity(q_plus, ((S.tau_max - S.w) / (S.tau_max - S.tau_min)) ** S.gamma_plus, "(24) q_+")
    assert_identity(q_minus, ((S.w - S.tau_min) / (S.tau_max - S.tau_min)) ** S.gamma_minus, "(24) q_-")


def test_exponential_step_response_is_eqs_25_26():
    """C6: exponential-step q_+ = 1 - exp(-gamma_+ (tau_max - w)/(tau_max - tau_min)), q_- likewise (25)-(26)."""
    q_plus, q_minus = ExponentialStepDevice.response_expressions(S.w)
    width = S.tau_max - S.tau_min
    assert_identity(q_plus, 1 - sp.exp(-S.gamma_plus * (S.tau_max - S.w) / width), "(25) q_+")
    assert_identity(q_minus, 1 - sp.exp(-S.gamma_minus * (S.w - S.tau_min) / width), "(26) q_-")


# =================================================================================================
# 2. Numeric twins against an mpmath oracle at 50 digits
# =================================================================================================
@functools.cache
def _expression(cls, part):
    """The class's own (unexpanded) sympy expression for ``part``, in (w, dw, *parameters)."""
    if part == "q_plus":
        return cls.response_expressions(S.w)[0]
    if part == "q_minus":
        return cls.response_expressions(S.w)[1]
    if part == "F":
        return cls.symmetric_part_expression(S.w)
    if part == "G":
        return cls.asymmetric_part_expression(S.w)
    return cls.update_expression(S.w, S.dw)


@functools.cache
def _oracle(cls, part):
    """mpmath functions ``(w, dw, *parameters) ->`` the value of ``part`` and each of its top-level summands."""
    expr = _expression(cls, part)
    arguments = (S.w, S.dw, *cls.parameter_symbols.values())
    summands = expr.args if isinstance(expr, sp.Add) else (expr,)
    return (
        sp.lambdify(arguments, expr, modules="mpmath"),
        [sp.lambdify(arguments, term, modules="mpmath") for term in summands],
    )


def oracle_and_tolerance(dev, part, w, dw=0.0):
    """The exact value of ``part`` at the float64 inputs, and the error allowed to a float64 evaluation.

    Model (Higham, *Accuracy and Stability of Numerical Algorithms*, ch. 1-3): an evaluation built from
    correctly rounded operations returns the exact result for inputs perturbed by a few ulps, and its
    final sums err by a few ulps of the sum of the summands' magnitudes. So the allowed error is
    ``K * EPS * (sum |summands| + sum_i |f(x_i (1 +- EPS)) - f(x)| / EPS)``, the second term being the
    change of the exact function when input ``x_i`` (w, dw or a device constant) moves by one relative
    EPS (computed at 50 digits, from inside the domain where a side leaves it). K = 4: on every path
    from an input to the result the numeric code performs at most 8 rounded operations (e.g. the
    exponential step: tau_max - w, the product by gamma, the width, the quotient, exp, 1 - ..., then
    (q_- +- q_+)/2 and the update's three terms), each within u = EPS/2. On the grid below the errors
    reach at most ~0.2 of this tolerance; a formula error is O(1), far above it.
    """
    value, summands = _oracle(type(dev), part)
    args = [mpmath.mpf(w), mpmath.mpf(dw)] + [mpmath.mpf(getattr(dev, n)) for n in type(dev).parameter_symbols]
    with mpmath.workdps(ORACLE_DPS):
        exact = mpmath.mpf(value(*args))
        magnitude = sum(abs(mpmath.mpf(term(*args))) for term in summands)
        sensitivity = mpmath.mpf(0)
        for i, x in enumerate(args):
            changes = [mpmath.mpf(0)]
            for side in (1, -1):
                moved = list(args)
                moved[i] = x * (1 + side * mpmath.mpf(EPS))
                y = mpmath.mpmathify(value(*moved))
                if isinstance(y, mpmath.mpf):  # a power of a negative base leaves the real domain: skip that side
                    changes.append(abs(y - exact))
            sensitivity += max(changes)
        tolerance = 4 * (EPS * magnitude + sensitivity)
    return exact, tolerance


def _structured_grid(dev):
    """Weights at the range ends, the symmetric point, and log-spaced offsets 10^-k * width inward from each."""
    if not np.isfinite(dev.w_min):  # the ideal device has no range: a spread of magnitudes
        return [0.0, 1e-8, -1e-8, 1.0, -1.0, 3e5, -1e8], 1.0
    lo, hi, mid = dev.w_min, dev.w_max, dev.symmetric_point
    width = hi - lo
    offsets = [10.0**-k * width for k in (1, 3, 5, 7, 9, 11, 13, 15)]
    grid = [lo, hi, mid] + [x for h in offsets for x in (lo + h, hi - h, mid + h, mid - h)]
    return sorted({x for x in grid if lo <= x <= hi}), width


@pytest.mark.parametrize("name", DEVICES)
def test_numeric_twins_match_the_sympy_expressions(name):
    """C5/C6 numerics: q_+, q_-, F, G and update equal the class's sympy expressions at 50 digits."""
    dev = DEVICES[name]
    grid, width = _structured_grid(dev)
    steps = [0.0] + [side * h * width for side in (1, -1) for h in (1e-12, 1e-6, 0.3, 1.0)]
    failures = []
    for part in PARTS:
        for w, dw in itertools.product(grid, steps if part == "update" else [0.0]):
            got = float(dev.update(w, dw)) if part == "update" else float(getattr(dev, part)(w))
            exact, tolerance = oracle_and_tolerance(dev, part, w, dw)
            error = abs(mpmath.mpf(got) - exact)
            if not error <= tolerance:
                failures.append(
                    f"{part}(w={w!r}, dw={dw!r}) = {got!r}, exact {mpmath.nstr(exact, 20)}, "
                    f"error {mpmath.nstr(error, 3)} > tolerance {mpmath.nstr(tolerance, 3)}"
                )
    assert not failures, f"{dev}: {len(failures)} point(s) off the oracle:\n" + "\n".join(failures)


def test_oracle_tolerance_negative_control():
    """The twin comparison rejects a value one part in 10^10 off (a wrong constant, not rounding)."""
    dev = DEVICES["exp-gammas"]
    exact, tolerance = oracle_and_tolerance(dev, "q_plus", 1.0)
    assert abs(mpmath.mpf(float(dev.q_plus(1.0))) - exact) <= tolerance
    assert abs(exact * (1 + mpmath.mpf(1e-10)) - exact) > tolerance


def test_numeric_twins_are_vectorised():
    """The numeric parts accept arrays and broadcast (w, dw), matching the scalar calls element by element."""
    dev = DEVICES["exp-gammas"]
    w = np.linspace(dev.w_min, dev.w_max, 7)
    # numpy may run array and scalar exp through different SIMD kernels (each within 1 ulp); the parts are
    # <= 1 in size and update adds w, so the two agree to a few ulps of 1 + |w|
    atol = 4 * EPS * (1 + np.abs(w).max())
    for part in ("q_plus", "q_minus", "F", "G"):
        np.testing.assert_allclose(getattr(dev, part)(w), [float(getattr(dev, part)(x)) for x in w], rtol=0, atol=atol)
    np.testing.assert_allclose(dev.update(w, 0.5), [float(dev.update(x, 0.5)) for x in w], rtol=0, atol=atol)
    np.testing.assert_allclose(
        dev.update(w[:, None], [-0.5, 0.5]),
        [[float(dev.update(x, d)) for d in (-0.5, 0.5)] for x in w],
        rtol=0,
        atol=atol,
    )
    assert DEVICES["ald"].F(w.reshape(7, 1)).shape == (7, 1)  # F = 1 is a constant, broadcast to w's shape


# =================================================================================================
# 3. Metamorphic: the fast in-place apply_update equals the generic one and update()
# =================================================================================================
FAST_PATHS = {
    "ideal": IdealDevice(),
    "ald": AsymmetricLinearDevice(tau=1.5),
    "ald-wsp": AsymmetricLinearDevice(tau=0.7, w_sp=-0.3),
}


def _random_state(dev, seed, shape=(37, 11)):
    """W spread over (and slightly beyond) the range; dW of signed log-uniform sizes with some exact zeros."""
    rng = np.random.default_rng(seed)
    centre, radius = (dev.symmetric_point, dev.tau) if isinstance(dev, AsymmetricLinearDevice) else (0.0, 3.0)
    W = centre + radius * rng.uniform(-1.2, 1.2, shape)
    dW = rng.choice([-1.0, 1.0], shape) * radius * 10.0 ** rng.uniform(-8, 0.5, shape)
    dW[rng.random(shape) < 0.05] = 0.0
    return W, dW


def ald_path_tolerance(dev, W, dW):
    """Allowed difference between two float64 evaluations of the ALD update w + dw - |dw| (w - w_sp)/tau.

    Each path (fast, generic, update) uses at most 5 rounded operations, each erring by u = EPS/2 of a
    quantity bounded by scale = |w| + |dw| + |dw| (|w| + |w_sp|)/tau; so each is within 2.5 EPS * scale
    of the exact value, and two paths differ by at most 5 EPS * scale.
    """
    return 5 * EPS * (np.abs(W) + np.abs(dW) + np.abs(dW) * (np.abs(W) + abs(dev.w_sp)) / dev.tau)


@pytest.mark.parametrize("orders", [("C", "C"), ("F", "F"), ("C", "F")], ids="W{0[0]}-dW{0[1]}".format)
@pytest.mark.parametrize("name", FAST_PATHS)
def test_fast_apply_update_equals_generic_and_update(name, orders):
    """C6 implementation: the overriding apply_update == Device.apply_update == update, any memory layout."""
    dev = FAST_PATHS[name]
    W, dW = _random_state(dev, seed=zlib.crc32(name.encode()))
    expected = dev.update(W, dW)

    def run(apply):
        W_, dW_ = np.array(W, order=orders[0]), np.array(dW, order=orders[1])
        apply(W_, dW_, np.empty_like(W_))
        return W_

    fast = run(dev.apply_update)
    generic = run(lambda *a: Device.apply_update(dev, *a))
    if isinstance(dev, IdealDevice):  # all three compute w + dw with one rounding: bitwise equal
        np.testing.assert_array_equal(fast, expected)
        np.testing.assert_array_equal(generic, expected)
        return
    tolerance = ald_path_tolerance(dev, W, dW)
    for label, got in (("fast vs update", fast - expected), ("generic vs update", generic - expected)):
        excess = np.abs(got) / tolerance
        assert excess.max() <= 1, f"{label}: worst |difference| is {excess.max():.3g} x its tolerance"
    # negative control: the same tolerance sees a device with the wrong tau
    wrong = AsymmetricLinearDevice(tau=dev.tau * (1 + 1e-9), w_sp=dev.w_sp).update(W, dW)
    assert (np.abs(wrong - expected) > tolerance).any()


def test_fast_apply_update_works_in_place_on_views():
    """apply_update writes through to the caller's array, also for a strided (non-contiguous) view."""
    dev = FAST_PATHS["ald-wsp"]
    base, dbase = _random_state(dev, seed=3, shape=(8, 6))
    W, dW = base.copy(), dbase.copy()
    expected = dev.update(base[:, ::2], dbase[:, ::2])
    dev.apply_update(W[:, ::2], dW[:, ::2], np.empty((8, 3)))
    assert (np.abs(W[:, ::2] - expected) <= ald_path_tolerance(dev, base[:, ::2], dbase[:, ::2])).all()
    np.testing.assert_array_equal(W[:, 1::2], base[:, 1::2])  # the other columns are untouched


# =================================================================================================
# 4. Lemma 1: saturation and fast reset (C7)
# =================================================================================================
x_pos = sp.Symbol("x", positive=True)  #: |w - w_sp| > 0
s_nonneg = sp.Symbol("s", nonnegative=True)


@pytest.mark.parametrize("side", [1, -1], ids=["w>w_sp", "w<w_sp"])
def test_lemma1_saturation_and_fast_reset(side):
    """C7: |U(w, dw) - w| = |1 - |w - w_sp|/tau| |dw| when sign(dw) = sign(w - w_sp), and
    |1 + |w - w_sp|/tau| |dw| when sign(dw) = -sign(w - w_sp) (w_sp general)."""
    ald = AsymmetricLinearDevice
    w = S.w_sp + side * x_pos
    for dw, factor, case in (
        (side * d_pos, ald.saturation_factor_expression(w), "saturation"),
        (-side * d_pos, ald.fast_reset_factor_expression(w), "fast reset"),
    ):
        step = sp.Abs(ald.update_expression(w, dw) - w)
        assert_identity(step, factor * sp.Abs(dw), case)
    # inside the range |w - w_sp| = tau / (1 + s) <= tau the saturation factor is 1 - |w - w_sp|/tau, in [0, 1)
    inside = ald.saturation_factor_expression(S.w_sp + side * S.tau / (1 + s_nonneg))
    # together() inside the Abs lets sympy see 1 - 1/(1 + s) = s/(1 + s) >= 0 and drop the Abs
    assert_identity(
        inside.replace(sp.Abs, lambda a: sp.Abs(sp.together(a))),
        s_nonneg / (1 + s_nonneg),
        "saturation factor inside the range",
    )


def test_lemma1_paper_sign_condition_needs_w_sp_zero():
    """C7 caveat: the paper's condition sign(dw) = sign(w_k) ignores w_sp. With w_sp = 1/2, w = 1/5, tau = 1,
    dw = 1/10 > 0 (sign(dw) = sign(w)), the step is the fast-reset 13/100, not the saturation 7/100."""
    ald = AsymmetricLinearDevice
    values = {S.w_sp: sp.Rational(1, 2), S.tau: 1}
    w, dw = sp.Rational(1, 5), sp.Rational(1, 10)
    step = sp.Abs(ald.update_expression(w, dw) - w).subs(values)
    assert step == sp.Rational(13, 100)
    assert step != (ald.saturation_factor_expression(w) * abs(dw)).subs(values) == sp.Rational(7, 100)
    assert step == (ald.fast_reset_factor_expression(w) * abs(dw)).subs(values)
    # the numeric device agrees: 0.2 + 0.1 - 0.1 (0.2 - 0.5) = 0.33 (decimal inputs each within u of their
    # value, 4 rounded operations on terms <= 0.33: a few EPS relative)
    assert float(AsymmetricLinearDevice(tau=1.0, w_sp=0.5).update(0.2, 0.1)) == pytest.approx(0.33, rel=4 * EPS)


# =================================================================================================
# 5. Theorem 1: bounded weight (C8)
# =================================================================================================
@st.composite
def ald_runs(draw, max_step):
    """(device, W_0, [dW_1, ...]) with |W_0 - w_sp| <= tau coordinatewise and |dW_k| <= max_step * tau."""
    tau = draw(st.floats(1e-3, 1e3))
    w_sp = draw(st.one_of(st.just(0.0), st.floats(-10.0, 10.0)))
    dim = draw(st.integers(1, 5))
    unit = st.floats(-1.0, 1.0)
    W0 = w_sp + tau * np.array(draw(st.lists(unit, min_size=dim, max_size=dim)))
    # w_sp + tau u can round past the bound: step such coordinates back by one ulp toward w_sp until inside
    while (outside := np.abs(W0 - w_sp) > tau).any():
        W0[outside] = np.nextafter(W0[outside], w_sp)
    steps = draw(
        st.lists(st.lists(st.floats(-max_step, max_step), min_size=dim, max_size=dim), min_size=1, max_size=12)
    )
    return AsymmetricLinearDevice(tau=tau, w_sp=w_sp), W0, [tau * np.array(v) for v in steps]


def bound_excess(dev, W0, dWs):
    """Largest (|W_k - w_sp| - tau) / slack over the iterates of apply_update and of update (<= 1: bounded).

    Slack 4 EPS (|w_sp| + tau): the proof (52) shows the exact map sends an excess delta over the bound to
    at most delta (1 - |dw|/tau), so rounding errors do not pile up; the computed increment errs by at
    most ~2 EPS |dw| (|w - w_sp|/tau + 1), whose balance against that contraction keeps the excess below
    2 EPS tau; the final sum W + increment and the check's own subtraction W - w_sp add an ulp of
    |w_sp| + tau each. (A random adversarial search over 600,000 steps reached 1.7 EPS (|w_sp| + tau).)
    """
    slack = 4 * EPS * (abs(dev.w_sp) + dev.tau)
    W_fast, W_update, worst = W0.copy(), W0.copy(), -np.inf
    for dW in dWs:
        dev.apply_update(W_fast, dW.copy(), np.empty_like(W_fast))
        W_update = dev.update(W_update, dW)
        for W in (W_fast, W_update):
            worst = max(worst, float(np.max(np.abs(W - dev.w_sp) - dev.tau)) / slack)
    return worst


@given(ald_runs(max_step=1.0))
def test_theorem1_bounded_weight(run):
    """C8: ||W_0 - w_sp||_inf <= tau and ||dW_k||_inf <= tau for all k give ||W_k - w_sp||_inf <= tau."""
    dev, W0, dWs = run
    assume(all((np.abs(dW) <= dev.tau).all() for dW in dWs))
    assert bound_excess(dev, W0, dWs) <= 1


def test_theorem1_fails_without_its_step_hypothesis():
    """C8 negative control: allowing |dW| up to 3 tau, a search finds a sequence that leaves the range."""
    counterexample = hypothesis.find(
        ald_runs(max_step=3.0),
        lambda run: bound_excess(*run) > 1,
        settings=hypothesis.settings(database=None, derandomize=True, max_examples=500),
    )
    dev, _, dWs = counterexample
    assert any((np.abs(dW) > dev.tau).any() for dW in dWs)


# =================================================================================================
# 6. The symmetric point
# =================================================================================================
def _root_tolerance(dev, x):
    """Allowed |G(x)| at a computed root x of G: brentq stops within xtol + rtol |x| (1e-15 + 4 EPS |x|) of a
    sign change of the float64 G, and the float64 G is within its twin tolerance of the exact one."""
    exact, tolerance = oracle_and_tolerance(dev, "G", x)
    with mpmath.workdps(ORACLE_DPS):
        slope = abs(
            mpmath.diff(
                lambda y: _oracle(type(dev), "G")[0](
                    y, 0, *[mpmath.mpf(getattr(dev, n)) for n in type(dev).parameter_symbols]
                ),
                mpmath.mpf(x),
            )
        )
    return exact, slope * (1e-15 + 4 * EPS * abs(x)) + tolerance


@pytest.mark.parametrize("name", DEVICES)
def test_asymmetric_part_vanishes_at_the_symmetric_point(name):
    """G(symmetric_point) == 0 (exact G at 50 digits, within the root-finding tolerance); the point is in range."""
    dev = DEVICES[name]
    x = dev.symmetric_point
    assert dev.w_min <= x <= dev.w_max
    exact, tolerance = _root_tolerance(dev, x)
    assert abs(exact) <= tolerance, f"G({x!r}) = {mpmath.nstr(exact, 5)}, tolerance {mpmath.nstr(tolerance, 3)}"
    assert float(dev.G(x)) == pytest.approx(0.0, abs=float(tolerance))


@pytest.mark.parametrize("name", ["ald", "ald-wsp", "ald-small-tau", "soft", "soft-wsp"])
def test_linear_devices_are_normalised_at_the_symmetric_point(name):
    """ALD and soft bounds: symmetric_point is w_sp, F(w_sp) = 1 and q_+(w_sp) = q_-(w_sp) = 1."""
    dev = DEVICES[name]
    assert dev.symmetric_point == dev.w_sp
    # at w_sp the terms (w - w_sp)/tau cancel in exact arithmetic; however the code groups them, at most
    # 4 roundings (u = EPS/2 each) of terms of size <= 1 + |w_sp|/min|tau| remain
    tol = 2 * EPS * (1 + abs(dev.w_sp) / min(abs(v) for n, v in dev.substitutions.items() if n != S.w_sp))
    for part in ("F", "q_plus", "q_minus"):
        assert float(getattr(dev, part)(dev.w_sp)) == pytest.approx(1.0, abs=tol), part


@pytest.mark.parametrize(
    "tau_max, tau_min, gamma", [(4.0, -4.0, 1.0), (3.0, -1.0, 0.5), (10.0, 0.25, 2.7), (-1.0, -5.0, 1.3)]
)
def test_power_step_with_equal_gammas_is_symmetric_at_the_midpoint(tau_max, tau_min, gamma):
    """Power step with gamma_+ = gamma_-: q_+ = q_- exactly where (tau_max - w) = (w - tau_min), the midpoint."""
    dev = PowerStepDevice(tau_max, tau_min, gamma, gamma)
    mid = (tau_max + tau_min) / 2  # exact: a sum of two floats halved, here representable
    x = dev.symmetric_point
    _, tolerance = _root_tolerance(dev, mid)
    with mpmath.workdps(ORACLE_DPS):  # turn the tolerance on G into one on w through the slope at mid
        slope = mpmath.mpf(gamma) * mpmath.mpf(0.5) ** (gamma - 1) / mpmath.mpf(tau_max - tau_min)
    assert abs(x - mid) <= tolerance / slope, f"symmetric point {x!r} vs midpoint {mid!r}"
    # and not at the midpoint once the gammas differ (negative control)
    lopsided = PowerStepDevice(tau_max, tau_min, gamma, 2 * gamma)
    assert abs(lopsided.symmetric_point - mid) > 1e-3 * (tau_max - tau_min)


# =================================================================================================
# 7. Saturation degree
# =================================================================================================
def test_ald_saturation_degree_by_hand():
    """ALD: ||W - w_sp||_inf / tau per chain, from each chain's largest and smallest weight."""
    ald = AsymmetricLinearDevice(tau=2.0)
    np.testing.assert_array_equal(
        ald.saturation_degree(np.array([1.0, 0.5, -0.25]), np.array([-0.5, -1.5, -1.0])), [0.5, 0.75, 0.5]
    )
    shifted = AsymmetricLinearDevice(tau=2.0, w_sp=1.0)  # distances 1 above and 0.5 below w_sp -> 1/2
    np.testing.assert_array_equal(shifted.saturation_degree(np.array([2.0, 1.25]), np.array([0.5, -1.0])), [0.5, 1.0])


def test_soft_bounds_saturation_degree_by_hand():
    """Soft bounds: the largest distance from w_sp as a fraction of the bound on its side."""
    soft = SoftBoundsDevice(tau_max=2.0, tau_min=-4.0, w_sp=1.0)
    # chain 1: up 1 of 2, down 2 of 4 -> 0.5;  chain 2: up 2 of 2 -> 1;  chain 3: all below w_sp, down 3 of 4
    np.testing.assert_array_equal(
        soft.saturation_degree(np.array([2.0, 3.0, 0.0]), np.array([-1.0, 0.0, -2.0])), [0.5, 1.0, 0.75]
    )
    # with tau_max = tau, tau_min = -tau it is the ALD's
    row_max, row_min = np.array([0.3, 2.0]), np.array([-1.9, 1.0])
    np.testing.assert_array_equal(
        SoftBoundsDevice(2.0, -2.0, 0.5).saturation_degree(row_max, row_min),
        AsymmetricLinearDevice(2.0, 0.5).saturation_degree(row_max, row_min),
    )


@pytest.mark.parametrize("name", DEVICES)
def test_saturation_degree_defined_only_for_linear_devices(name):
    """defines_saturation is True exactly for ALD and soft bounds; the others raise a TypeError (issue 15:
    only ValueError or TypeError leave a public method) naming the device class."""
    dev = DEVICES[name]
    assert dev.defines_saturation == isinstance(dev, (AsymmetricLinearDevice, SoftBoundsDevice))
    if not dev.defines_saturation:
        with pytest.raises(TypeError, match=type(dev).__name__):
            dev.saturation_degree(np.array([0.5]), np.array([-0.5]))


# =================================================================================================
# 8. Validation
# =================================================================================================
NOT_REAL = [0.0, -1.0, float("nan"), float("inf"), True, "1.0", None, 1 + 0j, 10**400]

BAD_ARGUMENTS = (
    [(AsymmetricLinearDevice, dict(tau=v), "^tau must be a finite real number > 0") for v in NOT_REAL]
    + [
        (AsymmetricLinearDevice, dict(tau=1.0, w_sp=v), "^w_sp must be a finite real number")
        for v in (float("nan"), float("-inf"), False, "0")
    ]
    + [(SoftBoundsDevice, dict(tau_max=v, tau_min=-1.0), "^tau_max must be a finite real number > 0") for v in NOT_REAL]
    + [
        (SoftBoundsDevice, dict(tau_max=1.0, tau_min=v), "^tau_min must be .*< 0.*symmetric point")
        for v in (0.0, 0.5, 2.0, float("nan"), float("-inf"), True)
    ]
    + [
        (
            SoftBoundsDevice,
            dict(tau_max=1.0, tau_min=-1.0, w_sp=float("nan")),
            "^w_sp must",
        )
    ]
    + [
        (cls, kwargs, match)
        for cls in (PowerStepDevice, ExponentialStepDevice)
        for kwargs, match in [
            (dict(tau_max=1.0, tau_min=1.0), "^tau_min must be a finite real number < 1"),
            (dict(tau_max=1.0, tau_min=2.0), "^tau_min must be a finite real number < 1"),
            (dict(tau_max=-1.0, tau_min=-0.5), "^tau_min must be a finite real number < -1"),
            (dict(tau_max=1.0, tau_min=float("nan")), "^tau_min must"),
            (dict(tau_max=float("inf"), tau_min=0.0), "^tau_max must be a finite real number"),
            (dict(tau_max="1", tau_min=0.0), "^tau_max must"),
            (dict(tau_max=1.0, tau_min=0.0, gamma_plus=0.0), "^gamma_plus must be a finite real number > 0"),
            (dict(tau_max=1.0, tau_min=0.0, gamma_plus=-2.0), "^gamma_plus must be a finite real number > 0"),
            (dict(tau_max=1.0, tau_min=0.0, gamma_minus=0.0), "^gamma_minus must be a finite real number > 0"),
            (dict(tau_max=1.0, tau_min=0.0, gamma_minus=float("nan")), "^gamma_minus must"),
            (dict(tau_max=1.0, tau_min=0.0, gamma_plus=True), "^gamma_plus must"),
        ]
    ]
)


def _case_id(cls, kwargs):
    shown = ",".join(f"{k}={v!r}" if len(repr(v)) <= 12 else f"{k}={type(v).__name__}..." for k, v in kwargs.items())
    return f"{cls.__name__}({shown})"


@pytest.mark.parametrize("cls, kwargs, match", BAD_ARGUMENTS, ids=[_case_id(c, k) for c, k, _ in BAD_ARGUMENTS])
def test_constructors_reject_bad_values_naming_the_parameter(cls, kwargs, match):
    """Each constructor raises ValueError at once, with a message naming the parameter and its range."""
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


def test_constructors_accept_and_normalise_good_values():
    """Positive control: valid ints and numpy scalars are accepted and stored as Python floats."""
    dev = AsymmetricLinearDevice(tau=np.float32(2.0), w_sp=-1)
    assert (dev.tau, dev.w_sp) == (2.0, -1.0) and type(dev.tau) is float and type(dev.w_sp) is float
    soft = SoftBoundsDevice(tau_max=1, tau_min=np.int64(-3))
    assert (soft.tau_max, soft.tau_min, soft.w_sp) == (1.0, -3.0, 0.0) and type(soft.tau_min) is float
    for cls in (PowerStepDevice, ExponentialStepDevice):
        step = cls(tau_max=5, tau_min=4.5, gamma_plus=np.float64(0.1), gamma_minus=3)
        assert (step.tau_max, step.tau_min, step.gamma_plus, step.gamma_minus) == (5.0, 4.5, 0.1, 3.0)
    tiny = float(np.finfo(np.float64).tiny)
    assert AsymmetricLinearDevice(tau=tiny).tau == tiny  # the smallest normal positive float is accepted


# =================================================================================================
# 9. Regressions: ranges far from the origin and the response factors at the bounds
# =================================================================================================
def test_exponential_step_twins_finite_on_a_range_away_from_zero():
    """Eqs. (25)-(26) on a range far from the origin give finite, exact factors.

    Regression: an earlier ``_lambdified`` ran ``sp.expand`` on the expressions, which split
    exp(-g (tau_max - w)/width) into exp(-g tau_max/width) * exp(g w/width); with tau_max = 1000,
    tau_min = 999 that is exp(-1000) * exp(999.5) = 0 * inf = nan (RuntimeWarning: overflow).
    """
    dev = ExponentialStepDevice(tau_max=1000.0, tau_min=999.0)
    got = [float(dev.q_plus(999.5)), float(dev.q_minus(999.5))]
    # tolerance: (1000 - 999.5)/1 = 0.5 is exact, so 1 - exp(-0.5) is exp (<= 1 ulp) and one subtraction
    np.testing.assert_allclose(got, [1 - np.exp(-0.5)] * 2, rtol=4 * EPS)


@pytest.mark.parametrize("cls", [PowerStepDevice, ExponentialStepDevice])
def test_response_factors_vanish_not_negative_at_the_bounds(cls):
    """q_+(tau_max) and q_-(tau_min) are exactly 0 (eqs. 24-26) and the response factors are never negative.

    Regression: with the expanded exponentials, ExponentialStepDevice(1.0, -4.0, gamma_plus=0.7).q_plus(1.0)
    was exp(-0.14) * exp(0.14) rounded to 1 + 2.2e-16, i.e. q_+ = -2.2e-16 < 0 at its own bound.
    """
    dev = cls(tau_max=1.0, tau_min=-4.0, gamma_plus=0.7)
    w = np.linspace(dev.w_min, dev.w_max, 101)
    assert (dev.q_plus(w) >= 0).all() and (dev.q_minus(w) >= 0).all()
    assert float(dev.q_plus(dev.tau_max)) == 0.0 and float(dev.q_minus(dev.tau_min)) == 0.0


# =================================================================================================
# 10. Issue 15: bad input is refused by name; nothing non-finite comes back; the engine path is unchecked
# =================================================================================================
def test_issue15_q_plus_of_none_is_refused_by_name():
    """Reproducer: ``AsymmetricLinearDevice(1.0).q_plus(None)`` was nan (np.asarray(None, float64))."""
    dev = AsymmetricLinearDevice(1.0)
    for bad in (None, "0.3", [0.1, "x"], [[0.1], [0.2, 0.3]], 1 + 2j, True):
        with pytest.raises(ValueError, match="^w must be an array of finite real numbers"):
            dev.q_plus(bad)
    for method in (dev.q_minus, dev.F, dev.G):
        with pytest.raises(ValueError, match="^w must contain only finite values"):
            method([0.0, float("nan")])
    with pytest.raises(ValueError, match="^dw must"):
        dev.update(0.5, None)


def test_issue15_subnormal_tau_is_refused():
    """Reproducer: ``AsymmetricLinearDevice(tau=1e-320)`` was accepted and q_plus(0.3) gave -inf."""
    with pytest.raises(ValueError, match=r"^tau must be 0 or of magnitude >= 2\.23e-308 \(a normal float64\)"):
        AsymmetricLinearDevice(tau=1e-320)
    with pytest.raises(ValueError, match="^tau_max must be 0 or of magnitude"):
        SoftBoundsDevice(tau_max=5e-324, tau_min=-1.0)


def test_issue15_results_beyond_float64_are_refused_naming_the_input():
    """A factor or update that overflows (or is undefined) raises a ValueError naming w (and dw), never inf/NaN."""
    with pytest.raises(ValueError, match=r"q_plus\(w\) is beyond float64 at w=10000000000\.0"):
        AsymmetricLinearDevice(tau=1e-300).q_plus([0.0, 1e10])
    with pytest.raises(ValueError, match=r"update\(w, dw\) is beyond float64 at w=-0\.5, dw=1e\+308"):
        AsymmetricLinearDevice(tau=0.5).update(-0.5, [0.0, 1e308])  # -0.5 + 1e308 (1 + 1)
    with pytest.raises(ValueError, match=r"PowerStepDevice\(.*\)\.q_plus\(w\) is undefined at w=2\.0"):
        PowerStepDevice(tau_max=1.0, tau_min=-1.0, gamma_plus=0.5).q_plus(2.0)  # outside the range: (-0.5)**0.5
    with pytest.raises(ValueError, match="^w and dw must broadcast to one shape"):
        AsymmetricLinearDevice(1.0).update([0.1, 0.2], [0.1, 0.2, 0.3])


def test_issue15_device_ranges_beyond_float64_are_refused():
    with pytest.raises(ValueError, match=r"^tau and w_sp must keep the device range .* within float64"):
        AsymmetricLinearDevice(tau=1e308, w_sp=1e308)
    with pytest.raises(ValueError, match=r"^tau_max, tau_min and w_sp must keep the device range"):
        SoftBoundsDevice(tau_max=1e308, tau_min=-1.0, w_sp=1e308)
    with pytest.raises(ValueError, match=r"^tau_max and tau_min must span a width .* normal float64"):
        PowerStepDevice(tau_max=1e308, tau_min=-1e308)
    with pytest.raises(ValueError, match=r"^tau_min must be a finite real number < -1, got -1\.0 \(the range"):
        ExponentialStepDevice(tau_max=-1.0, tau_min=-1.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: AsymmetricLinearDevice.response_expressions("w"),
        lambda: SoftBoundsDevice.symmetric_part_expression([S.w]),
        lambda: PowerStepDevice.update_expression(S.w, None),
        lambda: AsymmetricLinearDevice.saturation_factor_expression(sp.Eq(S.w, 1)),
        lambda: IdealDevice.piecewise_update_expression(object(), S.dw),
    ],
)
def test_issue15_symbolic_methods_refuse_a_wrong_kind_of_argument(call):
    """Strings are not parsed (sympify would evaluate them); non-expressions are a TypeError naming the argument."""
    with pytest.raises(TypeError, match=r"^d?w must be a sympy expression \(sympy\.Expr\) or a real number"):
        call()


def test_issue15_symbolic_methods_refuse_non_finite_expressions():
    for bad in (sp.nan, sp.oo, S.w + sp.zoo, float("nan"), float("inf"), 1e-320):
        with pytest.raises(ValueError, match="^w must be"):
            AsymmetricLinearDevice.response_expressions(bad)
    q_plus, _ = AsymmetricLinearDevice.response_expressions(10**400)  # an exact integer is fine symbolically
    assert q_plus.subs({S.tau: 1, S.w_sp: 0}) == 1 - 10**400


def test_issue15_saturation_degree_is_checked_and_the_engine_path_is_not():
    """The public method refuses NaN by name; the engine's private path keeps a diverged chain's NaN."""
    dev = AsymmetricLinearDevice(tau=2.0)
    with pytest.raises(ValueError, match="^row_max must contain only finite values"):
        dev.saturation_degree([float("nan")], [0.0])
    with pytest.raises(ValueError, match="^row_max and row_min must broadcast"):
        dev.saturation_degree([1.0, 2.0], [0.0, 0.0, 0.0])
    got = dev._saturation_degree(np.array([np.nan, 1.0]), np.array([0.0, -1.5]))
    assert np.isnan(got[0]) and got[1] == 0.75


def test_issue15_public_and_engine_paths_agree():
    """The checked public methods return exactly what the unchecked engine path computes."""
    rng = np.random.default_rng(15)
    for dev in DEVICES.values():
        lo, hi = (dev.w_min, dev.w_max) if np.isfinite(dev.w_max) else (-3.0, 3.0)
        w = rng.uniform(lo, hi, size=(4, 5))
        dw = rng.normal(scale=0.1, size=(4, 5))
        for part in ("q_plus", "q_minus", "F", "G"):
            np.testing.assert_array_equal(getattr(dev, part)(w), dev._evaluate(part, w))
        np.testing.assert_array_equal(dev.update(w, dw), dev._update(w, dw))
        W, dW = w.copy(), dw.copy()
        dev.apply_update(W, dW, np.empty_like(W))
        np.testing.assert_allclose(W, dev.update(w, dw), rtol=0, atol=4 * EPS)
