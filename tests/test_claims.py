"""The claim registry as a battery of theorem checks (quick profile), tested for properties, not pinned output.

One test per claim, its node id naming the claim: the check runs and returns a well-formed result that names its
model and registered tolerance, builds its intervals at (at least) the family level, and its control has power: a
confirmed claim rejects the nearest wrong statement, a refuted claim confirms its corrected statement (and is an
erratum exactly when the registry names its intended statement). Verdicts are not frozen here: whether
``paper_checks.md`` is in step with the code is ``python -m verify ledger --check``'s job (run by CI). A claim the
evidence refutes is reported as XFAIL with the measured numbers, after every property has passed.
"""

from __future__ import annotations

import json
import math
import re

import pytest

from verify.claims import PROFILES, claim_seed, load_claims, run_claim
from verify.claims.registry import PAPERS, paper_of
from verify.claims.verdicts import VERDICTS, family_level

CLAIMS = load_claims()
QUICK = PROFILES["quick"]


def test_registry_holds_c1_to_c46_then_our_own():
    """C1..C46 in order (a split claim as C14a, C14b, ... with consecutive letters), then P1, P2, ..."""
    paper = [i for i in CLAIMS if i.startswith("C")]
    numbers = [int(re.fullmatch(r"C(\d+)[a-h]?", i).group(1)) for i in paper]
    assert sorted(set(numbers)) == list(range(1, 47)) and numbers == sorted(numbers), paper
    for n in set(numbers):
        parts = [i.removeprefix(f"C{n}") for i in paper if re.fullmatch(rf"C{n}[a-h]?", i)]
        assert parts == [""] or parts == [chr(ord("a") + k) for k in range(len(parts))], (n, parts)
    ours = [i for i in CLAIMS if i.startswith("P")]
    assert ours == [f"P{i}" for i in range(1, len(ours) + 1)], ours
    later = [i for i in CLAIMS if not i.startswith(("C", "P"))]
    assert list(CLAIMS) == paper + ours + later


def test_the_2025_paper_claims_follow_its_digest_numbering():
    """R1..R64 of docs/papers/wu2025_response_functions.md section 7, in order, split claims with consecutive
    letters; every claim id names its paper."""
    ids = [i for i in CLAIMS if i.startswith("R")]
    numbers = [int(re.fullmatch(r"R(\d+)[a-h]?", i).group(1)) for i in ids]
    assert numbers == sorted(numbers) and set(numbers) <= set(range(1, 65)), ids
    for n in set(numbers):
        parts = [i.removeprefix(f"R{n}") for i in ids if re.fullmatch(rf"R{n}[a-h]?", i)]
        assert parts == [""] or parts == [chr(ord("a") + k) for k in range(len(parts))], (n, parts)
    assert {paper_of(i) for i in ids} <= {"wu2025"}
    assert {paper_of(i) for i in CLAIMS if i[0] in "CP"} == {"wu2024"}


@pytest.mark.parametrize("name", list(PROFILES))
@pytest.mark.parametrize("paper", list(PAPERS))
def test_profile_level_is_the_family_level_over_each_papers_claims(name, paper):
    count = sum(paper_of(i) == paper for i in CLAIMS)
    assert PROFILES[name].level_for(paper) == family_level(max(count, 1), PROFILES[name].familywise)


def _summary(result) -> str:
    def num(x):
        return "-" if x is None else f"{x:.4g}"

    return (
        f"{result.id} {result.verdict} on {result.model}: empirical {num(result.empirical)} [{num(result.ci_low)}, "
        f"{num(result.ci_high)}] vs theoretical {num(result.theoretical)}; {result.details.get('supports', '')}"
    )


def _levels(value):
    """Every interval level recorded anywhere in a result's details."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "level" and isinstance(item, float):
                yield item
            else:
                yield from _levels(item)
    elif isinstance(value, list):
        for item in value:
            yield from _levels(item)


@pytest.mark.parametrize("claim_id", list(CLAIMS))
def test_claim(claim_id):
    claim = CLAIMS[claim_id]
    result = run_claim(claim, QUICK, claim_seed(claim_id))

    # well formed, with its model and tolerance
    assert result.id == claim_id and result.relation == claim.relation and result.verdict in VERDICTS
    json.dumps(result.to_json())
    for value in (result.empirical, result.ci_low, result.ci_high, result.theoretical):
        assert value is None or not math.isnan(value)
    if result.ci_low is not None:
        assert result.ci_low <= result.empirical <= result.ci_high
    if claim.check is None:
        assert result.verdict == "not checkable here" and result.details["reason"]
        return
    assert result.verdict != "not checkable here" and result.details.get("seed_entropy") is not None
    assert result.model, f"{claim_id}: the result must name the model its evidence was taken on"
    if claim.tolerance is not None:
        assert result.tolerance == claim.tolerance.record()
    if result.verdict == "not applicable":
        assert result.details.get("failed_conditions"), f"{claim_id}: 'not applicable' must say which condition fails"

    # every interval at (at least) the family level: intervals built at 0.95 would fail here
    family = QUICK.level_for(paper_of(claim_id))
    low = [level for level in _levels(result.details) if level < family - 1e-12]
    assert not low, f"{claim_id}: intervals at {low}, below the family level {family}"

    # the control has power
    control = result.negative_control
    assert control and control.get("statement"), f"{claim_id}: no control"
    assert result.control_as_expected, f"{claim_id}: control {control} did not come out as expected"
    if result.verdict == "confirmed":
        assert control["role"] == "nearest wrong statement" and control.get("margin"), control
    if result.verdict == "refuted":
        assert control["role"] == "corrected statement", f"{claim_id}: a refuted claim's control is its correction"
        assert result.kind == ("erratum" if claim.intended else "refuted")
        pytest.xfail(f"refuted by the evidence ({result.kind}): {_summary(result)}")
    assert result.kind is None


def test_verdict_set_is_the_documented_one():
    assert VERDICTS == ("confirmed", "refuted", "inconclusive", "not applicable", "not checkable here")
