"""Every checked claim says what its two printed numbers are: ``Claim.quantity``, "<empirical> vs <theoretical>",
the caption of the empirical value (with its interval) and the theoretical one in ``python -m verify check``."""

from __future__ import annotations

import pytest

from verify.claims.registry import load_claims

#: the longest caption allowed (the table's column stays readable)
MAX_LENGTH = 120

CHECKED = [c for c in load_claims().values() if c.check is not None]


def test_every_checked_claim_is_listed():
    assert len(CHECKED) >= 50


@pytest.mark.parametrize("claim", CHECKED, ids=lambda c: c.id)
def test_quantity_names_both_numbers(claim):
    quantity = claim.quantity
    assert isinstance(quantity, str) and quantity.strip(), f"{claim.id}: no quantity"
    assert len(quantity) <= MAX_LENGTH, f"{claim.id}: quantity has {len(quantity)} > {MAX_LENGTH} characters"
    assert " vs " in quantity, f"{claim.id}: quantity must read '<empirical> vs <theoretical>': {quantity!r}"
    assert quantity == quantity.strip(), f"{claim.id}: quantity has leading or trailing blanks"
