"""The table-consistency checks C39-C43 (verify/claims/checks/tables.py): transcription, arithmetic, verdicts."""

from decimal import Decimal

import numpy as np
import pytest

from verify.claims.checks import tables as T
from verify.claims.registry import CLAIMS, Profile, run_claim

# a fixed-level profile: the table checks are exact, so the level plays no part
QUICK = Profile("quick", chains=1000, step_scale=1.0, fixed_level=1 - 0.05 / 57)
SEED = np.random.SeedSequence(0)


def test_transcription_shapes():
    """Every Fig. 5 row has one entry per tau; Table 2 has the three algorithms on the three ResNets."""
    for model, table in T.FIG5.items():
        assert len(table["tau"]) == 3
        for algorithm in ("D SGD", "A SGD", "TT"):
            assert len(table[algorithm]) == 3, (model, algorithm)
            assert all(isinstance(a.mean, Decimal) and a.std is not None for a in table[algorithm])
    assert set(T.TABLE2) == {"ResNet18", "ResNet34", "ResNet50"}
    assert all(set(row) == {"Digital SGD", "Analog SGD", "Tiki-Taka"} for row in T.TABLE2.values())


def test_drops_are_exact_decimal_differences():
    """digital - algorithm, exactly (98.15 - 97.50 = 0.65, not 0.6500000000000057)."""
    assert [r["drop_points"] for r in T.drops("FCN", "TT")] == [Decimal("0.51"), Decimal("0.53"), Decimal("0.65")]
    assert [r["drop_points"] for r in T.drops("CNN", "TT")] == [Decimal("0.32"), Decimal("0.29"), Decimal("0.30")]
    assert [r["drop_points"] for r in T.drops("CNN", "A SGD")] == [Decimal("10.17"), Decimal("7.01"), Decimal("5.71")]
    relative = T.drops("CNN", "A SGD")[2]["drop_relative_percent"]
    assert abs(relative - Decimal("5.758370")) < Decimal("1e-6")  # 100 * 5.71 / 99.16


def test_margins():
    assert [r["margin"] for r in T.margins("Tiki-Taka", "Analog SGD")] == [
        Decimal("0.16"),
        Decimal("1.57"),
        Decimal("0.03"),
    ]
    assert [r["margin"] for r in T.margins("Analog SGD", "Digital SGD")] == [
        Decimal("0.55"),
        Decimal("0.14"),
        Decimal("-0.41"),
    ]


def test_all_hold():
    assert T.all_hold([1, 2, 3], lambda v: v > 0) and not T.all_hold([1, -2], lambda v: v > 0)
    assert T.all_hold([], lambda v: False)  # vacuous truth: an empty table proves nothing, none used here


@pytest.mark.parametrize(
    "check, verdict, empirical",
    [
        (T.check_c39, "confirmed", 0.65),
        (T.check_c40a, "confirmed", 0.44),
        (T.check_c41, "refuted", 5.71),
        (T.check_c42, "confirmed", 0.03),
        (T.check_c43, "refuted", -0.41),
    ],
)
def test_verdicts_and_controls_on_the_reported_numbers(check, verdict, empirical):
    """The verdicts the reported numbers give; a confirmed claim's nearest wrong statement is refuted, a refuted
    claim's corrected statement is confirmed (the control comes out as it must)."""
    result = check(QUICK, SEED)
    assert result.verdict == verdict
    assert result.empirical == pytest.approx(empirical, abs=1e-12)
    assert result.control_as_expected
    role = "corrected statement" if verdict == "refuted" else "nearest wrong statement"
    assert result.negative_control["role"] == role
    assert ("supports" in result.details) == (verdict == "refuted")


def test_registry_entries_name_model_and_threshold():
    for cid in ("C39", "C40a", "C41", "C42", "C43"):
        c = CLAIMS[cid]
        assert c.model.startswith("the paper's own") and c.tolerance is not None and c.tolerance.scale == "threshold"
    assert CLAIMS["C40b"].check is None and "curves" in CLAIMS["C40b"].not_checkable
    assert CLAIMS["C41"].intended is None and CLAIMS["C43"].intended is None  # substantive, not slips


def test_controls_are_one_resolution_step_from_the_statement():
    """C39/C40a/C41 move their whole-number bar by one point; C42/C43 strengthen the order by a tenth."""
    assert "< 0%" in T.check_c39(QUICK, SEED).negative_control["statement"]
    assert "> 5%" in T.check_c41(QUICK, SEED).negative_control["statement"]
    assert "at least 0.1 point" in T.check_c42(QUICK, SEED).negative_control["statement"]
    result = run_claim(CLAIMS["C41"], QUICK, SEED)
    assert result.kind == "refuted" and result.model == CLAIMS["C41"].model


def test_c41_supports_names_the_failing_tau():
    details = T.check_c41(QUICK, SEED).details
    assert "tau = 0.8 the drop is 5.71 < 6" in details["supports"]
    assert "> 6 only at tau = 0.6, 0.7" in details["supports"]


def test_c43_supports_names_resnet50():
    supports = T.check_c43(QUICK, SEED).details["supports"]
    assert "ResNet50 digital SGD (95.92) beats Analog SGD (95.51)" in supports
    assert "Tiki-Taka (95.54)" in supports


def test_checks_follow_the_table(monkeypatch):
    """Metamorphic: edit the numbers and the verdicts move with them (the checks read the table, not constants)."""
    monkeypatch.setitem(
        T.FIG5["CNN"], "A SGD", (T.Accuracy.of("88.99"), T.Accuracy.of("92.15"), T.Accuracy.of("93.00"))
    )
    assert T.check_c41(QUICK, SEED).verdict == "confirmed"  # drop 6.16 > 6 everywhere now
    monkeypatch.setitem(T.TABLE2["ResNet50"], "Digital SGD", T.Accuracy.of("95.50"))
    assert T.check_c43(QUICK, SEED).verdict == "confirmed"
    monkeypatch.setitem(T.FIG5["FCN"], "TT", (T.Accuracy.of("97.64"), T.Accuracy.of("97.62"), T.Accuracy.of("97.15")))
    assert T.check_c39(QUICK, SEED).verdict == "refuted"  # a drop of exactly 1.00 is not < 1
    monkeypatch.setitem(
        T.FIG5["FCN"], "A SGD", (T.Accuracy.of("20.00"), T.Accuracy.of("97.71"), T.Accuracy.of("97.78"))
    )
    assert T.check_c40a(QUICK, SEED).verdict == "refuted"  # 20% is better than any input-blind classifier
