"""The named choices of ``compare`` (its algorithms, problems and noise laws), apart from the computation so that
the command line can offer them without importing the numerics."""

__all__ = ["ALGORITHMS", "PROBLEMS", "NOISES"]

ALGORITHMS = ("digital-sgd", "analog-sgd", "tiki-taka", "pulsed-sgd")
PROBLEMS = ("least-squares", "scalar", "theorem2")
NOISES = ("gaussian", "rademacher", "two-point")
