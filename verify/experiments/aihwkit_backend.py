r"""The paper's least-squares scripts run in AIHWKit itself (optional: torch and aihwkit are imported only
inside the functions that need them, so this module imports without them; CI never installs AIHWKit).

A :class:`verify.experiments.scripts.Script` and one of its runs become the official script's loop
(``NeurIPS-2024/S1``, ``S2``, ``S3.2``, ``S3.3``): an ``AnalogLinear(D, 1)`` with its digital bias, the tile's
rpu_config from the run's :class:`verify.experiments.tile.TileConfig` (:func:`rpu_config`), ``AnalogSGD`` at the
run's learning rate, and per iteration k = 0..K

1. ``model.eval()``; the training loss ``c MSE`` from an analog forward over the N rows;
2. the logged value: ``c MSE / D`` from a second, noisy analog forward (``logged == "noisy"``, S1) or on a
   digital copy of the tile's weights and bias (``"exact"``, S2, S3.x);
3. unless k = K: ``model.train()``, ``zero_grad``, ``backward``, ``AnalogSGD.step()``.

:func:`run_script` returns the K + 1 logged values of one run, :func:`run_many` those of several seeds.
``torch.manual_seed(seed)`` fixes torch's draws only: AIHWKit's CPU simulator seeds its pulse and noise
generator from the clock, so two calls with the same seed differ within Monte Carlo error.

:func:`pulse_counts` measures the device-level law of one rank-one update (the pulse counts of every weight
for a single sample) on a tile whose bounds are so wide that every pulse is ``dw_min``.
"""

from __future__ import annotations

import importlib.util

import numpy as np

from bounds.validation import SEED_LIMIT, require_array, require_int, require_real

from ..sim.progress import ProgressBar
from .scripts import Run, Script
from .tile import TileConfig

__all__ = [
    "AIHWKitUnavailable",
    "AIHWKIT_VERSION",
    "TORCH_VERSION",
    "available",
    "unavailable_reason",
    "versions",
    "rpu_config",
    "run_script",
    "run_many",
    "pulse_counts",
]

#: the AIHWKit release whose semantics the toolkit's tile model follows (and the README's recipe installs)
AIHWKIT_VERSION = "1.1.0"
#: the torch release the recipe pairs with it
TORCH_VERSION = "2.10.0"

#: construction seed of the scripts' devices (irrelevant without device-to-device variation, kept as they set it)
CONSTRUCTION_SEED = 10
#: device bounds of :func:`pulse_counts`'s tile: wide enough that every pulse is dw_min (1 - w/1e6 ~ 1)
WIDE_BOUND = 1e6


class AIHWKitUnavailable(ImportError):
    """Raised where AIHWKit (or torch) is needed and missing; the message is :func:`unavailable_reason`."""


def _missing() -> list[str]:
    return [name for name in ("torch", "aihwkit") if importlib.util.find_spec(name) is None]


def available() -> bool:
    """Whether torch and aihwkit can be imported (found on the path; nothing is imported here)."""
    return not _missing()


def unavailable_reason() -> str:
    """One line saying why AIHWKit cannot be used here and how to install it ("" when it can)."""
    missing = _missing()
    if not missing:
        return ""
    return (
        f"AIHWKit is not installed (missing: {', '.join(missing)}): see the README's 'AIHWKit' recipe "
        f"(pip install torch=={TORCH_VERSION}; pip install --no-deps aihwkit=={AIHWKIT_VERSION} ...)"
    )


def _require():
    if not available():
        raise AIHWKitUnavailable(unavailable_reason())
    import torch

    return torch


def versions() -> dict[str, str]:
    """The installed aihwkit, torch and numpy versions (aihwkit and torch: "not installed" when missing)."""
    out = {}
    for name in ("aihwkit", "torch"):
        if importlib.util.find_spec(name) is None:
            out[name] = "not installed"
        else:
            out[name] = str(getattr(importlib.import_module(name), "__version__", "unknown"))
    out["numpy"] = np.__version__
    return out


# ---------------------------------------------------------------------------------------------
# the rpu_config
# ---------------------------------------------------------------------------------------------


