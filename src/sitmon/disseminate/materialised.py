"""Published tables read from the releases' materialised aggregates (cubes), for what they hold.

:func:`~sitmon.disseminate.tables.published_table` asks here first and falls back to the analysis engine when the
answer is not materialised: a release published before cubes existed, an indicator the cube lacks, or comparable
growth whose cube was paired with a release of last year that has been superseded since. Which release of each
period is in force is read once per change of the warehouse (one ``stat`` per call, see
:func:`~sitmon.store.warehouse.release_fingerprint`); cubes and their rolled-up tables are kept in memory
(releases never change), so a warm table costs a few dictionary lookups and a little numpy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..analyse.bulletin import BREAKDOWNS
from ..analyse.cube import CUBE_DIMENSIONS, Atoms, Cells, MeasureInputs, concentration_of, cube_measure
from ..config import Settings
from ..domain import Period
from ..store.cubes import Cube, read_cube
from ..store.warehouse import ReleaseFiles, release_files, release_fingerprint

Pairs = list[tuple[tuple, float | None]]
_CELLS: OrderedDict[tuple, Cells] = OrderedDict()
_PREPARED: OrderedDict[tuple, Atoms] = OrderedDict()
_LISTINGS: dict[tuple, dict[str, ReleaseFiles]] = {}
_LOCK = threading.Lock()
MAX_CELLS = 4096


class Materialised:
    """The materialised aggregates of one warehouse's releases in force."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def releases(self, form: str) -> dict[str, ReleaseFiles]:
        """The latest release of every period of ``form`` (re-read only when a release has been written: the
        fingerprint is taken before the listing, so a release written meanwhile only causes one more listing)."""
        key = (str(self.settings.warehouse_dir), form, release_fingerprint(self.settings, form))
        with _LOCK:
            found = _LISTINGS.get(key)
        if found is None:
            found = {f.period: f for f in release_files(self.settings, form)}
            with _LOCK:
                if len(_LISTINGS) > 64:  # listings of superseded fingerprints (and of other data directories)
                    _LISTINGS.clear()
                _LISTINGS[key] = found
        return found

    def release(self, form: str, period: str, pin: int | None = None) -> ReleaseFiles | None:
        """The release read for ``period``: release ``pin``, else the latest; None when there is none."""
        latest = self.releases(form).get(period)
        if pin is None or (latest is not None and latest.number == pin):
            return latest
        pinned = release_files(self.settings, form, [period], pin)
        return pinned[0] if pinned else None

    def cube(self, form: str, period: str, pin: int | None = None) -> Cube | None:
        """The cube of the release read for ``period``, or None (no release, or one without a cube)."""
        f = self.release(form, period, pin)
        return None if f is None else read_cube(f.path.parent)

    def cells(self, cube: Cube, dims: Sequence[str], panel: bool = False) -> Cells:
        """The table ``dims`` rolled up from ``cube``'s atoms (``panel``: from its comparable panel's atoms);
        kept in memory."""
        key = (str(cube.path), tuple(dims), panel)
        with _LOCK:
            found = _CELLS.get(key)
            if found is not None:
                _CELLS.move_to_end(key)
                return found
        cells = _atoms(cube, panel).rollup(dims)
        with _LOCK:
            _CELLS[key] = cells
            while len(_CELLS) > MAX_CELLS:
                _CELLS.popitem(last=False)
        return cells

    def values(
        self,
        form: str,
        period: str,
        indicator: str,
        dims: Sequence[str],
        measure: str,
        pin: int | None = None,
    ) -> Pairs | None:
        """(key, value) of every cell of ``measure`` of ``indicator`` by ``dims`` in ``period`` (form's unit or
        percent), from the cubes; None when the answer is not materialised."""
        inputs = self.inputs(form, period, indicator, dims, measure, pin)
        return None if inputs is None else cube_measure(measure, indicator, inputs)

    def inputs(
        self,
        form: str,
        period: str,
        indicator: str,
        dims: Sequence[str],
        measure: str,
        pin: int | None = None,
    ) -> MeasureInputs | None:
        """What :func:`~sitmon.analyse.cube.cube_measure` needs for one period, or None if a cube is missing."""
        cube = self.cube(form, period, pin)
        if cube is None or indicator not in cube.indicators:
            return None
        p = Period.parse(period)
        previous = last = last_nat = panel = None
        if measure == "month" and p.previous_in_year is not None:
            got = self._other(form, str(p.previous_in_year), indicator, dims)
            if got is False:
                return None
            previous = got if isinstance(got, Cells) else None
        if measure in ("yoy", "contribution"):
            got = self._other(form, str(p.same_period_last_year), indicator, dims)
            if got is False:
                return None
            last = got if isinstance(got, Cells) else None
            if last is not None:
                last_cube = self.cube(form, str(p.same_period_last_year))
                assert last_cube is not None
                last_nat = self.cells(last_cube, ())
        if measure == "yoy_comparable":
            in_force = self.release(form, str(p.same_period_last_year))
            if cube.last_year_release != (None if in_force is None else in_force.number):
                return None  # paired with a release of last year that has been superseded since
            if cube.panel is None:
                panel = Cells(
                    tuple(dims),
                    [],
                    {c: np.array([]) for c in ("panel", f"{indicator}__num", f"{indicator}__den")},
                )
            else:
                panel = self.cells(cube, dims, panel=True)
        return MeasureInputs(
            current=self.cells(cube, dims),
            national=self.cells(cube, ()),
            previous=previous,
            last_year=last,
            last_year_national=last_nat,
            panel=panel,
        )

    def _other(self, form: str, period: str, indicator: str, dims: Sequence[str]) -> Cells | None | bool:
        """The cells of another period's release in force: None when it is not published, False when it is
        but has no cube with ``indicator`` (the answer is then not materialised)."""
        if self.release(form, period) is None:
            return None
        cube = self.cube(form, period)
        if cube is None or indicator not in cube.indicators:
            return False
        return self.cells(cube, dims)

    def bulletin(
        self, form: str, period: str, indicator: str = "revenue_total"
    ) -> dict[str, pd.DataFrame] | None:
        """The bulletin table set of ``period`` (as :func:`sitmon.analyse.bulletin.bulletin_tables`: national,
        region, province, city and sector with ``ytd, month, yoy, yoy_comparable``, and ``concentration``) from
        the cubes — CONFIDENTIAL values without disclosure control; None when it is not materialised."""
        cube = self.cube(form, period)
        if cube is None or indicator not in cube.meta.get("top", {}):
            return None
        out: dict[str, pd.DataFrame] = {}
        for name, by in BREAKDOWNS.items():
            cols: dict[str, dict[tuple, float | None]] = {}
            for m in ("ytd", "month", "yoy", "yoy_comparable"):
                pairs = self.values(form, period, indicator, by, m)
                if pairs is None:
                    return None
                cols[m] = dict(pairs)
            keys = [k for k in cols["ytd"] if not (name == "city" and k[0] is None)]
            frame = {d: [k[i] for k in keys] for i, d in enumerate(by)}
            frame.update({m: [cols[m].get(k) for k in keys] for m in cols})
            out[name] = pd.DataFrame(frame)
        nat = self.cells(cube, ())
        out["concentration"] = pd.DataFrame(
            [
                concentration_of(
                    cube.top(indicator),
                    float(nat.column(indicator)[0]),
                    float(nat.column(f"{indicator}__sq")[0]),
                    int(nat.column("enterprises")[0]),
                )
            ]
        )
        return out


def _atoms(cube: Cube, panel: bool) -> Atoms:
    key = (str(cube.path), "atoms", panel)
    with _LOCK:
        found = _PREPARED.get(key)
    if found is None:
        table = cube.panel if panel else cube.atoms
        assert table is not None
        names = [c for c in table.column_names if c not in CUBE_DIMENSIONS]
        found = Atoms.of(
            {d: table.column(d).to_pylist() for d in CUBE_DIMENSIONS},
            {c: table.column(c).to_numpy(zero_copy_only=False) for c in names},
        )
        with _LOCK:
            _PREPARED[key] = found
            while len(_PREPARED) > MAX_CELLS:
                _PREPARED.popitem(last=False)
    return found


def forget_tables() -> None:
    """Drop the rolled-up tables and release listings kept in memory (benchmarks time cold reads with it)."""
    with _LOCK:
        _CELLS.clear()
        _PREPARED.clear()
        _LISTINGS.clear()
