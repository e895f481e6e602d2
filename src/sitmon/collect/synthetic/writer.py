"""Writing a synthetic population as intake files: ``enterprises.csv``, ``reports/*.csv``, a manifest.

Injected errors (a chosen share of rows, one hard error each) are listed in the manifest so that tests
can check the intake catches every one of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ...catalog import load_catalog
from ...domain import LANGS, jsontext, text
from .manifest import MANIFEST, registry_entry
from .population import Population

ERROR_KINDS = ("negative_revenue", "sector_sum", "uscc_check", "part_above_parent", "not_a_number")
NOTICE = "\n".join(text("synthetic.notice", lang) for lang in LANGS) + "\n"


def _inject(
    df: pd.DataFrame, rate: float, rng: np.random.Generator, file: str
) -> tuple[pd.DataFrame, list[dict]]:
    if rate <= 0 or df.empty:
        return df, []
    rows = np.flatnonzero(rng.random(len(df)) < rate)
    if len(rows) == 0:
        return df, []
    df = df.astype({"revenue_embedded": object, "uscc": object})
    injected = []
    for r in rows:
        kind = ERROR_KINDS[int(rng.integers(len(ERROR_KINDS)))]
        if kind == "negative_revenue":
            df.iat[r, df.columns.get_loc("revenue_info_security")] = (
                -abs(df.iat[r, df.columns.get_loc("revenue_info_security")]) - 1
            )
        elif kind == "sector_sum":
            df.iat[r, df.columns.get_loc("revenue_total")] = round(
                df.iat[r, df.columns.get_loc("revenue_total")] * 1.1 + 5, 2
            )
        elif kind == "uscc_check":
            u = df.iat[r, df.columns.get_loc("uscc")]
            df.iat[r, df.columns.get_loc("uscc")] = u[:17] + ("1" if u[17] != "1" else "2")
        elif kind == "part_above_parent":
            c = df.columns.get_loc("revenue_industrial_software")
            df.iat[r, c] = round(df.iat[r, df.columns.get_loc("revenue_software_products")] + 10, 2)
        else:
            df.iat[r, df.columns.get_loc("revenue_embedded")] = "N/A"
        injected.append({"file": file, "row": int(r) + 2, "kind": kind})
    return df, injected


def _write_reports(
    form: str,
    reports: pd.DataFrame,
    folder: Path,
    error_rate: float,
    rng: np.random.Generator,
    files: list[str],
    injected: list[dict],
    progress: Callable[[int], None] | None,
) -> None:
    """One CSV per period of ``form`` (``synthetic-<form>-<period>.csv``) with the form's columns and an empty
    note, errors injected at ``error_rate``; appends the file names to ``files`` and the errors to ``injected``."""
    cols = ["uscc", "period", *load_catalog().forms[form].indicators]
    for period, df in reports.groupby("period", sort=True):
        name = f"synthetic-{form}-{period}.csv"
        frame, inj = _inject(df[cols].reset_index(drop=True).assign(note=""), error_rate, rng, name)
        frame.to_csv(folder / name, index=False, encoding="utf-8")
        injected += inj
        files.append(name)
        if progress:
            progress(1)


def write(
    pop: Population,
    out_dir: Path,
    *,
    annual: bool = True,
    error_rate: float = 0.0,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Write the population's files into ``out_dir``; returns the manifest (also written as JSON)."""
    out_dir = Path(out_dir)
    (out_dir / "reports").mkdir(parents=True, exist_ok=True)
    # the manifest is written last: a run killed half-way leaves none, so the folder is never taken as complete
    (out_dir / "manifest.json").unlink(missing_ok=True)
    rng = np.random.default_rng(pop.seed + 1)
    ents = pop.enterprises[["uscc", "name", "region_code", "sector", "founded", "closed"]]
    ents.to_csv(out_dir / "enterprises.csv", index=False, encoding="utf-8")
    injected: list[dict] = []
    files: list[str] = []
    for form, reports in (("monthly", pop.monthly), ("annual", pop.annual if annual else None)):
        if reports is not None:
            _write_reports(form, reports, out_dir / "reports", error_rate, rng, files, injected, progress)
    manifest = {
        "synthetic": True,
        "registry": registry_entry(out_dir / "enterprises.csv"),
        "notice": NOTICE,
        "seed": pop.seed,
        "enterprises": len(pop.enterprises),
        "monthly_rows": len(pop.monthly),
        "annual_rows": len(pop.annual),
        "files": files,
        "error_rate": error_rate,
        "injected_errors": injected,
        "calibration": json.loads(pop.calibration.to_json(orient="records", force_ascii=False)),
        "province_split": "synthetic (province weights chosen to match the published macro-region totals and "
        "the published top-5 share); not a published figure",
    }
    (out_dir / MANIFEST).write_text(jsontext.dumps(manifest, indent=2), encoding="utf-8")
    (out_dir / "SYNTHETIC.txt").write_text(NOTICE, encoding="utf-8")
    return manifest
