"""Valid calls of bounds: analog_sgd, bounded_saturation, drift, tiki_taka, tiki_taka_asymptotics.

See :mod:`tests.strategies` for the contract each case is held to."""

from bounds import analog_sgd as A
from bounds import bounded_saturation as BS
from bounds import drift as DR
from bounds import symbols as S
from bounds import tiki_taka as T
from bounds import tiki_taka_asymptotics as TA
from bounds.noise_laws import GaussianLaw, RademacherLaw, TwoPointLaw
from tests.strategies import ApiCase


def _case(module, name: str, valid: dict, **kwargs) -> ApiCase:
    return ApiCase(f"{module.__name__}.{name}", getattr(module, name), valid, **kwargs)


def _symbolic(module, name: str) -> ApiCase:
    """A derivation without arguments: one call, its (sympy) result checked; one draw is enough."""
    return _case(module, name, {}, examples=1)


_TT = {"L": 1.0, "tau": 1.0, "D": 4, "sigma": 10.0, "c": 0.5}  # Tiki-Taka constants with c = 1/sqrt(D)
_LEMMA8 = {"gap": 1.0, "grad_sq": 0.5, "dw_sq": 1e-3, "track_sq": 0.1, "p_sq": 0.1, "alpha": 0.1}
_LEMMA8 |= {"L": 1.0, "tau": 1.0, "D": 1, "sigma": 1.0}

