# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 07 Response functions and the implicit penalty
#
# **Paper (2502.06309, §2–§3.1, App. G).** A device is its two response functions $q_+(w)$, $q_-(w)$ on a
# range $[\tau_{\min}, \tau_{\max}]$. From them: $F = (q_- + q_+)/2$, $G = (q_- - q_+)/2$, the ratio
# $R = G/F$, its antiderivative $R_c$ (42), the saturation vector $q_+ q_-$, and the symmetric point
# $w_\diamond$ with $G(w_\diamond) = 0$. Theorem 1 says Analog SGD implicitly minimises
#
# $$f_\Sigma(w) = f(w) + \Sigma\, R_c(w), \qquad \Sigma = \mathbb{E}|\varepsilon|,$$
#
# and Theorem 5 gives a closed-form linearisation $W_S$ of its minimiser (50).
#
# **Toolkit.** `bounds.devices.define_device` makes a device from ONE definition of $q_+$ and $q_-$;
# `bounds.response` does the calculus and the implicit penalty; `verify.sim.engine.simulate` measures where
# Analog SGD actually settles.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from bounds import symbols as S
from bounds.devices import define_device
from bounds.noise_laws import GaussianLaw, RademacherLaw
from bounds.response import (
    accumulated_asymmetry,
    box_extrema,
    definition1,
    implicit_penalty,
    response_expressions,
    symmetric_point,
)
from verify.claims.checks.response_devices import AnalogSGDMean
from verify.sim.engine import simulate
from verify.sim.noise import GaussianNoise, RademacherNoise
from verify.sim.problems import scalar_quadratic
from verify.sim.stats import fit_estimates

sp.init_printing()
try:
    from IPython import get_ipython

    IN_JUPYTER = get_ipython() is not None
except ImportError:
    IN_JUPYTER = False
if IN_JUPYTER:
    from IPython.display import display
else:  # run as a plain script: sympy's text drawing
    display = sp.pprint

# %% [markdown]
# ## A new device in one definition
# A power response with a bias $c$ (a blend of the paper's (144) and its linear device with $c_{Lin}$):
# $q_+(w) = (1 + c)(1 - w/\tau)^2$, $q_-(w) = (1 - c)(1 + w/\tau)^2$ on $[-\tau, \tau]$, with $|c| < 1$.
# Nothing else is written: the numeric twins, the update, the engine path and the calculus follow.

# %%
c = sp.Symbol("c", real=True)
BiasedPower = define_device(
    "BiasedPower",
    (1 + c) * (1 - S.w / S.tau) ** 2,
    (1 - c) * (1 + S.w / S.tau) ** 2,
    {"tau": S.tau, "c": c},
    -S.tau,
    S.tau,
    constraints=(sp.Abs(c) < 1,),
)
device = BiasedPower(tau=1.0, c=0.2)
print(device, "range", (device.w_min, device.w_max))
print("update from w = 0.5 by +0.1 and -0.1:", float(device.update(0.5, 0.1)), float(device.update(0.5, -0.1)))

# %% [markdown]
# ## $F$, $G$, $R$, $R_c$ and the symmetric point
# Symbolically for the class (in $\tau$ and $c$), exactly for the instance ($c = 1/5$). The symmetric point
# solves $(1 + c)(1 - u)^2 = (1 - c)(1 + u)^2$, $u = w/\tau$: $u = (1 - r)/(1 + r)$ with
# $r = \sqrt{(1 - c)/(1 + c)}$.

# %%
e = response_expressions(BiasedPower)
display(sp.factor(e.G))
display(sp.simplify(e.R))
ei = response_expressions(device)
Rc = accumulated_asymmetry(device)  # int_{w_min}^{w} R, sympy, checked by differentiating back
display(sp.simplify(Rc))
r = np.sqrt((1 - 0.2) / (1 + 0.2))
print("symmetric point: solver", symmetric_point(device), " closed form", (1 - r) / (1 + r))
print("Definition 1 holds:", definition1(device).holds)
print(box_extrema(device, -0.5, 0.5))

# %%
w = np.linspace(-0.99, 0.99, 400)
Rc_num = sp.lambdify(S.w, Rc, "numpy")
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for name in ("q_plus", "q_minus", "F", "G"):
    axes[0].plot(w, getattr(device, name)(w), label=name)
