"""The sympy symbols of the paper, created once with their assumptions.

Every symbolic result in ``bounds`` is written in these symbols, so expressions from
different modules combine and cancel without renaming.
"""

from __future__ import annotations

import sympy as sp

# weights, updates and gradients
w = sp.Symbol("w", real=True)  #: one weight
dw = sp.Symbol("Delta_w", real=True)  #: a requested update Delta w
g = sp.Symbol("g", real=True)  #: a gradient coordinate
eps = sp.Symbol("epsilon", real=True)  #: a noise coordinate
w_star = sp.Symbol("w_star", real=True)  #: a coordinate of the critical point W*

# device constants
tau = sp.Symbol("tau", positive=True)  #: ALD bound: the range is [w_sp - tau, w_sp + tau]
w_sp = sp.Symbol("w_sp", real=True)  #: symmetric point w_diamond, G(w_sp) = 0
tau_max = sp.Symbol("tau_max", real=True)  #: upper bound parameter (eqs. 21, 24-26)
tau_min = sp.Symbol("tau_min", real=True)  #: lower bound parameter (eqs. 21, 24-26)
gamma_plus = sp.Symbol("gamma_plus", positive=True)  #: up-step exponent (eqs. 24-26)
gamma_minus = sp.Symbol("gamma_minus", positive=True)  #: down-step exponent (eqs. 24-26)

# algorithm and problem constants
alpha = sp.Symbol("alpha", positive=True)  #: step size of W (Analog SGD, Tiki-Taka transfer)
beta = sp.Symbol("beta", positive=True)  #: step size of the auxiliary array P (Tiki-Taka)
sigma = sp.Symbol("sigma", positive=True)  #: noise level, E||eps||^2 <= sigma^2 (A3)
L = sp.Symbol("L", positive=True)  #: smoothness constant (A1)
D = sp.Symbol("D", positive=True, integer=True)  #: number of weights

# saturation, noise-law and theorem constants
W_max = sp.Symbol("W_max", positive=True)  #: A4: ||W_k||_inf <= W_max < tau
P_max = sp.Symbol("P_max", positive=True)  #: Theorem 3: E||P_k||_inf^2 <= P_max^2
S_K = sp.Symbol("S_K", nonnegative=True)  #: amplification factor S_K of Theorem 1
K = sp.Symbol("K", positive=True, integer=True)  #: number of iterations
f_gap = sp.Symbol("Delta_f", positive=True)  #: initial gap f(W_0) - f*
c = sp.Symbol("c", positive=True)  #: A5: E|g + eps_i| >= c sigma for every g
mu = sp.Symbol("mu", positive=True)  #: strong convexity constant (A6)
s = sp.Symbol("s", positive=True)  #: per-coordinate noise scale (std or magnitude)
p = sp.Symbol("p", positive=True)  #: probability of the up branch of the two-point law
x = sp.Symbol("x", real=True)  #: a normalised weight w/tau (Lemma 3)
P = sp.Symbol("P", real=True)  #: one coordinate of Tiki-Taka's auxiliary array

# ---- noise-law expectations and drift (bounds/noise_laws.py, bounds/drift.py) ----
q = sp.Symbol("q", positive=True)  #: 1 - p, probability of the down branch of the two-point law
m_abs = sp.Symbol("m_abs", nonnegative=True)  #: E|eps_i|, the mean absolute noise of one coordinate
h_abs = sp.Symbol("h_abs", nonnegative=True)  #: E|g + eps_i|, the mean absolute stochastic gradient
E_abs = sp.Function("E_abs")  #: g -> E|g + eps_i| of an unspecified zero-mean law

# ---- Tiki-Taka lemmas 5-8 and Theorem 3 (bounds/tiki_taka.py) ----
tt_P_sq = sp.Symbol("P_sq", nonnegative=True)  #: ||P_{k+1}||^2
tt_P_inf_sq = sp.Symbol("P_inf_sq", nonnegative=True)  #: ||P_{k+1}||_inf^2
tt_grad_sq = sp.Symbol("grad_sq", nonnegative=True)  #: ||grad f(W_k)||^2
tt_dW_sq = sp.Symbol("dW_sq", nonnegative=True)  #: ||W_{k+1} - W_k||^2
tt_track_sq = sp.Symbol("track_sq", nonnegative=True)  #: ||P_{k+1} - (tau sqrt(D)/sigma) grad f(W_k)||^2
tt_gap = sp.Symbol("gap_k", nonnegative=True)  #: f(W_k) - f*
tt_V0 = sp.Symbol("V_0", positive=True)  #: the Lyapunov function (133) at k = 0
tt_u = sp.Symbol("u", nonnegative=True)  #: proof variable: c sqrt(D) = 1/(1 + u) spans (0, 1]

# ---- Analog SGD / digital SGD / Analog GD bounds and bounded saturation
# ---- (bounds/analog_sgd.py, bounds/bounded_saturation.py) ----
sgd_r_bar = sp.Symbol("r_bar", nonnegative=True)  #: (1/K) sum_{k<K} E||W_k||_inf^2 / tau^2, mean saturation
sgd_W_inf = sp.Symbol("W_inf", nonnegative=True)  #: ||W_k||_inf at one step
sgd_grad_sq = sp.Symbol("grad_sq", nonnegative=True)  #: ||grad f(W_k)||^2 at one step
sgd_step = sp.Symbol("d_k", real=True)  #: one coordinate of W_{k+1} - W_k (derivations)
bs_w0 = sp.Symbol("w_0", real=True)  #: scalar initial weight (Theorems 6, 8)
bs_R0 = sp.Symbol("R_0", nonnegative=True)  #: ||W_0 - W*||_2 (Thm 5); sup_xi ||W_0 - W*_xi||_2 (Thm 7)
bs_Ws_inf = sp.Symbol("W_star_inf", nonnegative=True)  #: ||W*||_inf (Thm 5); sup_xi ||W*_xi||_inf (Thm 7)
bs_ws_lo = sp.Symbol("w_star_lo", real=True)  #: inf_xi w*_xi (Theorem 8)
bs_ws_hi = sp.Symbol("w_star_hi", real=True)  #: sup_xi w*_xi (Theorem 8)

# ---- lower-bound construction: Theorem 2 (arXiv v1 Theorem 3), Lemmas 2-4, App. G.2 (bounds/lower_bound.py) ----
lb_q = sp.Symbol("q_lb", positive=True)  #: 1 - p, the down branch's probability (a symbol of its own so sqrt splits)
lb_u = sp.Symbol("u_lb", positive=True)  #: g_+(x) = sqrt((1 + x)/(1 - x)); rationalises the two-point law
lb_r = sp.Symbol("r_lb", nonnegative=True)  #: ||W||_inf^2/tau^2 at the instance's stationary point (eqs. 99-101)
lb_c = sp.Symbol(
    "c_lb", positive=True
)  #: sqrt(1 - x^2) at the stationary point, x = w_bar/tau (reduction modulo c^2 = 1 - x^2)
lb_eta = sp.Symbol("eta_lb", positive=True)  #: noise-to-curvature ratio sigma/(sqrt(D) L tau) of the instance

# ---- Tiki-Taka (bounds/tiki_taka.py), continued ----
tt_k = sp.Symbol("k", integer=True, nonnegative=True)  #: iteration index of the Lemma 7 recursion (rsolve)
