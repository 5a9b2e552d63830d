"""The command line and the benchmark."""

import json
import subprocess
import sys

import pytest

from verify.cli import main
from verify.reports.bench import TARGETS, run_benchmark


def test_bench_writes_one_object_per_workload(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert (
        main(["bench", "--chains", "64", "--steps", "5", "--repeats", "1", "--workers", "2", "--json", str(out)]) == 0
    )
    rows = json.loads(out.read_text())
    assert [(row["workload"], row["workers"]) for row in rows] == [
        ("normal-draws", 1),
        ("analog-sgd", 2),
        ("analog-sgd", 1),
        ("tiki-taka", 2),
        ("tiki-taka", 1),
        ("pulsed-sgd-bl31", 2),
        ("pulsed-sgd-bl31", 1),
        ("pulsed-sgd-bl800", 2),
        ("pulsed-sgd-bl800", 1),
    ]
    for row in rows:
        assert row["throughput"] > 0 and row["ratio"] == pytest.approx(row["throughput"] / row["reference_rate"])
        assert row["unit"] == "chain-coordinate-steps per second" and row["dimension"] == 40
    targets = {row["workload"]: row["target"] for row in rows[1:]}
    assert {name: targets[name] for name in TARGETS} == TARGETS
    pulsed = [row for row in rows if row["workload"].startswith("pulsed")]
    assert all(row["target"] is None and row["meets_target"] is None and row["dw_min"] == 1e-3 for row in pulsed)
    assert [row["desired_bl"] for row in pulsed] == [31, 31, 800, 800]
    table = capsys.readouterr().out
    assert "analog-sgd" in table and "tiki-taka" in table and "pulsed-sgd-bl800" in table


def test_benchmark_reports_to_the_given_callable():
    lines = []
    rows = run_benchmark(chains=32, steps=3, repeats=1, workers=1, report=lines.append)
    assert len(rows) == 5 and len(lines) == 6  # one worker count: header, reference, four workloads


@pytest.mark.parametrize(
    "argv, named",
    [
        (["bench", "--chains", "0"], "--chains"),
        (["bench", "--steps", "x"], "--steps"),
        (["bench", "--workers", "-2"], "--workers"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_naming_them(argv, named):
    done = subprocess.run([sys.executable, "-m", "verify", *argv], capture_output=True, text=True)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr


def test_claims_lists_every_claim(capsys):
    assert main(["claims"]) == 0
    from verify.claims import load_claims

    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert ids == list(load_claims()) and "C1a" in ids and "C46" in ids


def test_check_prints_a_table_and_writes_json_records(tmp_path, capsys):
    out = tmp_path / "checks.json"
    assert main(["check", "C5", "C45", "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "C5" in table and "C45" in table and "not checkable here" in table
    records = json.loads(out.read_text())
    assert [r["id"] for r in records] == ["C5", "C45"]
    for record in records:
        assert {
            "id",
            "verdict",
            "relation",
            "empirical",
            "ci_low",
            "ci_high",
            "theoretical",
            "seconds",
            "details",
        } <= set(record)
    assert records[0]["verdict"] == "confirmed" and records[0]["details"]["seed_entropy"] == 20241212


def test_format_ledger_needs_every_claim_and_separates_refutations_from_errata():
    from verify.claims import ClaimResult, load_claims
    from verify.reports.ledger import format_ledger, stale_claims

    claims = load_claims()
    first, second = list(claims)[:2]
    results = [ClaimResult(i, "confirmed", c.relation, model="m") for i, c in claims.items()]
    results[0] = ClaimResult(
        first,
        "refuted",
        claims[first].relation,
        2.0,
        1.5,
        2.5,
        1.0,
        model="a model",
        kind="refuted",
        details={"supports": "a value near 2"},
    )
    results[1] = ClaimResult(second, "refuted", claims[second].relation, model="m", kind="erratum")
    text = format_ledger(claims, results, command="python -m verify ledger", profile="quick", entropy=1)
    substantive = text[text.index("## Substantive refutations") : text.index("## Errata")]
    errata = text[text.index("## Errata") : text.index("## Verdicts that depend")]
    assert f"**{first}**" in substantive and "a value near 2" in substantive and "on a model" in substantive
    assert f"**{second}**" in errata and f"**{second}**" not in substantive
    rows = [line for line in text.splitlines() if line.startswith(("| C", "| P"))]
    assert len(rows) == len(claims)
    assert stale_claims(text, text) == []
    changed = text.replace(f"| {first} |", f"| {first} |x", 1)
    assert stale_claims(text, changed) == [first]
    with pytest.raises(ValueError, match="no result for claim"):
        format_ledger(claims, results[1:], command="x", profile="quick", entropy=1)


@pytest.mark.parametrize(
    "argv, named",
    [
        (["check", "C999"], "C999"),
        (["check", "--profile", "slow"], "--profile"),
        (["check", "--seed", "-1"], "--seed"),
        (["ledger", "--out", "/nonexistent-dir/x.md"], "--out"),
    ],
)
def test_bad_check_arguments_exit_2_naming_them(argv, named):
    done = subprocess.run([sys.executable, "-m", "verify", *argv], capture_output=True, text=True)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
