"""The names of the evidence budgets (profiles) and the default root seed: what every command needs before it runs
anything, kept apart from the registry (which defines the profiles themselves) so that the command line starts
without importing the checks."""

from __future__ import annotations

__all__ = ["PROFILE_NAMES", "PAPER_NAMES", "DEFAULT_SEED"]

#: default root entropy of every command and of the Python API (``run_checks``, ``compare``): fixed, so the
#: ledger and every printed result are reproducible
DEFAULT_SEED = 20241212

#: the profiles of :data:`verify.claims.registry.PROFILES`: ``quick`` (the test suite and the default command) and
#: ``full`` (tighter intervals, longer runs)
PROFILE_NAMES = ("quick", "full")

#: the papers of :data:`verify.claims.registry.PAPERS`, whose claims the registry holds: ``wu2024`` (C-, P-claims)
#: and ``wu2025`` (R-claims)
PAPER_NAMES = ("wu2024", "wu2025")
