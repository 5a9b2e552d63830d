# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 02 Expected drift at a critical point
#
# **Paper (Sec. 4, eqs. 11–12).** At a critical point $W^*$ ($\nabla f(W^*) = 0$), Analog SGD drifts:
#
# $$\mathbb{E}[W_{k+1}] - W_k = -\frac{\alpha}{\tau}\, \mathbb{E}|\varepsilon_k| \odot W_k = O(\alpha),$$
#
# while Tiki-Taka (with $P_k = 0$) drifts only
# $-\frac{\alpha\beta}{\tau}\, \mathbb{E}|\varepsilon_k| \odot W_k = O(\alpha\beta)$.
#
# **Toolkit.** `bounds.drift` derives the drift from the update rule; here a one-step Monte Carlo from
# $W_0 = W^*$ (`verify.claims.checks.drift.one_step_increments`, which runs `verify.sim.engine.simulate`)
# measures it, with a 95% interval, at two values of $\alpha$ and two of $\beta$.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from bounds import drift
from bounds.devices import AsymmetricLinearDevice
from bounds.drift import analog_sgd_drift, analog_sgd_drift_as_printed, tiki_taka_drift
from verify.claims.checks.drift import W_STAR, one_step_increments
from verify.sim.dynamics import AnalogSGD, TikiTaka
from verify.sim.noise import GaussianNoise
from verify.sim.stats import mean_ci

sp.init_printing()  # sympy expressions render as LaTeX in Jupyter
try:
    from IPython import get_ipython

    IN_JUPYTER = get_ipython() is not None
except ImportError:
    IN_JUPYTER = False
if IN_JUPYTER:
    from IPython.display import display
else:  # run as a plain script: sympy's text drawing
    display = sp.pprint

TAU, SIGMA, CHAINS = 1.0, 1.0, 200_000  # device bound, noise std per coordinate, Monte Carlo chains
noise = GaussianNoise(SIGMA)
law = noise.coordinate_law()
device = AsymmetricLinearDevice(TAU)
print("W* =", W_STAR, " E|eps| =", round(law.mean_abs(), 4))

# %% [markdown]
# ## The derived drift, for any zero-mean noise law
# Per coordinate, with gradient $g$, $h_{abs} = \mathbb{E}|g + \varepsilon|$ and the symmetric point $w_{sp}$
# (Analog SGD, then Tiki-Taka from $P_k = 0$); at a critical point $g = 0$ and $h_{abs} = \mathbb{E}|\varepsilon|$,
# which with $w_{sp} = 0$ gives the printed (11)–(12).

# %%
for name, quantity in (("Analog SGD", "analog_sgd"), ("Tiki-Taka, P_k = 0", "tiki_taka")):
    print(f"{name}: E[w_(k+1)] - w_k =")
    display(drift.structured(quantity))

# %%
rows = []
for i, alpha in enumerate((0.1, 0.05)):
    derived = float(np.mean([analog_sgd_drift(law, w, alpha=alpha, tau=TAU).value for w in W_STAR]))
    printed = float(np.mean([analog_sgd_drift_as_printed(law, w, alpha=alpha, tau=TAU).value for w in W_STAR]))
    est = mean_ci(one_step_increments(AnalogSGD(device, alpha), noise, chains=CHAINS, seed=i))
    rows.append(("Analog SGD", alpha, None, derived, printed, est))
for i, (alpha, beta) in enumerate(((0.1, 0.5), (0.05, 0.5), (0.1, 0.25))):
    derived = float(np.mean([tiki_taka_drift(law, w, alpha=alpha, beta=beta, tau=TAU).value for w in W_STAR]))
    est = mean_ci(one_step_increments(TikiTaka(device, alpha, beta), noise, chains=CHAINS, seed=10 + i))
    rows.append(("Tiki-Taka", alpha, beta, derived, None, est))
for name, alpha, beta, derived, _printed, est in rows:
    print(
        f"{name:10s} alpha={alpha:<5g} beta={beta if beta else '-':<5} derived {derived:+.5f}  "
        f"measured {est.mean:+.5f} [{est.low:+.5f}, {est.high:+.5f}]  covers derived: {est.covers(derived)}"
    )

# %% [markdown]
# ## Scaling
# The drift divided by $\alpha$ (Analog SGD) and by $\alpha\beta$ (Tiki-Taka) should not depend on the step sizes.

# %%
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for j, (_name, alpha, beta, derived, _printed, est) in enumerate(rows):
    unit = alpha * (beta or 1.0)
    ax.errorbar(j, est.mean / unit, yerr=[[(est.mean - est.low) / unit], [(est.high - est.mean) / unit]], fmt="o")
    ax.plot([j - 0.3, j + 0.3], [derived / unit] * 2, "k-")
labels = [f"{r[0]}\n" + rf"$\alpha$={r[1]:g}" + (rf", $\beta$={r[2]:g}" if r[2] else "") for r in rows]
ax.set_xticks(range(len(rows)), labels, fontsize=7)
ax.set_ylabel(r"drift / $\alpha$ (Tiki-Taka: / $\alpha\beta$)")
ax.set_title("one-step drift at $W^*$ (bars: 95% CI, lines: bounds.drift)")
plt.show()

# %% [markdown]
# **Finding.** Compare the measured one-step drift with the derived value in the `covers derived` column
# (five separate 95% intervals, so an occasional narrow miss is expected by chance alone). The drift is
# proportional to $\alpha$ for Analog SGD and to $\alpha\beta$ for Tiki-Taka, as eqs. (11)–(12) state; the
# Tiki-Taka drift is smaller by the factor $\beta$.
