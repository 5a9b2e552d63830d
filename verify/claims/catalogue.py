"""What the registry says about each claim, as plain records, for ``aimc-verify claims`` (a listing, or one claim
explained): kept in a cache keyed by a hash of the registry's and the checks' source files, so that the command
answers without importing the checks and their mathematics (first run: a few seconds; later runs: a fraction
of a second). The registry (:mod:`.registry`) stays the one home of the claims; the cache is rebuilt whenever a
source file changes.

>>> neurips_numbering("Thm 3 (v1), eq. (10)")
'Theorem 2'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

__all__ = ["catalogue", "explain", "neurips_numbering", "V1_TO_NEURIPS"]

#: arXiv v1 theorem number -> the NeurIPS (primary) name of the same result
V1_TO_NEURIPS = {2: "Theorem 1", 3: "Theorem 2", 4: "Theorem 3"}

_HERE = Path(__file__).resolve().parent


def neurips_numbering(source: str) -> str:
    """The NeurIPS names of the v1 theorems a claim's ``source`` cites ("" if none): v1 Theorems 2, 3 and 4 are the
    NeurIPS Theorems 1, 2 and 3; the others keep their v1 number."""
    if "v1" not in source:
        return ""
    found = re.findall(r"\b(?:Thm|Theorem) (\d+)", source)
    return ", ".join(dict.fromkeys(V1_TO_NEURIPS[int(n)] for n in found if int(n) in V1_TO_NEURIPS))


def _source_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([*_HERE.glob("*.py"), *(_HERE / "checks").glob("*.py")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aimc-verify"


def _records() -> list[dict]:
    from .registry import load_claims

    out = []
    for c in load_claims().values():
        out.append(
            {
                "id": c.id,
                "paper": c.paper,
                "statement": c.statement,
                "source": c.source,
                "relation": c.relation,
                "checked": c.check is not None,
                "not_checkable": c.not_checkable,
                "quantity": c.quantity,
                "tolerance": c.tolerance.record() if c.tolerance is not None else None,
                "model": c.model,
                "depends": c.depends,
                "intended": c.intended,
            }
        )
    return out


def catalogue() -> list[dict]:
    """Every registered claim as a record (id, paper, statement, source, relation, checked, not_checkable, quantity,
    tolerance, model, depends, intended), in id order; from the cache when the sources have not changed."""
    path = _cache_dir() / f"claims-{_source_hash()}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    records = _records()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(records), encoding="utf-8")
        os.replace(temp, path)
    except OSError:  # no writable cache: answer anyway
        pass
    return records


def explain(record: dict) -> str:
    """Everything the registry says about one claim (a :func:`catalogue` record), with both numberings."""
    neurips = neurips_numbering(record["source"])
    lines = [
        f"{record['id']}: {record['statement']}",
        f"  source:     {record['source']}" + (f" (NeurIPS numbering: {neurips})" if neurips else ""),
        f"  relation:   {record['relation']}",
    ]
    if record.get("paper"):
        lines.insert(1, f"  paper:      {record['paper']}")
    if not record["checked"]:
        lines.append(f"  not checkable here: {record['not_checkable']}")
        return "\n".join(lines)
    if record["quantity"]:
        lines.append(f"  quantity:   {record['quantity']}")
    if record["tolerance"] is not None:
        t = record["tolerance"]
        lines.append(f"  tolerance:  {t['value']:g} ({t['scale']}): {t['reason']}")
    lines.append(f"  model:      {record['model']}")
    if record["depends"]:
        lines.append(f"  depends on: {record['depends']}")
    if record["intended"]:
        lines.append(f"  intended:   {record['intended']}")
    lines.append(f"  reproduce:  python -m verify check {record['id']}   (details: add --json FILE)")
    return "\n".join(lines)
