"""The sympy symbols of the paper, created once with their assumptions.

Every symbolic result in ``bounds`` is written in these symbols, so expressions from
different modules combine and cancel without renaming.
"""

from __future__ import annotations

import sympy as sp

# weights, updates and gradients
w = sp.Symbol("w", real=True)                     #: one weight
dw = sp.Symbol("Delta_w", real=True)              #: a requested update Delta w
g = sp.Symbol("g", real=True)                     #: a gradient coordinate
eps = sp.Symbol("epsilon", real=True)             #: a noise coordinate
w_star = sp.Symbol("w_star", real=True)           #: a coordinate of the critical point W*

# device constants
tau = sp.Symbol("tau", positive=True)             #: ALD bound: the range is [w_sp - tau, w_sp + tau]
w_sp = sp.Symbol("w_sp", real=True)               #: symmetric point w_diamond, G(w_sp) = 0
tau_max = sp.Symbol("tau_max", real=True)         #: upper bound parameter (eqs. 21, 24-26)
tau_min = sp.Symbol("tau_min", real=True)         #: lower bound parameter (eqs. 21, 24-26)
gamma_plus = sp.Symbol("gamma_plus", positive=True)    #: up-step exponent (eqs. 24-26)
gamma_minus = sp.Symbol("gamma_minus", positive=True)  #: down-step exponent (eqs. 24-26)

# algorithm and problem constants
alpha = sp.Symbol("alpha", positive=True)         #: step size of W (Analog SGD, Tiki-Taka transfer)
beta = sp.Symbol("beta", positive=True)           #: step size of the auxiliary array P (Tiki-Taka)
sigma = sp.Symbol("sigma", positive=True)         #: noise level, E||eps||^2 <= sigma^2 (A3)
L = sp.Symbol("L", positive=True)                 #: smoothness constant (A1)
D = sp.Symbol("D", positive=True, integer=True)   #: number of weights

# saturation, noise-law and theorem constants
W_max = sp.Symbol("W_max", positive=True)         #: A4: ||W_k||_inf <= W_max < tau
P_max = sp.Symbol("P_max", positive=True)         #: Theorem 3: E||P_k||_inf^2 <= P_max^2
S_K = sp.Symbol("S_K", nonnegative=True)          #: amplification factor S_K of Theorem 1
K = sp.Symbol("K", positive=True, integer=True)   #: number of iterations
f_gap = sp.Symbol("Delta_f", positive=True)       #: initial gap f(W_0) - f*
c = sp.Symbol("c", positive=True)                 #: A5: E|g + eps_i| >= c sigma for every g
mu = sp.Symbol("mu", positive=True)               #: strong convexity constant (A6)
s = sp.Symbol("s", positive=True)                 #: per-coordinate noise scale (std or magnitude)
p = sp.Symbol("p", positive=True)                 #: probability of the up branch of the two-point law
x = sp.Symbol("x", real=True)                     #: a normalised weight w/tau (Lemma 3)
P = sp.Symbol("P", real=True)                     #: one coordinate of Tiki-Taka's auxiliary array
