"""Execute every notebook (jupytext percent .py) headless and fail if one errors, warns or runs > 60 s.

As a plain script (always): in a subprocess with every warning turned into an error. In a Jupyter kernel
(when jupytext, nbclient and ipykernel are installed, e.g. with ``pip install -e '.[notebooks]'``): any
output on standard error, a warning such as tqdm's about missing ipywidgets included, fails the test.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def test_notebooks_found():
    assert len(NOTEBOOKS) == 7, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_without_warnings(path, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONWARNINGS="error", PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, "-W", "error", str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0, f"{path.name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    assert "Warning" not in proc.stderr, proc.stderr[-4000:]


def markdown_cells(path: Path) -> list[str]:
    """The text of each ``# %% [markdown]`` cell, without the leading ``# ``."""
    cells = re.split(r"^# %%.*$", path.read_text(), flags=re.M)
    headers = re.findall(r"^# %%.*$", path.read_text(), flags=re.M)
    return [
        "\n".join(line.removeprefix("#").removeprefix(" ") for line in body.strip().splitlines())
        for header, body in zip(headers, cells[1:])
        if "[markdown]" in header
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_a_numbered_title(path):
    first = markdown_cells(path)[0].splitlines()[0]
    assert first.startswith(f"# {path.name[:2]} "), first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_writes_math_in_latex(path):
    """Greek letters and powers in the prose are LaTeX ($\\alpha$, $\\sigma^2$), not ASCII (alpha, sigma^2)."""
    for cell in markdown_cells(path):
        prose = re.sub(r"`[\w.]+`", "", cell)  # code spans that name Python objects; `sigma^2 S` is still math
        prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", "", prose, flags=re.S)  # the math itself
        ascii_math = re.findall(r"\b(?:alpha|beta|sigma|tau|eps|grad f)\b|\w\^\w|\|\|", prose)
        assert ascii_math == [], (path.name, ascii_math, cell[:200])


def test_both_readmes_list_every_notebook():
    top = (ROOT / "README.md").read_text()
    layout_row = next(line for line in top.splitlines() if line.startswith("| `notebooks/`"))
    table = (ROOT / "notebooks" / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"`{path.name}`" in table, path.name
        assert re.search(rf"\b{path.name[:2]}\b", layout_row), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel_without_warnings(path, tmp_path):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env={k: v for k, v in os.environ.items() if k != "MPLBACKEND"})  # the kernel's inline plots
    stderr = [
        output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]
    assert stderr == [], f"{path.name} wrote to standard error:\n" + "\n".join(stderr)[-4000:]
