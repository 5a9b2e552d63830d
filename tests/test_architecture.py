"""The architecture as contracts: verify/ is layered (cli > reports > claims > experiments > sim), bounds
never imports verify, and no module of verify/ imports itself through a chain (import-linter and grimp read
every import, including those inside functions)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parent.parent
LINT = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
    "--no-cache",
]


def lint(tree: Path) -> subprocess.CompletedProcess:
    """lint-imports with ``tree``'s pyproject.toml, importing the packages from ``tree`` first."""
    return subprocess.run(
        LINT,
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


def test_contracts_are_kept():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    "module, wrong_import, contract",
    [
        ("verify/sim/problems.py", "from verify.reports import ledger", "verify is layered"),
        ("verify/experiments/settings.py", "from verify.claims import registry", "verify is layered"),
        ("bounds/devices.py", "import verify.sim.noise", "bounds is the ground floor"),
    ],
)
def test_a_wrong_way_import_is_caught(tmp_path, module, wrong_import, contract):
    """The negative control: the same contracts, on a copy of the tree with one import pointing up, fail and
    name the contract and the offending import."""
    for name in ("verify", "bounds"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text() + f"\n{wrong_import}  # deliberately wrong-way\n")
    done = lint(tmp_path)
    assert done.returncode == 1
    assert f"{contract}" in done.stdout and "BROKEN" in done.stdout
    assert module.removesuffix(".py").replace("/", ".") in done.stdout


def import_cycles(graph) -> list[tuple]:
    """Every direct import m -> n of verify/ that n imports back through some chain, with that chain."""
    return [
        (m, *graph.find_shortest_chain(importer=n, imported=m))
        for m in sorted(graph.modules)
        for n in graph.find_modules_directly_imported_by(m)
        if n.startswith("verify") and graph.chain_exists(importer=n, imported=m)
    ]


def test_verify_has_no_import_cycle():
    assert import_cycles(grimp.build_graph("verify")) == []


def test_an_import_cycle_is_caught():
    graph = grimp.build_graph("verify")
    graph.add_import(importer="verify.sim.stats", imported="verify.sim.engine")  # engine imports stats
    assert ("verify.sim.engine", "verify.sim.stats", "verify.sim.engine") in import_cycles(graph)


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command):
    """ruff's lint rules and formatting, as configured in pyproject.toml, hold over the whole tree."""
    pytest.importorskip("ruff")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def layers() -> list[str]:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c["layers"] for c in contracts if c["type"] == "layers")


def test_readme_and_package_docstring_draw_the_contracted_layers():
    import verify

    readme = (ROOT / "README.md").read_text()
    for text in (readme, verify.__doc__):
        drawn = [line.split()[0] for line in text.splitlines() if line.strip().startswith("verify.")]
        assert [d for d in drawn if d in layers()] == layers()


def test_readme_layout_names_every_module():
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("| `verify/")
    }
    for layer in layers():
        folder = layer.replace(".", "/") + "/"
        modules = [p.name for p in (ROOT / folder).glob("*.py") if p.name != "__init__.py"]
        assert folder in rows and modules
        assert [m for m in modules if f"`{m}`" not in rows[folder]] == [], folder
