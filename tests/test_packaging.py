"""The README's promises: its two opening commands, CI running the test one, the console script."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def first_code_block():
    return re.search(r"```bash\n(.*?)```", README, re.S).group(1)


def test_readme_opens_with_exactly_two_commands():
    assert README.index("```bash") < README.index("\n## ")  # before any section
    commands = [line for line in first_code_block().splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    main_job, tests = commands
    assert main_job.endswith("-m verify check") and tests.endswith("-m pytest")
    assert all(command.startswith("python3 -m venv .venv && ") for command in commands)


def test_ci_runs_the_readme_test_command():
    extracted = subprocess.run(
        ["awk", "/^# run the tests/ { getline; print; exit }", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted.endswith("-m pytest") and extracted in first_code_block()
    assert "awk '/^# run the tests/" in (ROOT / ".ci" / "run").read_text()


def test_console_script_is_python_m_verify():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "aimc-verify"
    assert project["scripts"] == {"aimc-verify": "verify.cli:main"}
    assert "from .cli import main" in (ROOT / "verify" / "__main__.py").read_text()


def test_readme_python_example_runs():
    example = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    done = subprocess.run([sys.executable, "-c", example], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "DigitalSGD" in done.stdout and "AnalogSGD" in done.stdout