def _check_expressible(tile: TileConfig) -> None:
    if not isinstance(tile, TileConfig):
        raise ValueError(f"tile must be a TileConfig, got {tile!r}")
    if not tile.pulsed:
        raise ValueError("tile.pulsed must be True: AIHWKit's pulsed SGD cannot apply the requested update exactly")
    if not tile.per_sample:
        raise ValueError("tile.per_sample must be True: AIHWKit always pulses one rank-one update per sample")


def _device(tau: float, dw_min: float):
    from aihwkit.simulator.configs.devices import SoftBoundsReferenceDevice

    return SoftBoundsReferenceDevice(
        construction_seed=CONSTRUCTION_SEED,
        dw_min=dw_min,
        dw_min_dtod=0.0,
        dw_min_dtod_log_normal=False,
        dw_min_std=0.0,
        write_noise_std=0.0,
        corrupt_devices_prob=0.0,
        corrupt_devices_range=0.0,
        up_down=0.0,
        up_down_dtod=0.0,
        slope_up_dtod=0.0,
        slope_down_dtod=0.0,
        reference_mean=0.0,
        reference_std=0.0,
        w_max=tau,
        w_min=-tau,
        w_max_dtod=0.0,
        w_min_dtod=0.0,
        reset_std=0.0,
        perfect_bias=False,
    )


def _io(tile: TileConfig):
    from aihwkit.simulator.configs import BoundManagementType, NoiseManagementType, WeightNoiseType
    from aihwkit.simulator.parameters import IOParameters

    managed = tile.noise_management == "abs_max"
    return IOParameters(
        is_perfect=False,
        inp_bound=tile.inp_bound,
        out_bound=tile.out_bound,
        w_noise=tile.w_noise,
        w_noise_type=WeightNoiseType.ADDITIVE_CONSTANT,
        inp_noise=0.0,
        out_noise=0.0,
        inp_res=0,
        out_res=0,
        ir_drop=0.0,
        v_offset_w_min=0.0,
        noise_management=NoiseManagementType.ABS_MAX if managed else NoiseManagementType.NONE,
        bound_management=BoundManagementType.ITERATIVE if managed else BoundManagementType.NONE,
    )


def rpu_config(tile: TileConfig):
    """The scripts' ``SingleRPUConfig`` for ``tile``: a ``SoftBoundsReferenceDevice`` (bounds +-tau, dw_min, no
    variation, reference 0), forward = backward IO (additive-constant weight noise, the bounds, no other
    non-ideality; noise/bound management NONE, or AIHWKit's defaults ABS_MAX/ITERATIVE for "abs_max"),
    ``desired_bl`` and ``sto_round=True``. Raises ValueError for a tile AIHWKit cannot express (``pulsed`` or
    ``per_sample`` False), :class:`AIHWKitUnavailable` when AIHWKit is missing."""
    _check_expressible(tile)
    _require()
    from aihwkit.simulator.configs import SingleRPUConfig

    config = SingleRPUConfig(device=_device(tile.tau, tile.dw_min))
    config.forward = _io(tile)
    config.backward = _io(tile)
    config.update.desired_bl = tile.desired_bl
    config.update.sto_round = True
    return config


# ---------------------------------------------------------------------------------------------
# a script's run
# ---------------------------------------------------------------------------------------------


def _steps(script: Script, steps) -> int:
    return script.steps if steps is None else require_int("steps", steps, low=1)