#: one valid call per public callable
CASES: list[ApiCase] = [
    # ---- analog_sgd -------------------------------------------------------------------------
    _case(A, "expect_noise", {"expr": (S.g + S.eps) ** 2}),
    _case(A, "telescope", {"one_step": A.derive_analog_sgd_step()["one_step"]}),
    _case(A, "theorem1_step_size", {"f_gap": 2.0, "L": 1.0, "sigma": 1.0, "K": 8}),
    _case(
        A,
        "theorem1_bound_as_stated",
        {"f_gap": 1.0, "L": 1.0, "sigma": 1.0, "tau": 2.0, "W_max": 1.0, "K": 100, "alpha": 0.25, "S_K": 0.5},
    ),
    _case(
        A,
        "theorem1_bound_derived",
        {
            "f_gap": 1.0,
            "L": 2.0,
            "sigma": 1.0,
            "tau": 1.0,
            "W_max": 0.5,
            "K": 10,
            "alpha": 0.25,
            "mean_saturation": 0.1,
        },
    ),
    _case(A, "theorem1_asymptotic_error_as_stated", {"sigma": 0.5, "tau": 1.0, "W_max": 0.5, "K": 10, "S_K": 1.0}),
    _case(A, "theorem1_asymptotic_error_derived", {"sigma": 1.0, "tau": 1.0, "W_max": 0.5, "mean_saturation": 0.1}),
    _case(A, "digital_sgd_bound", {"f_gap": 1.0, "L": 1.0, "sigma": 1.0, "K": 4, "alpha": 0.5}),
    _case(A, "digital_sgd_bound_derived", {"f_gap": 1.0, "L": 2.0, "sigma": 1.0, "K": 4, "alpha": 0.5}),
    _case(A, "theorem9_bound_as_stated", {"f_gap": 1.0, "L": 1.0, "tau": 2.0, "W_max": 1.0, "K": 2, "alpha": 0.5}),
    _case(A, "theorem9_bound_derived", {"f_gap": 1.0, "L": 1.0, "tau": 2.0, "W_max": 1.0, "K": 2, "alpha": 0.5}),
    # ---- bounded_saturation -----------------------------------------------------------------
    _case(BS, "theorem5_bound_as_stated", {"L": 1.0, "mu": 1.0, "W0": [0.3, 0.0], "W_star": [0.0, 0.4]}),
    _case(
        BS,
        "theorem5_bound_derived",
        {"L": 4.0, "mu": 1.0, "W0": [0.3], "W_star": [0.0], "tau": 1.0, "alpha": 0.25},
    ),
    _case(BS, "theorem6_bound_as_stated", {"w0": 0.5, "w_star": 0.1, "L": 1.0, "alpha": 0.25}),
    _case(BS, "theorem6_bound_derived", {"w0": 0.5, "w_star": 0.1, "L": 1.0, "alpha": 0.25, "tau": 1.0}),
    _case(BS, "theorem7_bound_as_stated", {"L": 1.0, "mu": 1.0, "W0": [0.0], "W_star_samples": [[0.1], [-0.3]]}),
    _case(BS, "theorem8_bound_as_stated", {"w0": 0.2, "w_star_samples": [-0.1, 0.4], "L": 1.0, "alpha": 0.5}),
    _case(BS, "theorem8_bound_derived", {"w0": 0.2, "w_star_samples": [-0.1, 0.4], "L": 1.0, "alpha": 0.5, "tau": 1.0}),
    # ---- drift ------------------------------------------------------------------------------
    _symbolic(DR, "analog_sgd_step_expression"),
    _symbolic(DR, "tiki_taka_p_step_expression"),
    _case(DR, "tiki_taka_w_step_expression", {"p_next": S.beta * (S.g + S.eps)}),
    _case(DR, "analog_sgd_drift_expression", {"law": GaussianLaw(1.0)}),
    _case(DR, "tiki_taka_drift_expression", {"law": RademacherLaw(0.5)}),
    _case(DR, "tiki_taka_p_mean_expression", {"law": TwoPointLaw(1.0, 0.3)}),
    _case(DR, "structured", {"quantity": "analog_sgd", "law": RademacherLaw(1.0)}),
    _case(
        DR,
        "analog_sgd_drift",
        {"law": GaussianLaw(1.0), "w": 0.5, "alpha": 0.2, "tau": 1.0, "g": 0.3, "w_sp": 0.1},
    ),
    _case(DR, "analog_sgd_drift_as_printed", {"law": GaussianLaw(0.3), "w": 0.4, "alpha": 0.1, "tau": 2.0}),
    _case(
        DR,
        "tiki_taka_drift",
        {"law": TwoPointLaw(1.0, 0.3), "w": 0.5, "alpha": 0.1, "beta": 0.5, "tau": 1.0, "g": 0.2, "w_sp": 0.1},
    ),
    _case(
        DR,
        "tiki_taka_drift_as_printed",
        {"law": RademacherLaw(2.0), "w": 0.3, "alpha": 0.1, "beta": 0.2, "tau": 1.0},
    ),
    _case(DR, "tiki_taka_p_mean", {"law": RademacherLaw(1.0), "P": 0.5, "beta": 0.1, "tau": 1.0, "g": 0.2}),
    _case(DR, "tiki_taka_p_mean_as_printed", {"law": GaussianLaw(0.5), "P": -0.2, "beta": 0.3, "tau": 1.0}),
    # ---- tiki_taka: derivations -------------------------------------------------------------
    *(
        _symbolic(T, name)
        for name in (
            "derive_alpha_thresholds",
            "derive_descent_sign",
            "derive_lemma7_chain",
            "derive_lemma7_iterate",
            "derive_lemma7_negative_contraction",
            "derive_lemma8_slack",
            "derive_p_max_fixed_point",
            "derive_rademacher_next_p_inf_sq",
            "derive_rate_constant",
            "derive_sigma_threshold",
        )
    ),
    # ---- tiki_taka: numbers and conditions --------------------------------------------------
    _case(T, "c_max", {"D": 4}),
    _case(T, "a5_consistency", {"c": 0.5, "D": 4}),
    _case(T, "lemma6_conditions", {"beta": 1e-3, "L": 1.0, "tau": 1.0, "sigma": 1.0, "c": 0.5}),
    _case(T, "lemma7_conditions", {"beta": 1e-3, **_TT}),
    _case(T, "window_conditions", {"alpha": 1e-4, "beta": 3.2e-5, **_TT}),
    _case(T, "beta_statement", {"alpha": 0.5, "L": 0.25}),
    _case(T, "beta_proof", {"alpha": 0.5, "L": 0.25, "tau": 1.0, "D": 4, "sigma": 2.0}),
    _case(T, "p_max_sq", {"L": 1.0, "tau": 1.0, "D": 100, "sigma": 1e4, "c": 0.1}),
    _case(T, "lemma7_iterate", {"k": 3, "beta": 0.01, "L": 1.0, "tau": 1.0, "D": 1, "sigma": 1.0, "c": 1.0}),
    _case(T, "lemma7_chain_beta_max", {"L": 1.0, "tau": 1.0, "D": 3, "sigma": 1.0, "c": 0.5}),
    _case(T, "lemma7_p_max", {"beta": 1e-9, **_TT, "L": 1e-3}),
    _case(T, "lemma7_p_max_derived", {"beta": 1e-9, **_TT, "L": 1e-3}),
    _case(T, "lemma7_step", {"p_inf_sq": 0.1, "beta": 1e-9, **_TT, "L": 1e-3}),
    _case(T, "rademacher_next_p_inf_sq", {"p": 0.5, "beta": 0.1, "tau": 1.0, "D": 1, "sigma": 1.0}),
    _case(
        T,
        "lemma5_step",
        {"track_sq": 0.1, "dw_sq": 0.01, "p_sq": 0.2, "p_inf_sq": 0.1, "grad_sq": 0.3, "beta": 0.1}
        | {"L": 1.0, "tau": 1.0, "D": 2, "sigma": 1.0},
    ),
    _case(T, "lemma6_step", {"p_sq": 0.1, "grad_sq": 0.1, "dw_sq": 0.01, "beta": 1e-3, **_TT, "sigma": 1.0}),
    _case(T, "lemma8_step", dict(_LEMMA8)),
    _case(T, "lemma8_step_derived", {**_LEMMA8, "w_inf": 0.5}),
    _case(T, "lemma8_min_slack", {"p": 1.0, "w": 0.5, "alpha": 0.1, "tau": 1.0, "D": 1, "sigma": 1.0}),
    _case(T, "saturation_ratio", {"L": 1.0, "tau": 1.0, "D": 1, "sigma": 40.0, "c": 1.0}),
    _case(T, "rate_factor", {"L": 1.0, "tau": 1.0, "D": 1, "sigma": 80.0, "c": 1.0}),
    _case(T, "sigma_sq_threshold", {"L": 1.0, "tau": 1.0, "D": 1, "c": 1.0}),
    _case(T, "descent_coefficient", {"L": 1e-3, "tau": 1.0, "D": 100, "sigma": 1.0, "c": 0.1}),
    _case(T, "noise_factor", {"D": 4, "c": 0.5}),
    _case(T, "alpha_thresholds", dict(_TT)),
    _case(T, "alpha_max", dict(_TT)),
    _case(T, "alpha_optimal", {"V0": 136.0, "K": 1, "L": 1.0, "tau": 1.0, "D": 1, "c": 1.0}),
    _case(T, "alpha_proof_139", {"V0": 17.0, "K": 1, "L": 1.0, "D": 1, "sigma": 1.0, "c": 1.0}),
    # c^2 D = 256 > 128: the descent condition (138) holds, so the terms are computed
    _case(
        T,
        "theorem3_rate_from_proof",
        {"K": 100, "V0": 1.0, "alpha": 1e-4, "L": 1e-9, "tau": 1.0, "D": 256, "sigma": 1.0, "c": 1.0, "beta": None},
    ),
    _case(
        T,
        "theorem3_rate_as_stated",
        {"K": 100, "f_gap": 1.0, **_TT, "L": 1e-3, "alpha": 1e-4, "beta": None},
    ),
    # ---- tiki_taka_asymptotics ----------------------------------------------------------------
    _symbolic(TA, "critical_point_mean_map"),
    _case(TA, "stationary_p_second_moment", {"law": GaussianLaw(1.0), "beta": 0.01, "tau": 1.0}),
    _case(
        TA,
        "stationary_w_drift",
        {"law": RademacherLaw(1.0), "w": 0.3, "alpha": 0.01, "beta": 0.1, "tau": 1.0, "w_sp": 0.1},
    ),
    _case(
        TA,
        "tiki_taka_floor",
        {"law": GaussianLaw(1.0), "L": 1.0, "w_star": 0.5, "alpha": 0.01, "beta": 0.1, "tau": 1.0, "w_sp": 0.0},
    ),
    # ---- derivations cached with functools.cache --------------------------------------------
    _case(A, "derive_analog_sgd_step", {"noise": True}, examples=3),
    _symbolic(A, "derive_digital_sgd_step"),
    _symbolic(TA, "derive_floor"),
    _symbolic(TA, "derive_p_second_moment"),
]
#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {}
