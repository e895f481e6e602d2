"""Materialising a release's aggregates (its cube) while it is published: the one call publishing makes.

Releases are immutable, so what every reader asks of a release — the levels of every breakdown, and what month,
YoY, comparable YoY, shares and contributions are computed from — is computed once, here, as statistical
dissemination systems store their cubes. Publishing runs this step after the disclosure patterns
(:mod:`sitmon.process.disclosure`), and the cube carries them: the flags of every indicator's pattern are part of
its meta document, so a public table reads its values and its suppression from the cube and computes no pattern.
The expressions are :mod:`sitmon.analyse.cube`'s; the files are
:mod:`sitmon.store.cubes`'; published tables read them back (the interfaces' ``materialised`` module).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..analyse.cube import TOP, TOP_INDICATORS, cube_atoms, cube_panel, cube_top
from ..catalog import load_catalog
from ..config import Settings
from ..domain import Period
from ..store.cubes import write_cube
from ..store.patterns import folder_patterns
from ..store.staging import StagedRelease
from ..store.warehouse import Warehouse


def cube_step(settings: Settings, form: str, period: str) -> Callable[[StagedRelease], None]:
    """The step publishing runs on a staged release before it becomes visible: its cube (:func:`materialise`)."""

    def step(staged: StagedRelease) -> None:
        materialise(settings, form, period, staged.folder)

    return step


def materialise(
    settings: Settings, form: str, period: str, folder: Path, backend: Any = None
) -> dict[str, Any]:
    """Compute the cube of the release of ``form`` and ``period`` staged in ``folder`` and write it there.

    The comparable panel pairs the release with the release of the same period last year in force now (its
    number is recorded: a reader falls back to the engine once a newer one is published). Returns the cube's
    meta document (indicators, the paired release, the largest values, the disclosure patterns already stored in
    ``folder`` — without their parameters —, seconds taken)."""
    t0 = time.perf_counter()
    indicators = list(load_catalog().forms[form].indicators)
    ranked = [x for x in TOP_INDICATORS if x in indicators]
    wh = Warehouse(settings, backend)
    last_period = str(Period.parse(period).same_period_last_year)
    last_files = wh.files(form, [last_period])
    sources = {"current": [folder / "data.parquet"], **({"last": [last_files[0].path]} if last_files else {})}

    def build(t: dict[str, Any]) -> dict[str, Any]:
        out = {"atoms": cube_atoms(t["current"], indicators)}
        if ranked:
            out["top"] = cube_top(t["current"], ranked, TOP)
        if "last" in t:
            out["panel"] = cube_panel(t["current"], t["last"], indicators)
        return out

    frames = wh.run_over(("cube", form, tuple(indicators)), sources, build)
    top = frames.get("top", pd.DataFrame({"indicator": [], "value": []}))
    meta = {
        "form": form,
        "period": period,
        "indicators": indicators,
        "last_year_period": last_period,
        "last_year_release": last_files[0].number if last_files else None,
        "top": {
            x: sorted(
                (float(v) for i, v in zip(top.indicator.tolist(), top.value.tolist(), strict=True) if i == x),
                reverse=True,
            )
            for x in ranked
        },
        "enterprises": int(frames["atoms"].enterprises.sum()),
        "atoms": len(frames["atoms"]),
        "disclosure": {
            code: {k: v for k, v in doc.items() if k != "parameters"}
            for code, doc in folder_patterns(folder).items()
        },
        "seconds": round(time.perf_counter() - t0, 4),
        "sitmon": __version__,
    }
    write_cube(folder, frames["atoms"], frames.get("panel"), meta)
    return meta
