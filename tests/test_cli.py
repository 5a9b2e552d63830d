"""The command line and the benchmark."""

import json
import subprocess
import sys

import pytest

from verify.bench import TARGETS, run_benchmark
from verify.cli import main


def test_bench_writes_one_object_per_workload(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--chains", "64", "--steps", "5", "--repeats", "1", "--workers", "2",
                 "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [(row["workload"], row["workers"]) for row in rows] == [
        ("normal-draws", 1), ("analog-sgd", 2), ("analog-sgd", 1), ("tiki-taka", 2), ("tiki-taka", 1)]
    for row in rows:
        assert row["throughput"] > 0 and row["ratio"] == pytest.approx(row["throughput"] / row["reference_rate"])
        assert row["unit"] == "chain-coordinate-steps per second" and row["dimension"] == 40
    assert {row["workload"]: row["target"] for row in rows[1:]} == TARGETS
    table = capsys.readouterr().out
    assert "analog-sgd" in table and "tiki-taka" in table


def test_benchmark_reports_to_the_given_callable():
    lines = []
    rows = run_benchmark(chains=32, steps=3, repeats=1, workers=1, report=lines.append)
    assert len(rows) == 3 and len(lines) == 4        # one worker count: header, reference, two workloads


@pytest.mark.parametrize("argv, named", [
    (["bench", "--chains", "0"], "--chains"),
    (["bench", "--steps", "x"], "--steps"),
    (["bench", "--workers", "-2"], "--workers"),
    (["frobnicate"], "frobnicate"),
])
def test_bad_arguments_exit_2_with_one_line_naming_them(argv, named):
    done = subprocess.run([sys.executable, "-m", "verify", *argv], capture_output=True, text=True)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
