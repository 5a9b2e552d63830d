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


def pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_license_file_is_mit_and_declared():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the aimc-verify authors" in text
    project = pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


def test_citation_cff_names_the_toolkit_and_the_paper():
    text = (ROOT / "CITATION.cff").read_text()
    version = pyproject()["project"]["version"]
    try:
        import yaml
    except ImportError:  # pyyaml is not a dependency: check the key lines
        for line in (
            "cff-version: 1.2.0",
            "title: aimc-verify",
            f"version: {version}",
            "license: MIT",
            "  - name: aimc-verify authors",
            "references:",
            "  - type: conference-paper",
            "    title: Towards Exact Gradient-based Training on Analog In-memory Computing",
        ):
            assert f"\n{line}\n" in f"\n{text}", line
        paper = text[text.index("references:") :]
    else:
        cff = yaml.safe_load(text)
        assert (cff["cff-version"], cff["title"], str(cff["version"]), cff["license"]) == (
            "1.2.0",
            "aimc-verify",
            version,
            "MIT",
        )
        assert cff["authors"] == [{"name": "aimc-verify authors"}]
        (reference,) = cff["references"]
        assert reference["type"] == "conference-paper"
        assert [a["family-names"] for a in reference["authors"]] == ["Wu", "Gokmen", "Rasch", "Chen"]
        paper = text[text.index("references:") :]
    for needle in ("Wu", "Gokmen", "Rasch", "Chen", "NeurIPS 2024", "2406.12774", "year: 2024"):
        assert needle in paper, needle


def test_readme_cites_the_paper_and_the_toolkit():
    citing = README[README.index("## Citing") :]
    assert "@inproceedings{" in citing and "eprint    = {2406.12774}" in citing
    assert "Wu, Zhaoxian and Gokmen, Tayfun and Rasch, Malte J. and Chen, Tianyi" in citing
    assert "@software{aimc_verify" in citing
    assert f"version = {{{pyproject()['project']['version']}}}" in citing


def test_changelog_keeps_an_unreleased_section_first():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n") and "Keep a Changelog" in text
    sections = re.findall(r"^## (.+)$", text, flags=re.M)
    assert sections[0] == "[Unreleased]" and len(sections) >= 2


def test_py_typed_markers_exist_and_ship_as_package_data():
    tool = pyproject()["tool"]["setuptools"]
    for package in ("bounds", "verify"):
        assert (ROOT / package / "py.typed").is_file(), package
        assert "py.typed" in tool["package-data"][package], package


def test_project_metadata_is_complete():
    project = pyproject()["project"]
    assert project["authors"] == [{"name": "aimc-verify authors"}]
    assert {"Homepage", "Repository"} <= set(project["urls"])
    assert all(url.startswith("https://") for url in project["urls"].values())
    assert project["keywords"]
    classifiers = set(project["classifiers"])
    assert {
        "Intended Audience :: Science/Research",
        "Programming Language :: Python :: 3.11",
        "Topic :: Scientific/Engineering :: Mathematics",
        "Topic :: Scientific/Engineering :: Physics",
    } <= classifiers
    # the licence is the SPDX expression; setuptools rejects a license classifier beside it
    assert not any(c.startswith("License ::") for c in classifiers)
    extras = project["optional-dependencies"]
    assert any(d.startswith("sphinx") for d in extras["docs"])
    assert any(d.startswith("sphinx") for d in extras["test"])
    assert "ipywidgets" in extras["notebooks"]


def test_readme_names_the_console_script_before_the_layout():
    intro = README[: README.index("## Layout")]
    assert "`aimc-verify`" in intro and "aimc-verify <command>: error:" in intro
