"""Input validation of ``bounds.validation`` and the ``verify`` package.

The rule under test: every public constructor and function rejects bad input (tau <= 0, a
symmetric point outside the device range, step sizes <= 0 or not finite, W_0 outside the
device's bounded range, D < 1, R < 1, mismatched shapes, NaN or infinite values, wrong types)
with a ``ValueError`` whose message names the parameter (and, where there is one, the allowed
range). A run that produces a non-finite value stops with :class:`verify.sim.engine.NonFiniteError`
naming the step, never returning NaN silently. The command line exits with code 2 and a one-line
message on standard error that names the bad argument.

Each bad input is its own test id.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bounds import AsymmetricLinearDevice, IdealDevice, PowerStepDevice, SoftBoundsDevice
from bounds.validation import (
    SEED_LIMIT,
    describe_range,
    require_array,
    require_finite_value,
    require_instance,
    require_int,
    require_memory,
    require_real,
)
from verify import (
    STATISTICS,
    AnalogGD,
    AnalogSGD,
    DigitalSGD,
    GaussianNoise,
    NonFiniteError,
    QuadraticProblem,
    RademacherNoise,
    SimulationResult,
    TikiTaka,
    TwoPointNoise,
    least_squares,
    lower_bound_instance,
    mean_ci,
    scalar_quadratic,
    simulate,
)
from verify.claims.registry import (
    CLAIMS,
    PROFILES,
    Profile,
    claim,
    claim_seed,
    load_claims,
    run_checks,
    run_claim,
    tolerance_of,
)
from verify.experiments.settings import SETTINGS
from verify.reports.bench import run_benchmark
from verify.sim.dynamics import PulsedAnalogSGD
from verify.sim.pulses import PulseModel
from verify.sim.stats import Estimate, fit_polynomial, loglog_fit, ratio_of_independent_means, ratio_of_means

REPO = Path(__file__).resolve().parents[1]
NAN, INF = float("nan"), float("inf")

ALD = AsymmetricLinearDevice(tau=1.0)  # range [-1, 1]
SHIFTED = AsymmetricLinearDevice(tau=1.0, w_sp=0.5)  # range [-0.5, 1.5]
SOFT = SoftBoundsDevice(tau_max=1.0, tau_min=-2.0)  # range [-2, 1]
OFF_ZERO_ALD = AsymmetricLinearDevice(tau=1.0, w_sp=5.0)  # range [4, 6], excludes P_0 = 0
OFF_ZERO_POWER = PowerStepDevice(tau_max=3.0, tau_min=1.0)  # range [1, 3], excludes P_0 = 0


# =============================================================================================
# bounds.validation
# =============================================================================================


class TestRequireReal:
    @pytest.mark.parametrize(
        "value, kwargs, message",
        [
            pytest.param(
                -1.0,
                dict(low=0.0, low_open=True),
                "tau must be a finite real number > 0, got -1.0",
                id="negative-for-open-low",
            ),
            pytest.param(
                0.0,
                dict(low=0.0, low_open=True),
                "tau must be a finite real number > 0, got 0.0",
                id="zero-for-open-low",
            ),
            pytest.param(-0.5, dict(low=0.0), "tau must be a finite real number >= 0, got -0.5", id="below-closed-low"),
            pytest.param(
                1.0, dict(high=1.0, high_open=True), "tau must be a finite real number < 1, got 1.0", id="at-open-high"
            ),
            pytest.param(2, dict(high=1.0), "tau must be a finite real number <= 1, got 2", id="above-closed-high"),
            pytest.param(
                1.0,
                dict(low=0.0, high=1.0, low_open=True, high_open=True),
                "tau must be a finite real number in (0, 1), got 1.0",
                id="outside-open-interval",
            ),
            pytest.param(NAN, {}, "tau must be a finite real number, got nan", id="nan"),
            pytest.param(INF, {}, "tau must be a finite real number, got inf", id="inf"),
            pytest.param(-INF, {}, "tau must be a finite real number, got -inf", id="minus-inf"),
            pytest.param(np.float64(NAN), dict(low=0.0), "tau must be a finite real number >= 0", id="numpy-nan"),
            pytest.param(True, {}, "tau must be a finite real number, got True", id="bool"),
            pytest.param("1.0", {}, "tau must be a finite real number, got '1.0'", id="string"),
            pytest.param(None, {}, "tau must be a finite real number, got None", id="none"),
            pytest.param(1 + 0j, {}, "tau must be a finite real number, got (1+0j)", id="complex"),
            pytest.param([1.0], {}, "tau must be a finite real number, got [1.0]", id="list"),
            pytest.param(np.array([1.0]), {}, "tau must be a finite real number", id="numpy-array"),
            pytest.param(10**400, {}, "tau must be a finite real number", id="int-too-large-for-float"),
        ],
    )
    def test_rejects(self, value, kwargs, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            require_real("tau", value, **kwargs)

    @pytest.mark.parametrize("value", [0.5, 1, np.float32(0.25), np.int64(3), np.float64(1e-300)])
    def test_accepts_finite_reals_in_range(self, value):
        out = require_real("tau", value, low=0.0, low_open=True)
        assert type(out) is float and out == float(value)

    @pytest.mark.parametrize(
        "kwargs, text",
        [
            (dict(low=0, high=1), "in [0, 1]"),
            (dict(low=0, high=1, low_open=True), "in (0, 1]"),
            (dict(low=0, high=1, high_open=True), "in [0, 1)"),
            (dict(low=0, low_open=True), "> 0"),
            (dict(low=1), ">= 1"),
            (dict(high=0, high_open=True), "< 0"),
            (dict(high=0), "<= 0"),
            (dict(), ""),
        ],
    )
    def test_describe_range(self, kwargs, text):
        assert describe_range(**kwargs) == text


class TestRequireInt:
    @pytest.mark.parametrize(
        "value, kwargs, message",
        [
            pytest.param(0, dict(low=1), "D must be an integer >= 1, got 0", id="zero"),
            pytest.param(-3, dict(low=1), "D must be an integer >= 1, got -3", id="negative"),
            pytest.param(11, dict(low=0, high=10), "D must be an integer in [0, 10], got 11", id="above-high"),
            pytest.param(1.0, dict(low=1), "D must be an integer >= 1, got 1.0", id="float-integral"),
            pytest.param(1.5, dict(low=1), "D must be an integer >= 1, got 1.5", id="float"),
            pytest.param(NAN, dict(low=1), "D must be an integer >= 1, got nan", id="nan"),
            pytest.param(True, dict(low=1), "D must be an integer >= 1, got True", id="bool"),
            pytest.param("3", dict(low=1), "D must be an integer >= 1, got '3'", id="string"),
            pytest.param(None, dict(low=1), "D must be an integer >= 1, got None", id="none"),
            pytest.param(2**53 + 1, dict(low=1), "D must be an integer in [1, 2**53], got", id="above-int-limit"),
            pytest.param(10**400, dict(low=1), "got an integer with 401 digits", id="huge"),
            pytest.param(11, dict(high=10, reason="a cap"), "D must be an integer <= 10 (a cap), got 11", id="reason"),
        ],
    )
    def test_rejects(self, value, kwargs, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            require_int("D", value, **kwargs)

    @pytest.mark.parametrize("value", [1, np.int64(7), np.uint8(2), 2**53])
    def test_accepts_integers_in_range(self, value):
        out = require_int("D", value, low=1)
        assert type(out) is int and out == int(value)


class TestNumericPolicy:
    @pytest.mark.parametrize("value", [1e-320, -5e-324, 2.2e-308])
    def test_subnormal_reals_are_refused(self, value):
        with pytest.raises(ValueError, match=r"tau must be 0 or of magnitude >= 2\.23e-308"):
            require_real("tau", value)

    def test_zero_and_the_smallest_normal_are_accepted(self):
        assert require_real("w", 0.0) == 0.0 and require_real("w", 2.2250738585072014e-308) > 0

    def test_a_huge_integer_is_shown_by_its_length(self):
        with pytest.raises(ValueError, match="got an integer with 401 digits"):
            require_real("tau", 10**400)

    def test_seeds_may_use_128_bits(self):
        assert require_int("seed", 2**127, low=0, high=SEED_LIMIT) == 2**127

    def test_instance_check_is_a_type_error_naming_the_parameter(self):
        with pytest.raises(TypeError, match=r"law must be a int \(e\.g\. 3\), got None"):
            require_instance("law", None, int, "3")

    def test_memory_is_refused_before_allocating(self):
        with pytest.raises(ValueError, match=r"dim is too large: the Hessian would need 7.45e\+03 GiB"):
            require_memory("dim", 10**6 * 10**6 * 8, "the Hessian")

    @pytest.mark.parametrize(
        "value, named",
        [(math.inf, "sigma=1e+308"), (math.nan, "sigma=1e+308")],
    )
    def test_a_non_finite_closed_form_names_the_extreme_inputs(self, value, named):
        with pytest.raises(ValueError, match=re.escape(named)) as info:
            require_finite_value("p_max_sq", value, L=1.0, sigma=1e308)
        assert "L=1.0" not in str(info.value)

    def test_a_non_finite_value_at_moderate_inputs_names_them_all(self):
        with pytest.raises(ValueError, match=r"at L=1.0, sigma=2.0"):
            require_finite_value("x", math.inf, L=1.0, sigma=2.0)

    def test_a_finite_value_passes(self):
        assert require_finite_value("x", 2, L=1.0) == 2.0


class TestRequireArray:
    @pytest.mark.parametrize(
        "value, kwargs, pattern",
        [
            pytest.param([[1.0, 2.0], [3.0]], {}, r"w0 must be an array of finite real numbers", id="ragged"),
            pytest.param("abc", {}, r"w0 must be an array of finite real numbers", id="non-numeric-string"),
            pytest.param(object(), {}, r"w0 must be an array of finite real numbers", id="object"),
            pytest.param({1.0, 2.0}, {}, r"w0 must be an array of finite real numbers", id="set"),
            pytest.param(
                [1.0, 2.0], dict(shape=(3,)), r"w0 must have shape \(3,?\), got shape \(2,\)", id="wrong-length"
            ),
            pytest.param(
                [[1.0, 2.0]], dict(shape=(2,)), r"w0 must have shape \(2,?\), got shape \(1, 2\)", id="wrong-ndim-shape"
            ),
            pytest.param(
                [[1.0, 2.0]],
                dict(shape=(None, 3)),
                r"w0 must have shape \(any, 3\), got shape \(1, 2\)",
                id="wrong-free-axis-shape",
            ),
            pytest.param([1.0], dict(ndim=2), r"w0 must have 2 dimension\(s\), got shape \(1,\)", id="wrong-ndim"),
            pytest.param([1.0, NAN], {}, r"w0 must contain only finite values", id="nan"),
            pytest.param([INF], {}, r"w0 must contain only finite values", id="inf"),
            pytest.param([[-INF]], {}, r"w0 must contain only finite values", id="minus-inf-2d"),
            pytest.param(None, {}, r"w0 must be an array of finite real numbers, got None", id="none"),
            pytest.param(
                [0.5, -0.1], dict(low=0.0), r"w0 must have every entry >= 0, got (np\.float64\()?-0\.1", id="below-low"
            ),
            pytest.param(
                [0.0],
                dict(low=0.0, low_open=True),
                r"w0 must have every entry > 0, got (np\.float64\()?0\.0",
                id="at-open-low",
            ),
            pytest.param(
                [2.0],
                dict(low=-1.0, high=1.0),
                r"w0 must have every entry in \[-1, 1\], got (np\.float64\()?2\.0",
                id="above-high",
            ),
            pytest.param([10**400], {}, r"w0 must be an array of finite real numbers", id="int-too-large-for-float"),
            pytest.param(np.array([1 + 1j]), {}, r"w0", id="complex-array"),
            pytest.param(["0.5", "1"], {}, r"w0", id="numeric-strings"),
            pytest.param([True, False], {}, r"w0", id="booleans"),
        ],
    )
    def test_rejects(self, value, kwargs, pattern):
        with pytest.raises(ValueError, match=pattern):
            require_array("w0", value, **kwargs)

    def test_result_is_read_only_float_copy(self):
        source = [1, 2, 3]
        out = require_array("w0", source, shape=(3,), low=0.0)
        assert out.dtype == np.float64 and not out.flags.writeable
        with pytest.raises(ValueError):
            out[0] = 5.0

    def test_empty_array_is_not_range_checked(self):
        assert require_array("w0", [], low=1.0).shape == (0,)


# =============================================================================================
# verify.sim.problems
# =============================================================================================


class TestQuadraticProblem:
    @pytest.mark.parametrize(
        "hessian, w_star, w0, pattern",
        [
            pytest.param([[1.0, 0.0]], [0.0], [0.0], r"hessian must be a square", id="non-square-1x2"),
            pytest.param(np.eye(3)[:2], [0.0, 0.0], [0.0, 0.0], r"hessian must be a square", id="non-square-2x3"),
            pytest.param(
                np.zeros((0, 0)), [], [], r"hessian must be a square \(D, D\) matrix with D >= 1", id="empty-0x0"
            ),
            pytest.param([1.0], [0.0], [0.0], r"hessian must have 2 dimension", id="vector"),
            pytest.param(1.0, [0.0], [0.0], r"hessian must have 2 dimension", id="scalar"),
            pytest.param(np.ones((1, 1, 1)), [0.0], [0.0], r"hessian must have 2 dimension", id="3d"),
            pytest.param(
                [[1.0, 1.0], [0.0, 1.0]], [0.0, 0.0], [0.0, 0.0], r"hessian must be symmetric", id="non-symmetric"
            ),
            pytest.param(
                [[-1.0, 0.0], [0.0, 1.0]],
                [0.0, 0.0],
                [0.0, 0.0],
                r"hessian must be positive semidefinite, got smallest eigenvalue -1",
                id="negative-diagonal",
            ),
            pytest.param(
                [[1.0, 2.0], [2.0, 1.0]],
                [0.0, 0.0],
                [0.0, 0.0],
                r"hessian must be positive semidefinite",
                id="indefinite",
            ),
            pytest.param([[NAN]], [0.0], [0.0], r"hessian must contain only finite values", id="hessian-nan"),
            pytest.param(
                [[1.0, INF], [INF, 1.0]],
                [0.0, 0.0],
                [0.0, 0.0],
                r"hessian must contain only finite values",
                id="hessian-inf",
            ),
            pytest.param("abc", [0.0], [0.0], r"hessian must be an array", id="hessian-string"),
            pytest.param(None, [0.0], [0.0], r"hessian", id="hessian-none"),
            pytest.param(
                [[1.0]], [0.0, 0.0], [0.0], r"w_star must have shape \(1,?\), got shape \(2,\)", id="w_star-too-long"
            ),
            pytest.param(
                [[1.0]], [[0.0]], [0.0], r"w_star must have shape \(1,?\), got shape \(1, 1\)", id="w_star-2d"
            ),
            pytest.param(
                np.eye(2), 0.0, [0.0, 0.0], r"w_star must have shape \(2,?\), got shape \(\)", id="w_star-scalar"
            ),
            pytest.param([[1.0]], [NAN], [0.0], r"w_star must contain only finite values", id="w_star-nan"),
            pytest.param(
                np.eye(2), [0.0, 0.0], [0.0], r"w0 must have shape \(2,?\), got shape \(1,\)", id="w0-too-short"
            ),
            pytest.param([[1.0]], [0.0], [INF], r"w0 must contain only finite values", id="w0-inf"),
            pytest.param([[1.0]], ["0.5"], [0.0], r"w_star", id="w_star-strings"),
            pytest.param(
                [[1e308, 1e308], [1e308, 1e308]],
                [0.0, 0.0],
                [0.0, 0.0],
                r"hessian",
                id="finite-hessian-with-overflowing-eigenvalue",
            ),
        ],
    )
    def test_rejects(self, hessian, w_star, w0, pattern):
        with pytest.raises(ValueError, match=pattern):
            QuadraticProblem(hessian=hessian, w_star=w_star, w0=w0)

    def test_accepts_psd_and_freezes_arrays(self):
        p = QuadraticProblem(hessian=[[2.0, 0.0], [0.0, 0.0]], w_star=[1.0, 2.0], w0=[0.0, 0.0])
        assert p.dim == 2 and p.smoothness == 2.0 and p.strong_convexity == 0.0
        for arr in (p.hessian, p.w_star, p.w0):
            assert not arr.flags.writeable


class TestLeastSquares:
    @pytest.mark.parametrize(
        "A, w_star, kwargs, pattern",
        [
            pytest.param([[1.0, NAN]], [0.0, 0.0], {}, r"A must contain only finite values", id="A-nan"),
            pytest.param([[INF]], [0.0], {}, r"A must contain only finite values", id="A-inf"),
            pytest.param([1.0, 2.0], [0.0, 0.0], {}, r"A must have 2 dimension", id="A-vector"),
            pytest.param(np.zeros((3, 0)), [], {}, r"A must have at least one column", id="A-no-columns"),
            pytest.param([[1.0, 2.0], [3.0]], [0.0, 0.0], {}, r"A must be an array", id="A-ragged"),
            pytest.param(np.eye(2), [0.0], {}, r"w_star must have shape \(2,?\), got shape \(1,\)", id="w_star-short"),
            pytest.param(
                np.eye(2), [[0.0, 0.0]], {}, r"w_star must have shape \(2,?\), got shape \(1, 2\)", id="w_star-2d"
            ),
            pytest.param(np.eye(2), [0.0, NAN], {}, r"w_star must contain only finite values", id="w_star-nan"),
            pytest.param(
                np.eye(2), [0.0, 0.0], dict(scale=0.0), r"scale must be a finite real number > 0", id="scale-zero"
            ),
            pytest.param(
                np.eye(2), [0.0, 0.0], dict(scale=-0.5), r"scale must be a finite real number > 0", id="scale-negative"
            ),
            pytest.param(
                np.eye(2), [0.0, 0.0], dict(scale=NAN), r"scale must be a finite real number > 0", id="scale-nan"
            ),
            pytest.param(
                np.eye(2), [0.0, 0.0], dict(scale=INF), r"scale must be a finite real number > 0", id="scale-inf"
            ),
            pytest.param(
                np.eye(2), [0.0, 0.0], dict(scale="0.5"), r"scale must be a finite real number > 0", id="scale-string"
            ),
            pytest.param(np.eye(2), [0.0, 0.0], dict(w0=[0.0]), r"w0 must have shape \(2,?\)", id="w0-short"),
            pytest.param(
                np.eye(2), [0.0, 0.0], dict(w0=[NAN, 0.0]), r"w0 must contain only finite values", id="w0-nan"
            ),
            pytest.param([[1e200]], [0.0], {}, r"\bA\b|scale", id="A-overflows-hessian"),
        ],
    )
    def test_rejects(self, A, w_star, kwargs, pattern):
        with pytest.raises(ValueError, match=pattern):
            least_squares(A, w_star, **kwargs)


class TestScalarQuadratic:
    @pytest.mark.parametrize(
        "kwargs, pattern",
        [
            pytest.param(dict(L=0.0), r"L must be a finite real number > 0, got 0\.0", id="L-zero"),
            pytest.param(dict(L=-1.0), r"L must be a finite real number > 0, got -1\.0", id="L-negative"),
            pytest.param(dict(L=NAN), r"L must be a finite real number > 0", id="L-nan"),
            pytest.param(dict(L=INF), r"L must be a finite real number > 0", id="L-inf"),
            pytest.param(dict(L="1"), r"L must be a finite real number > 0", id="L-string"),
            pytest.param(dict(L=[1.0]), r"L must be a finite real number > 0", id="L-list"),
            pytest.param(dict(L=1.0, w_star=NAN), r"w_star must be a finite real number", id="w_star-nan"),
            pytest.param(dict(L=1.0, w_star=-INF), r"w_star must be a finite real number", id="w_star-inf"),
            pytest.param(dict(L=1.0, w_star=None), r"w_star must be a finite real number", id="w_star-none"),
            pytest.param(dict(L=1.0, w_star=0.0, w0=NAN), r"w0 must be a finite real number", id="w0-nan"),
            pytest.param(dict(L=1.0, w_star=0.0, w0="0"), r"w0 must be a finite real number", id="w0-string"),
        ],
    )
    def test_rejects(self, kwargs, pattern):
        with pytest.raises(ValueError, match=pattern):
            scalar_quadratic(**kwargs)


class TestLowerBoundInstance:
    @pytest.mark.parametrize(
        "kwargs, pattern",
        [
            pytest.param(dict(L=1.0, w_star=0.0, dim=0), r"dim must be an integer >= 1, got 0", id="dim-zero"),
            pytest.param(dict(L=1.0, w_star=0.0, dim=-2), r"dim must be an integer >= 1, got -2", id="dim-negative"),
            pytest.param(dict(L=1.0, w_star=0.0, dim=2.0), r"dim must be an integer >= 1, got 2\.0", id="dim-float"),
            pytest.param(dict(L=1.0, w_star=0.0, dim="3"), r"dim must be an integer >= 1", id="dim-string"),
            pytest.param(dict(L=1.0, w_star=0.0, dim=True), r"dim must be an integer >= 1", id="dim-bool"),
            pytest.param(dict(L=0.0, w_star=0.0, dim=2), r"L must be a finite real number > 0", id="L-zero"),
            pytest.param(dict(L=-3.0, w_star=0.0, dim=2), r"L must be a finite real number > 0", id="L-negative"),
            pytest.param(dict(L=NAN, w_star=0.0, dim=2), r"L must be a finite real number > 0", id="L-nan"),
            pytest.param(dict(L=1.0, w_star=INF, dim=2), r"w_star must be a finite real number", id="w_star-inf"),
        ],
    )
    def test_rejects(self, kwargs, pattern):
        with pytest.raises(ValueError, match=pattern):
            lower_bound_instance(**kwargs)


# =============================================================================================
# verify.sim.noise
# =============================================================================================


class TestNoiseLaws:
    @pytest.mark.parametrize(
        "std, pattern",
        [
            pytest.param(-0.1, r"std must have every entry >= 0, got (np\.float64\()?-0\.1", id="negative"),
            pytest.param(
                [0.1, -0.2], r"std must have every entry >= 0, got (np\.float64\()?-0\.2", id="negative-entry"
            ),
            pytest.param(NAN, r"std must contain only finite values", id="nan"),
            pytest.param(INF, r"std must contain only finite values", id="inf"),
            pytest.param([0.1, NAN], r"std must contain only finite values", id="nan-entry"),
            pytest.param(
                [[0.1, 0.2]], r"std must be a number or a vector of shape \(D,\), got shape \(1, 2\)", id="2d"
            ),
            pytest.param("abc", r"std must be an array", id="non-numeric-string"),
            pytest.param(None, r"std must be an array of finite real numbers, got None", id="none"),
            pytest.param("0.3", r"std", id="numeric-string"),
            pytest.param(True, r"std", id="bool"),
        ],
    )
    def test_gaussian_rejects(self, std, pattern):
        with pytest.raises(ValueError, match=pattern):
            GaussianNoise(std=std)

    @pytest.mark.parametrize(
        "std, dim",
        [
            pytest.param([0.1, 0.1, 0.1], 2, id="3-for-D2"),
            pytest.param([0.1], 2, id="1-for-D2"),
            pytest.param([], 1, id="empty-for-D1"),
        ],
    )
    def test_gaussian_std_length_mismatch_rejected_by_simulate(self, std, dim):
        problem = least_squares(np.eye(dim), np.zeros(dim))
        with pytest.raises(ValueError, match=rf"std must have shape \({dim},\) to match the problem's D = {dim}"):
            simulate(problem, DigitalSGD(0.1), GaussianNoise(std=std), steps=2, chains=2, seed=0)

    @pytest.mark.parametrize(
        "scale",
        [
            pytest.param(0.0, id="zero"),
            pytest.param(-1.0, id="negative"),
            pytest.param(NAN, id="nan"),
            pytest.param(INF, id="inf"),
            pytest.param("1", id="string"),
            pytest.param(None, id="none"),
            pytest.param(True, id="bool"),
        ],
    )
    def test_rademacher_rejects(self, scale):
        with pytest.raises(ValueError, match=r"scale must be a finite real number > 0"):
            RademacherNoise(scale=scale)

    @pytest.mark.parametrize(
        "kwargs, pattern",
        [
            pytest.param(dict(sigma=0.0, tau=1.0), r"sigma must be a finite real number > 0", id="sigma-zero"),
            pytest.param(dict(sigma=-0.1, tau=1.0), r"sigma must be a finite real number > 0", id="sigma-negative"),
            pytest.param(dict(sigma=NAN, tau=1.0), r"sigma must be a finite real number > 0", id="sigma-nan"),
            pytest.param(dict(sigma=INF, tau=1.0), r"sigma must be a finite real number > 0", id="sigma-inf"),
            pytest.param(dict(sigma=0.1, tau=0.0), r"tau must be a finite real number > 0", id="tau-zero"),
            pytest.param(dict(sigma=0.1, tau=-1.0), r"tau must be a finite real number > 0", id="tau-negative"),
            pytest.param(dict(sigma=0.1, tau=NAN), r"tau must be a finite real number > 0", id="tau-nan"),
            pytest.param(dict(sigma=0.1, tau=INF), r"tau must be a finite real number > 0", id="tau-inf"),
            pytest.param(dict(sigma=0.1, tau="1"), r"tau must be a finite real number > 0", id="tau-string"),
            pytest.param(dict(sigma=0.1, tau=1.0, shared=1), r"shared must be True or False, got 1", id="shared-int"),
            pytest.param(dict(sigma=0.1, tau=1.0, shared="yes"), r"shared must be True or False", id="shared-string"),
            pytest.param(dict(sigma=0.1, tau=1.0, shared=None), r"shared must be True or False", id="shared-none"),
            pytest.param(
                dict(sigma=0.1, tau=1.0, shared=np.True_), r"shared must be True or False", id="shared-np-bool"
            ),
        ],
    )
    def test_two_point_rejects(self, kwargs, pattern):
        with pytest.raises(ValueError, match=pattern):
            TwoPointNoise(**kwargs)


# =============================================================================================
# verify.sim.dynamics
# =============================================================================================

BAD_STEP_SIZES = [
    pytest.param(0.0, id="zero"),
    pytest.param(-0.1, id="negative"),
    pytest.param(NAN, id="nan"),
    pytest.param(INF, id="inf"),
    pytest.param(-INF, id="minus-inf"),
    pytest.param("0.1", id="string"),
    pytest.param(None, id="none"),
    pytest.param(True, id="bool"),
    pytest.param(np.float64(NAN), id="numpy-nan"),
]
BAD_DEVICES = [
    pytest.param(None, id="none"),
    pytest.param("ALD", id="string"),
    pytest.param(1.0, id="number"),
    pytest.param(AsymmetricLinearDevice, id="class-not-instance"),
    pytest.param({"tau": 1.0}, id="dict"),
]


class TestDynamics:
    @pytest.mark.parametrize("alpha", BAD_STEP_SIZES)
    @pytest.mark.parametrize(
        "make",
        [
            pytest.param(lambda a: DigitalSGD(alpha=a), id="DigitalSGD"),
            pytest.param(lambda a: AnalogSGD(ALD, alpha=a), id="AnalogSGD"),
            pytest.param(lambda a: AnalogGD(ALD, alpha=a), id="AnalogGD"),
            pytest.param(lambda a: TikiTaka(ALD, alpha=a, beta=0.1), id="TikiTaka"),
        ],
    )
    def test_alpha_rejected(self, make, alpha):
        with pytest.raises(ValueError, match=r"alpha must be a finite real number > 0"):
            make(alpha)

    @pytest.mark.parametrize("beta", BAD_STEP_SIZES)
    def test_tiki_taka_beta_rejected(self, beta):
        with pytest.raises(ValueError, match=r"beta must be a finite real number > 0"):
            TikiTaka(ALD, alpha=0.1, beta=beta)

    @pytest.mark.parametrize("device", BAD_DEVICES)
    @pytest.mark.parametrize(
        "make",
        [
            pytest.param(lambda d: AnalogSGD(d, alpha=0.1), id="AnalogSGD"),
            pytest.param(lambda d: AnalogGD(d, alpha=0.1), id="AnalogGD"),
            pytest.param(lambda d: TikiTaka(d, alpha=0.1, beta=0.1), id="TikiTaka"),
        ],
    )
    def test_device_must_be_a_device(self, make, device):
        with pytest.raises(ValueError, match=r"^device must be a bounds\.devices\.Device"):
            make(device)

    @pytest.mark.parametrize("p_device", BAD_DEVICES[1:])  # None means "same as device"
    def test_p_device_must_be_a_device(self, p_device):
        with pytest.raises(ValueError, match=r"^p_device must be a bounds\.devices\.Device"):
            TikiTaka(ALD, alpha=0.1, beta=0.1, p_device=p_device)

    @pytest.mark.parametrize(
        "p_device, range_text",
        [
            pytest.param(OFF_ZERO_ALD, "[4, 6]", id="ALD-w_sp-5"),
            pytest.param(OFF_ZERO_POWER, "[1, 3]", id="power-step-1-3"),
        ],
    )
    def test_p_device_range_must_contain_zero(self, p_device, range_text):
        with pytest.raises(
            ValueError, match=r"^p_device must hold P_0 = 0 in its range.* range " + re.escape(range_text)
        ):
            TikiTaka(ALD, alpha=0.1, beta=0.1, p_device=p_device)

    def test_p_device_range_message_names_p_device(self):
        with pytest.raises(ValueError, match=r"p_device"):
            TikiTaka(ALD, alpha=0.1, beta=0.1, p_device=OFF_ZERO_ALD)

    def test_default_p_device_inherits_device_range_check(self):
        with pytest.raises(ValueError, match=r"^p_device must hold P_0 = 0 in its range.* range \[4, 6\]"):
            TikiTaka(OFF_ZERO_ALD, alpha=0.1, beta=0.1)

    def test_valid_dynamics_construct(self):
        assert TikiTaka(ALD, 0.1, 0.2).p_device is ALD
        assert AnalogSGD(IdealDevice(), 1e-3).alpha == 1e-3
        assert DigitalSGD(np.float32(0.5)).alpha == 0.5


# =============================================================================================
# verify.sim.engine.simulate
# =============================================================================================

P1 = scalar_quadratic(L=1.0, w_star=0.5)  # D = 1, w0 = 0.5
P2 = least_squares(np.eye(2), [0.25, -0.25])  # D = 2, w0 = 0


def run(**overrides):
    """A valid small run with some arguments replaced."""
    args = dict(
        problem=P1, dynamics=AnalogSGD(ALD, 0.1), noise=GaussianNoise(0.1), steps=10, chains=4, seed=0, progress=False
    )
    args.update(overrides)
    return simulate(args.pop("problem"), args.pop("dynamics"), args.pop("noise"), **args)


class TestSimulate:
    def test_baseline_is_valid(self):
        result = run()
        assert isinstance(result, SimulationResult) and result.steps == 10 and result.chains == 4

    @pytest.mark.parametrize(
        "overrides, pattern",
        [
            # steps, chains, seed
            pytest.param(dict(steps=0), r"steps must be an integer >= 1, got 0", id="steps-zero"),
            pytest.param(dict(steps=-5), r"steps must be an integer >= 1, got -5", id="steps-negative"),
            pytest.param(dict(steps=10.0), r"steps must be an integer >= 1, got 10\.0", id="steps-float"),
            pytest.param(dict(steps=None), r"steps must be an integer >= 1", id="steps-none"),
            pytest.param(dict(chains=0), r"chains must be an integer >= 1, got 0", id="chains-zero"),
            pytest.param(dict(chains=-1), r"chains must be an integer >= 1", id="chains-negative"),
            pytest.param(dict(chains=2.5), r"chains must be an integer >= 1", id="chains-float"),
            pytest.param(dict(chains="4"), r"chains must be an integer >= 1", id="chains-string"),
            pytest.param(dict(seed=-1), r"seed must be an integer in \[0, 2\*\*128 - 1\], got -1", id="seed-negative"),
            pytest.param(dict(seed=1.5), r"seed must be an integer in \[0, 2\*\*128 - 1\], got 1\.5", id="seed-float"),
            pytest.param(dict(seed="1"), r"seed must be an integer in \[0, 2\*\*128 - 1\]", id="seed-string"),
            pytest.param(dict(seed=True), r"seed must be an integer in \[0, 2\*\*128 - 1\]", id="seed-bool"),
            pytest.param(
                dict(seed=np.random.default_rng(0)),
                r"seed must be an integer in \[0, 2\*\*128 - 1\]",
                id="seed-generator",
            ),
            # w0
            pytest.param(
                dict(w0=[0.0, 0.0]), r"w0 must have shape \(1,\) or \(4, 1\), got shape \(2,\)", id="w0-wrong-length"
            ),
            pytest.param(
                dict(w0=np.zeros((3, 1))),
                r"w0 must have shape \(1,\) or \(4, 1\), got shape \(3, 1\)",
                id="w0-wrong-chain-count",
            ),
            pytest.param(dict(w0=np.zeros((4, 1, 1))), r"w0 must have shape \(1,\) or \(4, 1\)", id="w0-3d"),
            pytest.param(dict(w0=0.0), r"w0 must have shape \(1,\) or \(4, 1\), got shape \(\)", id="w0-scalar"),
            pytest.param(dict(w0=[NAN]), r"w0 must contain only finite values", id="w0-nan"),
            pytest.param(dict(w0=[INF]), r"w0 must contain only finite values", id="w0-inf"),
            pytest.param(
                dict(w0=np.array([[0.0], [0.0], [NAN], [0.0]])),
                r"w0 must contain only finite values",
                id="w0-nan-in-one-chain",
            ),
            pytest.param(dict(w0="abc"), r"w0 must be an array", id="w0-string"),
            pytest.param(dict(w0=[1.01]), r"w0 must lie in the device range \[-1, 1\]", id="w0-above-ALD-range"),
            pytest.param(dict(w0=[-1.5]), r"w0 must lie in the device range \[-1, 1\]", id="w0-below-ALD-range"),
            pytest.param(
                dict(w0=np.array([[0.0], [0.0], [0.0], [2.0]])),
                r"w0 must lie in the device range \[-1, 1\]",
                id="w0-one-chain-outside",
            ),
            pytest.param(
                dict(problem=scalar_quadratic(1.0, 0.5, w0=2.0)),
                r"w0 must lie in the device range",
                id="problem-default-w0-outside",
            ),
            pytest.param(
                dict(dynamics=AnalogSGD(SHIFTED, 0.1), w0=[1.6]),
                r"w0 must lie in the device range \[-0\.5, 1\.5\]",
                id="w0-above-shifted-ALD",
            ),
            pytest.param(
                dict(dynamics=AnalogSGD(SHIFTED, 0.1), w0=[-0.6]),
                r"w0 must lie in the device range \[-0\.5, 1\.5\]",
                id="w0-below-shifted-ALD",
            ),
            pytest.param(
                dict(dynamics=AnalogSGD(SOFT, 0.1), w0=[1.1]),
                r"w0 must lie in the device range \[-2, 1\]",
                id="w0-above-soft-bounds",
            ),
            pytest.param(
                dict(dynamics=AnalogGD(ALD, 0.1), noise=None, w0=[1.2]),
                r"w0 must lie in the device range",
                id="w0-outside-AnalogGD",
            ),
            pytest.param(
                dict(dynamics=TikiTaka(ALD, 0.1, 0.1), w0=[-1.2]),
                r"w0 must lie in the device range",
                id="w0-outside-TikiTaka",
            ),
            # windows
            pytest.param(dict(windows=[(0, 5)]), r"windows must be a non-empty dict", id="windows-list"),
            pytest.param(dict(windows=(0, 5)), r"windows must be a non-empty dict", id="windows-tuple"),
            pytest.param(dict(windows={}), r"windows must be a non-empty dict", id="windows-empty"),
            pytest.param(
                dict(windows={"a": (5, 5)}),
                r"windows\['a'\] stop must be an integer in \[6, 11\], got 5",
                id="windows-start-equals-stop",
            ),
            pytest.param(
                dict(windows={"a": (7, 3)}),
                r"windows\['a'\] stop must be an integer in \[8, 11\], got 3",
                id="windows-start-after-stop",
            ),
            pytest.param(
                dict(windows={"a": (0, 12)}),
                r"windows\['a'\] stop must be an integer in \[1, 11\], got 12",
                id="windows-stop-beyond-K-plus-1",
            ),
            pytest.param(
                dict(windows={"a": (11, 12)}),
                r"windows\['a'\] start must be an integer in \[0, 10\], got 11",
                id="windows-start-beyond-K",
            ),
            pytest.param(
                dict(windows={"a": (-1, 5)}),
                r"windows\['a'\] start must be an integer in \[0, 10\], got -1",
                id="windows-start-negative",
            ),
            pytest.param(dict(windows={"a": (0.0, 5)}), r"windows\['a'\] start must be an integer", id="windows-float"),
            pytest.param(
                dict(windows={"a": (0, 5, 7)}), r"windows\['a'\] must be a pair \(start, stop\)", id="windows-triple"
            ),
            pytest.param(dict(windows={"a": 5}), r"windows\['a'\] must be a pair \(start, stop\)", id="windows-int"),
            pytest.param(
                dict(windows={"a": None}), r"windows\['a'\] must be a pair \(start, stop\)", id="windows-none"
            ),
            pytest.param(
                dict(windows={"ok": (0, 5), "bad": (3, 2)}), r"windows\['bad'\] stop", id="windows-second-bad"
            ),
            # flags and parallelism
            pytest.param(dict(trajectories=1), r"trajectories must be True or False, got 1", id="trajectories-int"),
            pytest.param(dict(trajectories="yes"), r"trajectories must be True or False", id="trajectories-string"),
            pytest.param(dict(trajectories=None), r"trajectories must be True or False", id="trajectories-none"),
            pytest.param(dict(chains_per_block=0), r"chains_per_block must be an integer >= 1, got 0", id="cpb-zero"),
            pytest.param(dict(chains_per_block=-4), r"chains_per_block must be an integer >= 1", id="cpb-negative"),
            pytest.param(dict(chains_per_block=2.0), r"chains_per_block must be an integer >= 1", id="cpb-float"),
            pytest.param(dict(workers=0), r"workers must be an integer >= 1, got 0", id="workers-zero"),
            pytest.param(dict(workers=-1), r"workers must be an integer >= 1", id="workers-negative"),
            pytest.param(dict(workers=1.5), r"workers must be an integer >= 1", id="workers-float"),
            # the wrong objects
            pytest.param(
                dict(dynamics=AnalogGD(ALD, 0.1), noise=GaussianNoise(0.1)),
                r"noise must be None for AnalogGD",
                id="noise-law-given-to-AnalogGD",
            ),
            pytest.param(
                dict(dynamics=AnalogGD(ALD, 0.1), noise=RademacherNoise(0.1)),
                r"noise must be None for AnalogGD",
                id="rademacher-given-to-AnalogGD",
            ),
            pytest.param(
                dict(problem="quadratic"),
                r"problem must be a verify\.sim\.problems\.QuadraticProblem",
                id="problem-string",
            ),
            pytest.param(
                dict(problem=np.eye(1)),
                r"problem must be a verify\.sim\.problems\.QuadraticProblem",
                id="problem-array",
            ),
            pytest.param(
                dict(problem=QuadraticProblem),
                r"problem must be a verify\.sim\.problems\.QuadraticProblem",
                id="problem-class",
            ),
            pytest.param(
                dict(dynamics=ALD), r"dynamics must be a verify\.sim\.dynamics\.Dynamics", id="dynamics-device"
            ),
            pytest.param(
                dict(dynamics=AnalogSGD), r"dynamics must be a verify\.sim\.dynamics\.Dynamics", id="dynamics-class"
            ),
            pytest.param(
                dict(dynamics=None), r"dynamics must be a verify\.sim\.dynamics\.Dynamics", id="dynamics-none"
            ),
            pytest.param(dict(noise=0.1), r"noise must be a verify\.sim\.noise\.NoiseLaw or None", id="noise-number"),
            pytest.param(
                dict(noise=GaussianNoise), r"noise must be a verify\.sim\.noise\.NoiseLaw or None", id="noise-class"
            ),
            # documented defects
            pytest.param(dict(w0=["0.5"]), r"w0", id="w0-numeric-string"),
            pytest.param(dict(progress="no"), r"progress", id="progress-string"),
            pytest.param(dict(windows={1: (0, 5), "1": (0, 3)}), r"windows", id="windows-names-collide"),
        ],
    )
    def test_rejects(self, overrides, pattern):
        with pytest.raises(ValueError, match=pattern):
            run(**overrides)

    @pytest.mark.parametrize(
        "dynamics, w0",
        [
            pytest.param(AnalogSGD(ALD, 0.1), [1.0], id="ALD-upper-edge"),
            pytest.param(AnalogSGD(ALD, 0.1), [-1.0], id="ALD-lower-edge"),
            pytest.param(AnalogSGD(SHIFTED, 0.1), [1.5], id="shifted-upper-edge"),
            pytest.param(AnalogSGD(SOFT, 0.1), [-2.0], id="soft-lower-edge"),
            pytest.param(DigitalSGD(0.1), [100.0], id="digital-has-no-range"),
            pytest.param(AnalogSGD(IdealDevice(), 0.1), [1e6], id="ideal-device-has-no-range"),
        ],
    )
    def test_w0_on_the_range_edge_is_accepted(self, dynamics, w0):
        result = run(dynamics=dynamics, w0=w0, steps=2, noise=None)
        np.testing.assert_array_equal(result.final_state["W"].shape, (4, 1))

    def test_trajectories_too_large_is_refused_before_allocating(self):
        with pytest.raises(ValueError, match=r"trajectories=True would need [0-9.]+ GiB.*limit is 2 GiB"):
            run(dynamics=DigitalSGD(0.1), steps=1_000_000, chains=1000, trajectories=True)

    def test_tiki_taka_trajectories_count_both_arrays(self):
        # 2 arrays x (K+1) x R x D x 8 bytes: just over the 2 GiB limit only because of P
        steps, chains = 2**16, 2**11
        with pytest.raises(ValueError, match=r"GiB"):
            run(dynamics=TikiTaka(ALD, 0.1, 0.1), steps=steps, chains=chains, trajectories=True)

    def test_impossible_chain_count_is_a_value_error(self):
        with pytest.raises(ValueError, match=r"chains"):
            run(dynamics=DigitalSGD(0.1), noise=None, steps=1, chains=10**18, chains_per_block=10**18)


# =============================================================================================
# NonFiniteError: divergence stops the run and names the step
# =============================================================================================


def first_overflow_step_digital(L: float, alpha: float, w_star: float, w0: float) -> int:
    """The first k at which ||grad f(w_k)||^2 overflows for digital GD on L/2 (w - w*)^2, in Python floats."""
    w, k = w0, 0
    while True:
        g = (w - w_star) * L
        if not math.isfinite(g * g):
            return k
        w = w - g * alpha
        k += 1


def analog_path(L: float, alpha: float, tau: float, w_star: float, w0: float):
    """Analog GD on the ALD (w_sp = 0), in Python floats: (first overflow step of ||grad||^2, first k with
    |w_k| > tau)."""
    w, k, left = w0, 0, None
    while True:
        g = (w - w_star) * L
        if not math.isfinite(g * g):
            return k, left
        if left is None and abs(w) > tau:
            left = k
        dw = g * -alpha
        dw = dw - abs(dw) * w * (1.0 / tau)
        w = w + dw
        k += 1


class TestNonFinite:
    def test_is_a_floating_point_error_not_a_value_error(self):
        assert issubclass(NonFiniteError, FloatingPointError)
        assert not issubclass(NonFiniteError, ValueError)

    def test_digital_sgd_divergence_names_the_overflow_step(self):
        # alpha L = 3: w_{k+1} = -2 w_k, so ||grad||^2 = 4^k overflows at k = 512
        expected = first_overflow_step_digital(L=1.0, alpha=3.0, w_star=0.0, w0=1.0)
        assert expected == 512
        with pytest.raises(NonFiniteError) as info:
            simulate(
                scalar_quadratic(L=1.0, w_star=0.0, w0=1.0),
                DigitalSGD(alpha=3.0),
                None,
                steps=600,
                chains=2,
                seed=0,
                progress=False,
            )
        err = info.value
        assert err.step == expected
        assert err.chain == 0 and err.statistic == "grad_sq" and err.value == INF
        assert f"step {expected}" in str(err)

    def test_digital_divergence_step_does_not_depend_on_blocks_or_workers(self):
        expected = first_overflow_step_digital(L=1.0, alpha=3.0, w_star=0.0, w0=1.0)
        with pytest.raises(NonFiniteError) as info:
            simulate(
                scalar_quadratic(L=1.0, w_star=0.0, w0=1.0),
                DigitalSGD(alpha=3.0),
                None,
                steps=600,
                chains=8,
                seed=0,
                chains_per_block=2,
                workers=4,
                progress=False,
            )
        assert (info.value.step, info.value.chain) == (expected, 0)

    def test_divergence_caught_even_if_it_happens_at_the_last_step(self):
        expected = first_overflow_step_digital(L=1.0, alpha=3.0, w_star=0.0, w0=1.0)
        with pytest.raises(NonFiniteError) as info:
            simulate(
                scalar_quadratic(L=1.0, w_star=0.0, w0=1.0),
                DigitalSGD(alpha=3.0),
                None,
                steps=expected,
                chains=2,
                seed=0,
                progress=False,
            )
        assert info.value.step == expected

    def test_finite_but_huge_statistics_give_no_silent_nan(self):
        expected = first_overflow_step_digital(L=1.0, alpha=3.0, w_star=0.0, w0=1.0)
        result = simulate(
            scalar_quadratic(L=1.0, w_star=0.0, w0=1.0),
            DigitalSGD(alpha=3.0),
            None,
            steps=expected - 1,
            chains=2,
            seed=0,
            progress=False,
        )
        for name in result.statistics:
            assert np.isfinite(result.mean[name]).all(), name
            np.testing.assert_array_equal(result.variance[name], 0.0, err_msg=name)  # identical chains

    def test_chain_mean_overflow_is_never_returned_silently(self):
        # four identical chains at grad_sq = 4^511: each value is finite, their sum is not
        try:
            result = simulate(
                scalar_quadratic(L=1.0, w_star=0.0, w0=1.0),
                DigitalSGD(alpha=3.0),
                None,
                steps=511,
                chains=4,
                chains_per_block=4,
                seed=0,
                progress=False,
            )
        except NonFiniteError as err:
            assert err.step == 511 and err.statistic == "grad_sq"
        else:
            assert all(np.isfinite(v).all() for v in result.mean.values())

    def test_analog_sgd_leaving_the_device_range_and_diverging(self):
        L, alpha, tau, w_star = 1.0, 100.0, 1.0, 0.5
        expected, left = analog_path(L, alpha, tau, w_star, w0=0.0)
        assert left == 1 and expected > left  # leaves [-tau, tau] at once, then blows up
        with pytest.raises(NonFiniteError) as info:
            simulate(
                scalar_quadratic(L, w_star, w0=0.0),
                AnalogSGD(AsymmetricLinearDevice(tau), alpha),
                None,
                steps=50,
                chains=3,
                seed=0,
                progress=False,
            )
        assert info.value.step == expected
        assert info.value.statistic == "grad_sq"

    def test_analog_sgd_leaving_the_device_range_is_recorded_not_stopped(self):
        # Documented decision: ||W||_inf >= tau is not an error (W = tau is reachable with |dW| = tau,
        # C8's boundary); the saturation term is then +inf and ||W||_inf shows how far out W went.
        # Here dW_0 = 1.2 * 0.9 = 1.08 > tau, so W_1 = 1.08, and W_2 = 1.08 - 0.216 - 0.216 * 1.08 is back inside.
        result = simulate(
            scalar_quadratic(1.0, 0.9, w0=0.0),
            AnalogSGD(AsymmetricLinearDevice(1.0), 1.2),
            None,
            steps=50,
            chains=3,
            seed=0,
            progress=False,
        )
        assert result.mean["saturation"][1] == INF
        np.testing.assert_allclose(result.mean["w_inf"][1:3], [1.08, 1.08 - 0.216 - 0.216 * 1.08], rtol=1e-12)
        assert np.isfinite(result.mean["saturation"][2:]).all()

    def test_leaving_the_range_never_yields_nan(self):
        # No NaN may come back: +inf at worst, and estimating an infinite statistic is an error.
        result = simulate(
            scalar_quadratic(1.0, 0.9, w0=0.0),
            AnalogSGD(AsymmetricLinearDevice(1.0), 1.2),
            GaussianNoise(0.01),
            steps=50,
            chains=4,
            seed=0,
            progress=False,
            windows={"all": (0, 50), "late": (10, 51)},
        )
        arrays = [*result.mean.values(), *result.variance.values(), result.final_state["W"]]
        arrays += [v for window in result.window_means.values() for v in window.values()]
        assert not any(np.isnan(a).any() for a in arrays)
        with pytest.raises(ValueError, match=r"samples must contain only finite values"):
            result.estimate("saturation")

    def test_two_point_noise_outside_its_range_stops_at_the_next_step(self):
        # w_0 = 2 > tau = 1 makes p = (1 - w/tau)/2 negative, the noise NaN, and W_1 NaN
        with pytest.raises(NonFiniteError) as info:
            simulate(
                scalar_quadratic(1.0, 0.0, w0=2.0),
                DigitalSGD(0.1),
                TwoPointNoise(sigma=0.1, tau=1.0),
                steps=10,
                chains=2,
                seed=0,
                progress=False,
            )
        assert info.value.step == 1 and math.isnan(info.value.value)


# =============================================================================================
# verify.sim.stats and SimulationResult.estimate
# =============================================================================================


class TestMeanCI:
    @pytest.mark.parametrize(
        "samples, kwargs, pattern",
        [
            pytest.param([], {}, r"samples must hold at least 2 independent values for an interval, got 0", id="empty"),
            pytest.param(
                [1.0], {}, r"samples must hold at least 2 independent values for an interval, got 1", id="one"
            ),
            pytest.param(3.0, {}, r"samples must hold at least 2", id="scalar"),
            pytest.param([1.0, NAN], {}, r"samples must contain only finite values", id="nan"),
            pytest.param([1.0, 2.0, INF], {}, r"samples must contain only finite values", id="inf"),
            pytest.param(np.array([-INF, 1.0]), {}, r"samples must contain only finite values", id="minus-inf"),
            pytest.param(
                [1.0, 2.0],
                dict(level=0.0),
                r"level must be a finite real number in \(0, 1\), got 0\.0",
                id="level-zero",
            ),
            pytest.param(
                [1.0, 2.0], dict(level=1.0), r"level must be a finite real number in \(0, 1\), got 1\.0", id="level-one"
            ),
            pytest.param(
                [1.0, 2.0], dict(level=-0.5), r"level must be a finite real number in \(0, 1\)", id="level-negative"
            ),
            pytest.param(
                [1.0, 2.0],
                dict(level=95),
                r"level must be a finite real number in \(0, 1\), got 95",
                id="level-percent",
            ),
            pytest.param(
                [1.0, 2.0], dict(level=NAN), r"level must be a finite real number in \(0, 1\)", id="level-nan"
            ),
            pytest.param(
                [1.0, 2.0], dict(level="0.95"), r"level must be a finite real number in \(0, 1\)", id="level-string"
            ),
            pytest.param(["a", "b"], {}, r"samples", id="non-numeric-strings"),
            pytest.param([[1.0, 2.0], [3.0]], {}, r"samples", id="ragged"),
            pytest.param({1.0, 2.0}, {}, r"samples", id="set"),
            pytest.param({"a": 1.0}, {}, r"samples", id="dict"),
            pytest.param(["1", "2"], {}, r"samples", id="numeric-strings"),
        ],
    )
    def test_rejects(self, samples, kwargs, pattern):
        with pytest.raises(ValueError, match=pattern):
            mean_ci(samples, **kwargs)


@pytest.fixture(scope="module")
def result():
    return simulate(
        P1,
        AnalogSGD(ALD, 0.1),
        GaussianNoise(0.1),
        steps=20,
        chains=8,
        seed=3,
        progress=False,
        windows={"all": (0, 20), "tail": (10, 21)},
    )


class TestEstimate:
    def test_known_window_and_statistic_work(self, result):
        est = result.estimate("grad_sq", "tail")
        assert est.n == 8 and math.isfinite(est.mean)

    @pytest.mark.parametrize(
        "window",
        [
            pytest.param("late", id="unknown-name"),
            pytest.param("ALL", id="wrong-case"),
            pytest.param("", id="empty"),
            pytest.param(None, id="none"),
            pytest.param(0, id="int"),
            pytest.param(["all"], id="list"),
        ],
    )
    def test_unknown_window(self, result, window):
        with pytest.raises(ValueError, match=r"window must be one of \['all', 'tail'\]"):
            result.estimate("grad_sq", window)

    @pytest.mark.parametrize(
        "statistic",
        [
            pytest.param("bogus", id="unknown"),
            pytest.param("p_inf_sq", id="not-recorded-for-AnalogSGD"),
            pytest.param("GRAD_SQ", id="wrong-case"),
            pytest.param(None, id="none"),
            pytest.param(["grad_sq"], id="list"),
        ],
    )
    def test_unknown_statistic(self, result, statistic):
        with pytest.raises(ValueError, match=r"statistic must be one of \['grad_sq', 'f_gap', 'w_inf', 'saturation'\]"):
            result.estimate(statistic, "all")

    @pytest.mark.parametrize("level", [0.0, 1.0, NAN, 2])
    def test_bad_level(self, result, level):
        with pytest.raises(ValueError, match=r"level must be a finite real number in \(0, 1\)"):
            result.estimate("grad_sq", "all", level=level)

    def test_single_chain_has_no_interval(self):
        one = simulate(P1, AnalogSGD(ALD, 0.1), GaussianNoise(0.1), steps=5, chains=1, seed=0, progress=False)
        assert one.variance is None
        with pytest.raises(ValueError, match=r"at least 2"):
            one.estimate("grad_sq")

    def test_statistics_table_is_complete(self, result):
        assert set(result.statistics) <= set(STATISTICS)


# =============================================================================================
# verify.experiments.settings and verify.reports.bench
# =============================================================================================


class TestSettings:
    @pytest.mark.parametrize(
        "source",
        [
            pytest.param("Paper", id="wrong-case"),
            pytest.param("bogus", id="unknown"),
            pytest.param("", id="empty"),
            pytest.param(None, id="none"),
            pytest.param(["paper"], id="list"),
            pytest.param(0, id="int"),
        ],
    )
    @pytest.mark.parametrize("name", sorted(SETTINGS))
    def test_unknown_source(self, name, source):
        with pytest.raises(ValueError, match=r"source must be one of \('paper', 'code'\)"):
            SETTINGS[name](source=source)

    @pytest.mark.parametrize(
        "seed",
        [
            pytest.param(-1, id="negative"),
            pytest.param(1.5, id="float"),
            pytest.param("42", id="string"),
            pytest.param(None, id="none"),
        ],
    )
    @pytest.mark.parametrize("name", sorted(SETTINGS))
    def test_bad_seed(self, name, seed):
        with pytest.raises(ValueError, match=r"seed must be an integer in \[0, 2\*\*128 - 1\]"):
            SETTINGS[name](seed=seed)


#: ">= 1", or "in [1, cap]" where the benchmark caps the argument (with the reason in parentheses)
AT_LEAST_1 = r"(>= 1|in \[1, [^\]]+\]( \([^)]*\))?)"


class TestRunBenchmark:
    @pytest.mark.parametrize(
        "kwargs, pattern",
        [
            pytest.param(dict(chains=0), r"chains must be an integer " + AT_LEAST_1 + r", got 0", id="chains-zero"),
            pytest.param(dict(chains="abc"), r"chains must be an integer " + AT_LEAST_1, id="chains-string"),
            pytest.param(dict(steps=0), r"steps must be an integer " + AT_LEAST_1 + r", got 0", id="steps-zero"),
            pytest.param(dict(steps=1.5), r"steps must be an integer " + AT_LEAST_1, id="steps-float"),
            pytest.param(dict(repeats=0), r"repeats must be an integer " + AT_LEAST_1 + r", got 0", id="repeats-zero"),
            pytest.param(dict(workers=0), r"workers must be an integer " + AT_LEAST_1 + r", got 0", id="workers-zero"),
            pytest.param(dict(workers=-2), r"workers must be an integer " + AT_LEAST_1, id="workers-negative"),
        ],
    )
    def test_rejects_before_timing_anything(self, kwargs, pattern):
        lines = []
        with pytest.raises(ValueError, match=pattern):
            run_benchmark(report=lines.append, **kwargs)
        assert lines == []


# =============================================================================================
# the command line
# =============================================================================================


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "verify", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


class TestCLI:
    @pytest.mark.parametrize(
        "args, named",
        [
            pytest.param(["bench", "--chains", "0"], "--chains", id="chains-zero"),
            pytest.param(["bench", "--chains", "abc"], "--chains", id="chains-abc"),
            pytest.param(["bench", "--chains", "-3"], "--chains", id="chains-negative"),
            pytest.param(["bench", "--steps", "1.5"], "--steps", id="steps-float"),
            pytest.param(["bench", "--repeats", "0"], "--repeats", id="repeats-zero"),
            pytest.param(["bench", "--workers", "0"], "--workers", id="workers-zero"),
            pytest.param(["bench", "--chains"], "--chains", id="chains-missing-value"),
            pytest.param(["bench", "--bogus"], "--bogus", id="unknown-option"),
            pytest.param(["frobnicate"], "frobnicate", id="unknown-command"),
            pytest.param([], "command", id="no-command"),
        ],
    )
    def test_bad_argument_exits_2_with_one_line(self, args, named):
        proc = cli(*args)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert named in lines[0]
        assert "error" in lines[0] and "Traceback" not in proc.stderr
        assert proc.stdout == ""

    def test_unwritable_json_path_names_the_option(self, tmp_path):
        target = tmp_path / "missing" / "out.json"
        proc = cli("bench", "--chains", "1", "--steps", "1", "--repeats", "1", "--workers", "1", "--json", str(target))
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1
        assert "--json" in lines[0]


# =============================================================================================
# issue 15: the simulation layer's reproducers, pinned
# =============================================================================================


class TestIssue15Simulation:
    """Each reproducer of issue 15 in verify.sim and verify.claims.registry gives a named error or a finite result."""

    def test_mean_ci_of_huge_equal_samples_is_finite(self):
        est = mean_ci([1e308, 1e308])
        assert (est.mean, est.low, est.high, est.sem) == (1e308, 1e308, 1e308, 0.0)

    def test_mean_ci_whose_interval_leaves_float64_names_samples(self):
        with pytest.raises(ValueError, match=r"^samples are too large: the confidence interval .* float64's range"):
            mean_ci([1e308, -1e308])

    def test_mean_ci_of_tiny_samples_keeps_its_digits(self):
        est = mean_ci([1e-320, 3e-320])
        assert est.mean == 2e-320 and est.low < est.mean < est.high

    def test_mean_ci_at_a_level_next_to_one_is_finite(self):
        est = mean_ci([1.0, 2.0, 3.0], level=1 - 2**-53)
        assert math.isfinite(est.low) and math.isfinite(est.high) and est.low < 2.0 < est.high

    def test_two_point_coordinate_law_names_dim(self):
        with pytest.raises(ValueError, match=r"^dim must be an integer >= 1, got 0"):
            TwoPointNoise(sigma=1.0, tau=1.0).coordinate_law(0.1, 0)
        with pytest.raises(ValueError, match=r"^w must be a finite real number in \(-1, 1\), got 2\.0"):
            TwoPointNoise(sigma=1.0, tau=1.0).coordinate_law(2.0, 3)

    @pytest.mark.parametrize("steps", [10**400, 2**53 + 1])
    def test_steps_beyond_the_integer_cap_are_refused(self, steps):
        with pytest.raises(ValueError, match=r"^steps must be an integer in \[1, 2\*\*53\], got"):
            run(steps=steps)

    def test_steps_at_the_integer_cap_are_refused_by_the_memory_estimate(self):
        with pytest.raises(ValueError, match=r"^chains=4 and steps=9007199254740992 are too large: .* GiB, more than"):
            run(steps=2**53)

    @pytest.mark.parametrize("chains", [10**9, 2**53])
    def test_huge_chain_counts_are_refused_before_allocating(self, chains):
        with pytest.raises(ValueError, match=rf"^chains={chains} and steps=10 are too large: .* 4 GiB a call may"):
            run(chains=chains)

    def test_runs_of_more_than_hours_are_refused_before_running(self):
        with pytest.raises(ValueError, match=r"^chains=10000000 and steps=10000000 are too large: .* chain-coordinate"):
            run(chains=10**7, steps=10**7)

    def test_one_block_per_chain_counts_the_blocks_memory(self):
        with pytest.raises(ValueError, match=r"larger chains_per_block"):
            run(chains=2**23, chains_per_block=1)

    def test_lower_bound_instance_refuses_a_huge_dimension_up_front(self):
        with pytest.raises(
            ValueError, match=r"^dim must be an integer in \[1, 4096\] \(a dense D x D Hessian: 128 MiB"
        ):
            lower_bound_instance(1.0, 0.25, 10**6)

    def test_lower_bound_instance_at_the_cap_is_diagonal_and_fast(self):
        problem = lower_bound_instance(2.0, 0.25, 4096)
        assert problem.smoothness == problem.strong_convexity == 2.0

    def test_least_squares_refuses_a_huge_dimension_before_forming_the_hessian(self):
        with pytest.raises(ValueError, match=r"^A must have at most 4096 columns"):
            least_squares(np.zeros((1, 10**5)), np.zeros(10**5))

    def test_quadratic_problem_refuses_a_huge_hessian(self):
        with pytest.raises(ValueError, match=r"^hessian must be at most 4096 x 4096"):
            QuadraticProblem(hessian=np.zeros((4097, 4097)), w_star=np.zeros(4097), w0=np.zeros(4097))

    @pytest.mark.parametrize(
        "L, w_star, w0",
        [
            pytest.param(1e308, 0.0, 1.0, id="L-huge"),
            pytest.param(1.0, 1e308, -1e308, id="residual-overflows"),
            pytest.param(1e200, 0.0, 1e200, id="objective-overflows"),
        ],
    )
    def test_scalar_quadratic_whose_start_overflows_names_its_inputs(self, L, w_star, w0):
        with pytest.raises(ValueError, match=r"^L, w_star and w0 are too large: f\(w0\) - f\* = .* must be finite"):
            scalar_quadratic(L, w_star, w0)

    def test_least_squares_whose_start_overflows_names_its_inputs(self):
        with pytest.raises(ValueError, match=r"^A, scale, w_star and w0 are too large"):
            least_squares(np.eye(2) * 1e150, [0.5, 0.5])

    @pytest.mark.parametrize(
        "make, pattern",
        [
            pytest.param(lambda: GaussianNoise(1e308), r"^std must have every entry in \[0, 1e\+150\]", id="gaussian"),
            pytest.param(
                lambda: GaussianNoise([0.1, 1e200]), r"^std must have every entry in \[0, 1e\+150\]", id="vec"
            ),
            pytest.param(
                lambda: RademacherNoise(1e308), r"^scale must be a finite real number in \(0, 1e\+150\]", id="r"
            ),
            pytest.param(
                lambda: TwoPointNoise(1e308, 1.0), r"^sigma must be a finite real number in \(0, 1e\+150\]", id="2p"
            ),
        ],
    )
    def test_noise_beyond_float64_is_refused_at_construction(self, make, pattern):
        with pytest.raises(ValueError, match=pattern + r" \(so that E\|\|eps\|\|\^2 stays within float64\)"):
            make()

    def test_w0_whose_statistics_overflow_is_named(self):
        with pytest.raises(ValueError, match=r"^w0 is too large for the problem: \|\|grad f\(W_k\)\|\|\^2 = inf"):
            simulate(scalar_quadratic(1.0, 0.0), DigitalSGD(0.1), None, steps=5, chains=2, w0=[1e200], progress=False)

    @pytest.mark.parametrize("name", ["dw_min_std", "dw_min_dtod", "bound_dtod"])
    def test_pulse_spreads_are_capped_at_construction(self, name):
        with pytest.raises(ValueError, match=rf"^{name} must be a finite real number in \[0, 10\] \(a relative spread"):
            PulseModel(ALD, 0.01, counting="stochastic_trains", **{name: 1e308})

    def test_desired_bl_is_capped(self):
        with pytest.raises(
            ValueError, match=r"^desired_bl must be an integer in \[1, 1e\+06\] \(a pulse train's slots"
        ):
            PulseModel(ALD, 0.01, desired_bl=10**7)

    def test_nan_updates_give_nan_counts_not_numpy_errors(self):
        for kwargs in ({}, dict(bl_management=False, update_management=False)):
            model = PulseModel(ALD, 0.01, counting="stochastic_trains", **kwargs)
            counts = model.pulse_counts(np.array([[NAN, 0.03, -0.05], [0.02, 0.03, -0.05]]), np.random.default_rng(0))
            assert np.isnan(counts[0, 0]) and np.isfinite(counts[1]).all()  # the NaN row's own count, not the others

    def test_pulse_trains_with_nan_noise_stop_with_a_non_finite_error(self):
        # w0 = 0.8 > TwoPointNoise's tau = 0.5: p < 0, the noise is NaN; before issue 15 numpy's binomial raised
        # "p < 0, p > 1 or p contains NaNs" from inside the run
        model = PulseModel(ALD, 0.01, counting="stochastic_trains", dw_min_std=0.3)
        with pytest.raises(NonFiniteError):
            simulate(
                scalar_quadratic(1.0, 0.0, 0.8),
                PulsedAnalogSGD(model, 0.1),
                TwoPointNoise(sigma=0.1, tau=0.5),
                steps=10,
                chains=2,
                seed=0,
                progress=False,
            )

    def test_too_many_pulses_name_dw_min(self):
        model = PulseModel(ALD, 1e-300, counting="deterministic", dw_min_std=0.1)
        with pytest.raises(ValueError, match=r"^dw_min is too small for the requested updates: one weight needs"):
            simulate(P1, PulsedAnalogSGD(model, 0.5), GaussianNoise(1.0), steps=5, chains=2, seed=0, progress=False)

    @pytest.mark.parametrize(
        "make, pattern",
        [
            pytest.param(lambda: AnalogSGD(None, 0.1), r"^device must be a bounds\.devices\.Device", id="analog-sgd"),
            pytest.param(lambda: TikiTaka(ALD, 0.1, 0.1, p_device=3), r"^p_device must be a bounds\.devices", id="tt"),
            pytest.param(
                lambda: PulsedAnalogSGD(ALD, 0.1), r"^pulses must be a verify\.sim\.pulses\.PulseModel", id="p"
            ),
            pytest.param(lambda: PulseModel("ald", 0.01), r"^device must be a bounds\.devices\.Device", id="model"),
            pytest.param(lambda: simulate(P1, ALD, steps=5, chains=2), r"^dynamics must be a verify\.sim", id="sim"),
            pytest.param(
                lambda: simulate("P1", AnalogSGD(ALD, 0.1), steps=5, chains=2), r"^problem must be a", id="sim-p"
            ),
            pytest.param(
                lambda: simulate(P1, AnalogSGD(ALD, 0.1), 0.1, steps=5, chains=2), r"^noise must be a", id="sim-n"
            ),
        ],
    )
    def test_wrong_object_types_are_named(self, make, pattern):
        with pytest.raises((TypeError, ValueError), match=pattern):
            make()


class TestEstimateRecord:
    """The fields of a :class:`verify.sim.stats.Estimate` (an input of the fits as well as a result)."""

    @pytest.mark.parametrize(
        "field, value, pattern",
        [
            pytest.param("mean", NAN, r"^mean must be a finite real number, got nan", id="mean-nan"),
            pytest.param("mean", INF, r"^mean must be a finite real number, got inf", id="mean-inf"),
            pytest.param("low", NAN, r"^low must be a real number \(\+-inf for an unbounded side\), got nan", id="low"),
            pytest.param("high", "1", r"^high must be a real number", id="high-string"),
            pytest.param("n", -1, r"^n must be an integer >= 0, got -1", id="n-negative"),
            pytest.param("level", 1.0, r"^level must be a finite real number in \(0, 1\)", id="level"),
            pytest.param("sem", -0.1, r"^sem must be a finite real number >= 0, got -0\.1", id="sem-negative"),
            pytest.param("method", None, r"^method must be a str", id="method"),
        ],
    )
    def test_rejects(self, field, value, pattern):
        fields = dict(mean=1.0, low=0.9, high=1.1, n=10, level=0.95, method="m", sem=0.05)
        with pytest.raises((TypeError, ValueError), match=pattern):
            Estimate(**{**fields, field: value})

    def test_an_unbounded_side_is_allowed_and_subnormals_kept(self):
        est = Estimate(mean=1e-320, low=-INF, high=INF, n=3, level=0.95, sem=1e-321)
        assert est.low == -INF and est.high == INF and est.mean == 1e-320

    def test_ratio_of_independent_means_at_a_zero_numerator(self):
        est = ratio_of_independent_means(
            Estimate(0.0, -0.1, 0.1, 10, 0.95, sem=0.05), Estimate(2.0, 1.9, 2.1, 10, 0.95, sem=0.1), 0.95
        )
        assert est.mean == 0.0 and est.sem == pytest.approx(0.025)

    def test_ratio_of_independent_means_refuses_a_zero_denominator(self):
        with pytest.raises(ValueError, match=r"^b must have a non-zero mean"):
            ratio_of_independent_means(
                Estimate(1.0, 0.9, 1.1, 10, 0.95, sem=0.05), Estimate(0.0, -0.1, 0.1, 10, 0.95, sem=0.05), 0.95
            )

    def test_ratio_of_means_of_huge_samples(self):
        est = ratio_of_means([1e308, 1e308, 1e308], [1.0, 1.0, 1.0], 0.95)
        assert est.mean == 1e308 and est.sem == 0.0
        with pytest.raises(ValueError, match=r"^a and b are too large"):
            ratio_of_means([1e308, 1e308, 1e308], [1e-300, 1e-300, 1e-300], 0.95)

    @pytest.mark.parametrize(
        "xs, ys, sems, pattern",
        [
            pytest.param(
                [0.0, 1e-300], [1.0, 2.0], [0.1, 0.1], r"^xs, ys and sems give no degree-1 fit", id="close-xs"
            ),
            pytest.param([0.0, 1e200, 2e200], [1.0, 2.0, 3.0], [0.1] * 3, r"^xs, ys and sems give no", id="huge-xs"),
            pytest.param([0.0, 1.0], [1.0, 2.0], [1e-300, 0.1], r"^sems must have every entry >= 1e-150", id="tiny"),
            pytest.param([0.0, 1.0], [1.0, 2.0], [0.1, 0.1, 0.1], r"^sems must have the shape of xs", id="shape"),
        ],
    )
    def test_fit_polynomial_refuses_what_float64_cannot_fit(self, xs, ys, sems, pattern):
        with pytest.raises(ValueError, match=pattern):
            fit_polynomial(xs, ys, sems)

    @pytest.mark.parametrize("degree", [1.0, True, "1", None, 4])
    def test_fit_polynomial_degree(self, degree):
        with pytest.raises(ValueError, match=r"^degree must be 1, 2 or 3"):
            fit_polynomial([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 3.0], [0.1] * 4, degree=degree)

    @pytest.mark.parametrize("ks", [[-1.0, 2.0, 3.0], ["a", "b", "c"], None])
    def test_loglog_fit_names_ks(self, ks):
        ests = [Estimate(1.0, 0.9, 1.1, 10, 0.95, sem=0.1)] * 3
        with pytest.raises(ValueError, match=r"^ks must"):
            loglog_fit(ks, ests, 0.95)


class TestRegistryInputs:
    @pytest.mark.parametrize(
        "ids",
        [5, "C5", [5], {"C5": 1}, [None], np.array(["C5"])],
        ids=["int", "str", "int-list", "dict", "none", "array"],
    )
    def test_run_checks_refuses_bad_ids_by_name(self, ids):
        with pytest.raises((TypeError, ValueError), match=r"^ids must be None or a list of claim ids"):
            run_checks(ids)

    def test_run_checks_names_unknown_ids(self):
        with pytest.raises(ValueError, match=r"^ids: unknown claim\(s\) 'C0'"):
            run_checks(["C0"])

    @pytest.mark.parametrize(
        "kwargs, pattern",
        [
            pytest.param(dict(profile="fast"), r"^profile must be one of \['full', 'quick'\]", id="profile"),
            pytest.param(dict(entropy=-1), r"^entropy must be an integer in \[0, 2\*\*128 - 1\]", id="entropy"),
            pytest.param(dict(on_result=5), r"^on_result must be a function", id="on-result"),
            pytest.param(dict(progress="yes"), r"^progress must be True, False or None", id="progress"),
        ],
    )
    def test_run_checks_refuses_bad_arguments_by_name(self, kwargs, pattern):
        with pytest.raises((TypeError, ValueError), match=pattern):
            run_checks(["C39"], **kwargs)

    def test_run_claim_names_its_arguments(self):
        claims = load_claims()
        with pytest.raises(TypeError, match=r"^c must be a Claim"):
            run_claim("C39", PROFILES["quick"], claim_seed("C39"))
        with pytest.raises(TypeError, match=r"^profile must be a Profile"):
            run_claim(claims["C39"], "quick", claim_seed("C39"))
        with pytest.raises(TypeError, match=r"^seed must be a SeedSequence"):
            run_claim(claims["C39"], PROFILES["quick"], 5)

    @pytest.mark.parametrize(
        "kwargs, pattern",
        [
            pytest.param(dict(chains=1), r"^chains must be an integer >= 2", id="chains-one"),
            pytest.param(dict(chains=10**7), r"^chains must be an integer in \[2, 1e\+06\] \(an interval", id="many"),
            pytest.param(dict(step_scale=1e308), r"^step_scale must be a finite real number in \(0, 1000\]", id="s"),
            pytest.param(dict(familywise=1.0), r"^familywise must be a finite real number in \(0, 1\)", id="fw"),
            pytest.param(dict(fixed_level=NAN), r"^fixed_level must be a finite real number in \(0, 1\)", id="lvl"),
            pytest.param(
                dict(experiment_chains=10**6), r"^experiment_chains must be an integer in \[2, 100000\]", id="e"
            ),
            pytest.param(dict(name=None), r"^name must be a non-empty str", id="name"),
        ],
    )
    def test_profile_fields_are_checked(self, kwargs, pattern):
        with pytest.raises((TypeError, ValueError), match=pattern):
            Profile(**{**dict(name="p", chains=8, step_scale=1.0), **kwargs})

    def test_claim_seed_names_its_arguments(self):
        with pytest.raises(TypeError, match=r"^claim_id must be a str"):
            claim_seed(None)
        with pytest.raises(ValueError, match=r"^entropy must be an integer in \[0, 2\*\*128 - 1\]"):
            claim_seed("C5", entropy=-1)

    def test_tolerance_of_names_claim_id_and_loads_the_registry(self):
        with pytest.raises(TypeError, match=r"^claim_id must be a str"):
            tolerance_of(["C12"])
        assert tolerance_of("C12") is load_claims()["C12"].tolerance

    def test_claim_checks_its_fields_before_registering(self):
        before = dict(CLAIMS)
        with pytest.raises(TypeError, match=r"^statement must be a str"):
            claim("P96", None, "src", "upper", not_checkable="reason")
        with pytest.raises(ValueError, match=r"^relation must be one of"):
            claim("P96", "s", "src", "bigger")  # the decorator form is checked at once, too
        assert CLAIMS == before