axes[0].axvline(symmetric_point(device), color="k", lw=0.6, ls=":")
axes[0].set(xlabel="$w$", title="response functions, $F$, $G$")
axes[0].legend()
axes[1].plot(w, Rc_num(w), label="$R_c(w)$")
axes[1].axvline(symmetric_point(device), color="k", lw=0.6, ls=":", label=r"$w_\diamond$")
axes[1].set(xlabel="$w$", title="the penalty's shape $R_c$ (minimal at $w_\\diamond$)")
axes[1].legend()
plt.show()

# %% [markdown]
# ## The implicit penalty against Monte Carlo
# For $f = \frac{L}{2}(w - w^*)^2$ with $w^* = w_\diamond + 0.3$: (a) the exact point where Analog SGD settles
# as $\alpha \to 0$ (the root of its mean update), (b) the minimiser of $f_\Sigma$, (c) $W_S$ with the sign the
# derivation gives and as printed in (50). Then the long-run mean of $w$ measured at three step sizes and
# extrapolated to $\alpha \to 0$ (a line in $\alpha$, 99% intervals).

# %%
L, S_NOISE, CHAINS = 1.0, 0.3, 400
w_star = symmetric_point(device) + 0.3
rows = []
for law, noise in ((GaussianLaw(S_NOISE), GaussianNoise(S_NOISE)), (RademacherLaw(S_NOISE), RademacherNoise(S_NOISE))):
    p = implicit_penalty(device, law, L, w_star)
    rate = -p.asymptotics.derivative
    ests = []
    for j, alpha in enumerate((0.04, 0.02, 0.01)):
        burn, n = int(5 / (alpha * rate)), int(20 / (alpha * rate))
        res = simulate(
            scalar_quadratic(L, w_star, p.stationary),
            AnalogSGDMean(device, alpha),
            noise,
            steps=burn + n,
            chains=CHAINS,
            seed=j,
            windows={"tail": (burn, burn + n)},
            progress=False,
        )
        ests.append(res.estimate("w", "tail", 0.99))
    line = fit_estimates([0.04, 0.02, 0.01], ests, 1, 0.99)
    mc = line.coefficients[0]
    half = 2.576 * float(np.sqrt(line.covariance[0, 0]))
    rows.append((law, p, mc, half))
    print(f"{law!r}: Sigma = {p.Sigma:.4f}")
    print(f"   (a) exact stationary point     {p.stationary:.5f}")
    print(f"   Monte Carlo, alpha -> 0        {mc:.5f} +- {half:.5f}")
    print(f"   (b) minimiser of f_Sigma       {p.penalised:.5f}")
    print(f"   (c) W_S, derived signs         {p.linearised:.5f}")
    print(f"   (c) W_S as printed (50)        {p.linearised_printed:.5f}")
    print(f"   w* = {w_star:.5f}, w_sym = {p.w_sym:.5f}")

# %% [markdown]
# The Monte Carlo agrees with (a) within its interval for both laws. (b) is exact for Rademacher noise
# ($\mathbb{E}|g + \varepsilon| = \Sigma$ while $|g| \le s$) and close for Gaussian noise; (c) with the derived
# signs is within $O((w^* - w_\diamond)^2)$; (50) as printed pushes $W_S$ away from $w_\diamond$ (claims R14a–c).

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.5), layout="constrained")
for i, (_law, p, mc, half) in enumerate(rows):
    ax.errorbar([mc], [i + 0.15], xerr=[half], fmt="ko", label="Monte Carlo" if i == 0 else None)
    ax.scatter([p.stationary], [i], marker="x", color="C0", label="(a) exact" if i == 0 else None)
    ax.scatter([p.penalised], [i - 0.1], marker="s", color="C1", label="(b) $f_\\Sigma$ minimiser" if i == 0 else None)
    ax.scatter([p.linearised], [i - 0.2], marker="^", color="C2", label="(c) $W_S$ derived" if i == 0 else None)
    ax.scatter([p.linearised_printed], [i - 0.3], marker="v", color="C3", label="(50) as printed" if i == 0 else None)
ax.axvline(w_star, color="k", lw=0.6, ls="--", label="$w^*$")
ax.axvline(rows[0][1].w_sym, color="k", lw=0.6, ls=":", label=r"$w_\diamond$")
ax.set(yticks=[0, 1], yticklabels=["Gaussian", "Rademacher"], xlabel="$w$", title="where Analog SGD settles")
ax.legend(fontsize=7, loc="upper right")
plt.show()
