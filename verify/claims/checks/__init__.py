"""Claim checks, one module per theme; each registers its claims with :func:`verify.claims.claim`."""
