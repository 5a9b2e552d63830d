"""The command line and the benchmark."""

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.cli import main
from verify.reports.bench import TARGETS, run_benchmark


def test_bench_writes_one_object_per_workload(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert (
        main(["bench", "--chains", "64", "--steps", "5", "--repeats", "1", "--workers", "2", "--json", str(out)]) == 0
    )
    record = json.loads(out.read_text())
    assert record["tool"] == "aimc-verify" and record["command"] == "bench" and record["finished"]
    rows = record["results"]
    workloads = ["analog-sgd", "tiki-taka", "pulsed-sgd-bl31", "pulsed-sgd-bl800"]
    expected = [("normal-draws", "numpy", 1), ("normal-draws", "compiled", 1)]
    expected += [(name, path, n) for name in workloads for path, n in (("fused", 1), ("fused", 2), ("numpy", 1))]
    assert [(row["workload"], row["path"], row["workers"]) for row in rows] == expected
    for row in rows:
        per_worker = row["throughput"] / row["workers"] / row["reference_rate"]
        assert row["throughput"] > 0 and row["ratio"] == pytest.approx(per_worker)
        assert row["unit"] == "chain-coordinate-steps per second" and row["dimension"] == 40
    one_worker = {row["workload"]: row for row in rows[2:] if row["path"] == "fused" and row["workers"] == 1}
    assert {name: one_worker[name]["target"] for name in TARGETS} == TARGETS
    assert all(row["meets_target"] == (row["ratio"] >= row["target"]) for row in one_worker.values())
    for row in rows[2:]:  # targets and scaling: the one-worker fused row has the target, the 2-worker one the scaling
        on_two = row["path"] == "fused" and row["workers"] == 2
        assert (row["scaling"] is not None) == on_two and (row["target"] is not None) == (row in one_worker.values())
        if on_two:
            assert row["scaling"] == pytest.approx(row["throughput"] / one_worker[row["workload"]]["throughput"])
    pulsed = [row for row in rows if row["workload"].startswith("pulsed")]
    assert all(row["dw_min"] == 1e-3 and row["aihwkit_speedup"] > 0 for row in pulsed)
    assert [row["desired_bl"] for row in pulsed] == [31] * 3 + [800] * 3
    table = capsys.readouterr().out
    assert "ratio = chain-coordinate-steps per second per worker" in table and "target = " in table
    assert "tiki-taka (numpy path)" in table and "AIHWKit" in table


def test_benchmark_reports_to_the_given_callable():
    lines = []
    rows = run_benchmark(chains=32, steps=3, repeats=1, workers=1, report=lines.append)
    # one worker count: the explanation, the header, two references, four workloads on the two paths
    assert len(rows) == 10 and len(lines) == 12


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
    record = json.loads(out.read_text())
    assert {"tool", "version", "git_commit", "command", "profile", "seed", "started", "results"} <= set(record)
    assert (record["command"], record["profile"], record["seed"], record["finished"]) == (
        "check",
        "quick",
        20241212,
        True,
    )
    records = record["results"]
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
    rows = [line for line in text.splitlines() if line.startswith(("| C", "| P", "| R"))]
    assert len(rows) == len(claims)
    # one section per paper, each with its own verdict counts, in the registry's order
    sections = [line for line in text.splitlines() if line.startswith("## Wu, ")]
    assert len(sections) == 2 and "NeurIPS 2024" in sections[0] and "2502.06309" in sections[1]
    assert text.count("\nVerdicts: ") == 2
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


# --- readable output, explanations, resuming, interrupts (issue 14) --------------------------------------------


def test_check_output_says_what_the_numbers_are_and_where_the_evidence_is(capsys):
    assert main(["check", "C9"]) == 0
    out = capsys.readouterr().out
    assert "root seed 20241212" in out and "% interval" in out and "paper_checks.md" in out
    assert "1 claim: 1 confirmed" in out


def test_claims_explains_one_claim_with_both_numberings(capsys):
    assert main(["claims", "C13"]) == 0
    out = capsys.readouterr().out
    assert "Thm 3 (v1)" in out and "NeurIPS numbering: Theorem 2" in out
    assert "tolerance:" in out and "model:" in out and "python -m verify check C13" in out


def test_claims_rejects_unknown_ids_in_one_line(capsys):
    assert main(["claims", "C99"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "C99" in err[0]


def test_interrupted_check_leaves_valid_json_and_resume_finishes(tmp_path, capsys, monkeypatch):
    from verify.claims import registry

    out = tmp_path / "run.json"
    real = registry.run_claim
    calls = []

    def interrupt_after_one(claim, profile, seed):
        if calls:
            raise KeyboardInterrupt
        calls.append(claim.id)
        return real(claim, profile, seed)

    monkeypatch.setattr(registry, "run_claim", interrupt_after_one)
    assert main(["check", "C5", "C45", "C46", "--json", str(out)]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "interrupted" in err[0] and "--resume" in err[0]
    record = json.loads(out.read_text())  # valid JSON, the finished claim kept
    assert [r["id"] for r in record["results"]] == ["C5"] and not record["finished"]
    monkeypatch.setattr(registry, "run_claim", real)
    assert main(["check", "C5", "C45", "C46", "--json", str(out), "--resume"]) == 0
    printed = capsys.readouterr().out
    assert "1 of 3 claims already done" in printed and "C46" in printed
    record = json.loads(out.read_text())
    assert [r["id"] for r in record["results"]] == ["C5", "C45", "C46"] and record["finished"]


def test_interrupt_before_the_first_claim_leaves_valid_json(tmp_path, capsys, monkeypatch):
    from verify.claims import registry

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(registry, "run_claim", interrupt)
    out = tmp_path / "run.json"
    assert main(["check", "C5", "--json", str(out)]) == 130
    assert json.loads(out.read_text())["results"] == []


def test_resume_refuses_another_runs_file(tmp_path, capsys):
    out = tmp_path / "run.json"
    assert main(["check", "C5", "--json", str(out)]) == 0
    assert main(["check", "C5", "--json", str(out), "--resume", "--seed", "3"]) == 2
    assert "seed" in capsys.readouterr().err
    assert main(["check", "C5", "--resume"]) == 2


def test_help_version_start_fast():
    """--help and --version import no numerics (measured in the closing note: about 0.1 s)."""
    code = "import sys, verify.cli; print(sorted(m for m in ('sympy', 'scipy', 'numpy') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    done = subprocess.run([sys.executable, "-m", "verify", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("aimc-verify ")


def test_claims_answers_from_the_catalogue_without_the_mathematics(tmp_path):
    """The first call builds the cache (keyed by the checks' source); later ones import neither sympy nor the
    checks (about 0.1 s; measured in the closing note)."""
    env = {**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = (
        "import sys; from verify.claims.catalogue import catalogue; n = len(catalogue()); "
        "print(n, 'sympy' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    n = int(first.stdout.split()[0])
    assert first.stdout.split() == [str(n), "True"] and second.stdout.split() == [str(n), "False"]
    from verify.claims import load_claims

    assert n == len(load_claims())


# --- bad command lines: exit 2, one line, no traceback, no warning (issue 15) ---------------------------------------

#: a cheap valid command line per command; a drawn option is appended (argparse keeps the last value)
_CHEAP = {
    "bench": ["bench", "--chains", "8", "--steps", "2", "--repeats", "1", "--workers", "1"],
    "compare": ["compare", "--steps", "20", "--chains", "4"],
    "figure": ["figure", "fig1", "--out", "{tmp}", "--chains", "2", "--steps", "5"],
    "crosscheck": ["crosscheck", "fig1", "--reference", "--chains", "2"],
    "check": ["check", "C9"],
    "sweep": ["sweep", "--axis", "tau=0.5,1", "--set", "steps=20", "--set", "chains=4", "--out", "{tmp}/s.nc"]
    + ["--scheduler", "serial"],
}
_OPTIONS = {
    "bench": ["--chains", "--steps", "--repeats", "--workers"],
    "compare": [
        "--dim",
        "--problem-seed",
        "--L",
        "--w-star",
        "--tau",
        "--sigma",
        "--alpha",
        "--beta",
        "--steps",
        "--chains",
        "--seed",
        "--tail",
        "--dw-min",
    ],
    "figure": ["--chains", "--steps", "--seed"],
    "crosscheck": ["--chains", "--seed"],
    "check": ["--seed", "--scheduler", "--workers"],
    "sweep": ["--seed", "--axis", "--set", "--scheduler", "--workers", "--out"],
}
#: option values of the kinds the fuzz run of issue 15 found breaking the command line
_BAD_TEXT = [
    "nan",
    "inf",
    "-inf",
    "0",
    "-1",
    "2.5",
    "1e308",
    "-1e308",
    "1e-320",
    "1e400",
    "1" + "0" * 400,
    "1000000000000",
    "1e12",
    "x",
    "",
]


def _main_in_process(argv):
    """Run ``main(argv)``; return (exit status, stderr lines, warnings)."""
    import contextlib
    import io
    import warnings

    err, out = io.StringIO(), io.StringIO()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stderr(err),
        contextlib.redirect_stdout(out),
    ):
        warnings.simplefilter("always")
        try:
            status = main(argv)
        except SystemExit as stop:
            status = stop.code
    return status, err.getvalue().strip().splitlines(), [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "argv, named",
    [
        (["compare", "--tau", "1e308", "--steps", "20", "--chains", "4"], "tau"),
        (["compare", "--sigma", "1e308", "--steps", "20", "--chains", "4"], "sigma"),
        (["compare", "--problem", "theorem2", "--dim", "1000000", "--steps", "20", "--chains", "4"], "dim"),
        (["compare", "--problem", "least-squares", "--dim", "1000000000", "--steps", "20", "--chains", "4"], "dim"),
        (["bench", "--chains", "1000000000000", "--steps", "2", "--repeats", "1"], "chains"),
    ],
    ids=["tau-overflow", "sigma-warnings", "theorem2-dim-memory", "least-squares-dim", "bench-chains"],
)
def test_issue15_command_lines_exit_2_with_one_named_line(argv, named):
    status, err, caught = _main_in_process(argv)
    assert status == 2 and len(err) == 1 and named in err[0], err
    assert not caught, caught


@given(data=st.data())
@settings(max_examples=60)
def test_any_bad_option_value_exits_2_with_one_line_and_no_warning(data, tmp_path_factory):
    command = data.draw(st.sampled_from(sorted(_OPTIONS)))
    option = data.draw(st.sampled_from(_OPTIONS[command]))
    text = data.draw(st.sampled_from(_BAD_TEXT))
    tmp = tmp_path_factory.mktemp("cli")
    argv = [a.replace("{tmp}", str(tmp)) for a in _CHEAP[command]] + [f"{option}={text}"]
    status, err, caught = _main_in_process(argv)
    assert not caught, (argv, caught)
    if status == 0:  # the value was valid for this option: it ran cleanly
        return
    assert status == 2, (argv, status, err)
    assert len(err) == 1 and not err[0].startswith("Traceback"), (argv, err)
    words = (option, option.lstrip("-"), option.lstrip("-").replace("-", "_"))
    assert any(w in err[0] for w in words), (argv, err)


# --- one registry, two papers (issue 16) --------------------------------------------------------------------------


def test_check_paper_refuses_another_papers_claims():
    status, err, _ = _main_in_process(["check", "--paper", "wu2025", "C9"])
    assert status == 2 and len(err) == 1 and "--paper" in err[0] and "C9" in err[0], err


def test_check_paper_runs_only_that_papers_claims(tmp_path):
    path = tmp_path / "r.json"
    status, err, _ = _main_in_process(["check", "--paper", "wu2024", "C9", "--json", str(path)])
    assert status == 0, err
    ids = [r["id"] for r in json.loads(path.read_text())["results"]]
    assert ids == ["C9"]
