"""Valid calls of the 2025 paper's theorems and proof steps (bounds.response_theory).

See :mod:`tests.strategies` for the contract each case is held to."""

from bounds import response_theory as RT
from tests.strategies import ApiCase


def _case(name: str, valid: dict, **kwargs) -> ApiCase:
    return ApiCase(f"{RT.__name__}.{name}", getattr(RT, name), valid, **kwargs)


_SGD = {"f_gap": 1.0, "L": 1.0, "sigma": 1.0, "F_max": 1.0, "K": 100}
_GD = {"f_gap": 1.0, "L": 2.0, "F_max": 1.5, "K": 7}
_RESIDUAL = {"mu": 1.0, "gamma": 0.5, "F_max": 1.0, "R_min_W": 1.0, "R_min_P": 0.9}
_LEMMA3 = {"F": 1.0, "G": 0.5, "dw": 0.0, "dw_prime": -1.0}
_ALIASES = {"f_gap": ("Delta_f",), "S_asgd": ("S_ASGD",), "R_min_P": ("R_RL_min",), "R_min_W": ("R_W",)}

#: one valid call per public callable
CASES: list[ApiCase] = [
    _case("theorem2_step_size", _SGD, aliases=_ALIASES),
    _case("theorem2_bound", {**_SGD, "S_asgd": 0.1, "alpha": None}, aliases=_ALIASES),
    _case(
        "theorem2_one_step",
        {"grad": -0.2, "F": 1.0, "G": 0.6, "sigma": 0.5, "alpha": 0.2, "L": 1.0, "F_max": 1.0},
        aliases={"grad": ("g",), "sigma": ("s",)},
    ),
    _case("remark1_bound", {**_SGD, "R_min": 0.75, "S_ratio": 0.2, "alpha": 0.01}, aliases=_ALIASES),
    _case("theorem6_bound", _GD, aliases=_ALIASES),
    _case("theorem6_bound_derived", {**_GD, "alpha": 0.1}, aliases=_ALIASES),
    _case("theorem6_gradient_bound", {**_GD, "R_min": 0.5}, aliases=_ALIASES),
    _case("theorem6_gradient_bound_derived", {**_GD, "R_min": 0.5, "alpha": 0.2}, aliases=_ALIASES),
    _case("theorem3_beta", {"alpha": 0.01, **_RESIDUAL}, aliases=_ALIASES),
    _case(
        "theorem3_bound",
        {"f_gap": 1.0, "L": 1.0, "sigma": 1.0, **_RESIDUAL, "K": 10**6, "S_rl": 0.1},
        aliases={**_ALIASES, "S_rl": ("S_RL",), "sigma": ("V0",), "K": ("V0",)},
    ),
    _case("corollary1_gamma_threshold", {"R_min": 0.5}),
    _case("lemma3_increment_difference", _LEMMA3),
    _case("lemma3_bound", {**_LEMMA3, "F_max": 1.0}, aliases={"F_max": ("F_max",), "dw": ("Delta_w",)}),
    _case("lemma3_bound_derived", _LEMMA3, aliases={"dw": ("Delta_w",), "dw_prime": ("Delta_w_prime",)}),
]
#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {}