def run_script(script: Script, run: Run, seed: int, steps=None) -> np.ndarray:
    """The K + 1 logged losses (float64) of ``run`` trained in AIHWKit as the script's loop does (module doc),
    after ``torch.manual_seed(seed)``; ``steps`` replaces K."""
    if not isinstance(script, Script):
        raise ValueError(f"script must be a Script, got {script!r}")
    if not isinstance(run, Run):
        raise ValueError(f"run must be a Run, got {run!r}")
    seed = require_int("seed", seed, low=0, high=SEED_LIMIT)
    steps = _steps(script, steps)
    config = rpu_config(run.tile)
    torch = _require()
    from aihwkit.nn import AnalogLinear
    from aihwkit.optim import AnalogSGD

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    D, c = script.dim, script.loss_scale
    X = torch.tensor(script.inputs, dtype=torch.float32)
    Y = torch.tensor(script.targets, dtype=torch.float32)
    model = AnalogLinear(D, 1, bias=True, rpu_config=config)
    tile = next(iter(model.analog_tiles()))
    w0 = np.asarray(script.w0(run), dtype=np.float64)
    tile.set_weights(
        torch.tensor(w0[:D], dtype=torch.float32).reshape(1, D), torch.tensor(w0[D : D + 1], dtype=torch.float32)
    )
    optimizer = AnalogSGD(model.parameters(), lr=run.lr)
    optimizer.regroup_param_groups(model)
    mse = torch.nn.MSELoss()

    logged = np.empty(steps + 1)
    for k in range(steps + 1):
        model.eval()
        loss = c * mse(model(X).view(-1), Y)
        with torch.no_grad():
            if script.logged == "noisy":
                recorded = c * mse(model(X).view(-1), Y) / D
            else:
                weight, bias = tile.get_weights()
                recorded = c * mse((X @ weight.T + bias).view(-1), Y) / D
        logged[k] = float(recorded)
        if k == steps:
            break
        model.train()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return logged


def run_many(script: Script, run: Run, seeds, steps=None, progress: bool | None = None) -> np.ndarray:
    """:func:`run_script` for every torch seed in ``seeds``: an (S, K + 1) array (``progress`` as in
    :class:`verify.sim.progress.ProgressBar`)."""
    seeds = [require_int("seeds", s, low=0, high=SEED_LIMIT) for s in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    steps = _steps(script, steps)
    out = np.empty((len(seeds), steps + 1))
    with ProgressBar(len(seeds) * steps, f"AIHWKit {script.figure} {run.label}", "step", progress) as bar:
        for i, s in enumerate(seeds):
            out[i] = run_script(script, run, s, steps)
            bar.advance(steps)
    return out


# ---------------------------------------------------------------------------------------------
# device level: the pulse counts of one rank-one update
# ---------------------------------------------------------------------------------------------


def pulse_counts(x, d: float, lr: float, dw_min: float, desired_bl: int, trials: int, seed: int) -> np.ndarray:
    """The signed pulse counts ``rint(dW_j / dw_min)`` (a (trials, D) int array) of one AIHWKit update of a
    1 x D tile with input ``x`` (D,) and error ``d`` at learning rate ``lr``, each trial from W = 0, on a
    device with bounds +-1e6 (every pulse is dw_min) and no IO noise; ``torch.manual_seed(seed)`` first (the
    pulse trains themselves are seeded from the clock, module doc)."""
    x = require_array("x", x, ndim=1)
    if x.size < 1:
        raise ValueError("x must hold at least one input")
    d = require_real("d", d)
    lr = require_real("lr", lr, low=0.0, low_open=True)
    dw_min = require_real("dw_min", dw_min, low=0.0, low_open=True)
    desired_bl = require_int("desired_bl", desired_bl, low=1)
    trials = require_int("trials", trials, low=1)
    seed = require_int("seed", seed, low=0, high=SEED_LIMIT)
    config = rpu_config(TileConfig(tau=WIDE_BOUND, dw_min=dw_min, w_noise=0.0, desired_bl=desired_bl))
    torch = _require()
    from aihwkit.nn import AnalogLinear

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    D = x.size
    tile = next(iter(AnalogLinear(D, 1, bias=False, rpu_config=config).analog_tiles()))
    tile.set_learning_rate(lr)
    x_in = torch.tensor(x, dtype=torch.float32).reshape(1, D)
    d_in = torch.tensor([[d]], dtype=torch.float32)
    zero = torch.zeros(1, D)
    counts = np.empty((trials, D), dtype=np.int64)
    for i in range(trials):
        tile.set_weights(zero)
        tile.update(x_in, d_in)
        counts[i] = np.rint(tile.get_weights()[0].numpy().astype(np.float64).ravel() / dw_min)
    return counts
