"""Sphinx configuration: the API documentation of aimc-verify, built from the docstrings.

Build it with ``python -m sphinx -b html -W --keep-going docs docs/_build`` (``tests/test_docs.py`` does
so into a temporary folder, with warnings as errors).
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

project = "aimc-verify"
author = "aimc-verify authors"
copyright = "aimc-verify authors"
try:
    release = metadata.version("aimc-verify")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    release = "unknown"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
autodoc_mock_imports = ["torch", "aihwkit"]
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
napoleon_google_docstring = True
napoleon_numpy_docstring = True

exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = []


class CommandOutput(SphinxDirective):
    """``.. command-output:: -m verify --help``: run ``python ARGS`` from the repository root at build time
    and insert what it prints as a literal block."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        args = self.arguments[0].split()
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "PYTHONPATH": path}
        done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
        if done.returncode != 0:
            raise self.error(f"python {' '.join(args)} exited with {done.returncode}: {done.stderr.strip()}")
        block = nodes.literal_block(done.stdout, done.stdout)
        block["language"] = "text"
        return [block]


def setup(app):
    app.add_directive("command-output", CommandOutput)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
