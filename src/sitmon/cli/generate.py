"""``sitmon generate``: a calibrated synthetic population written as intake files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from .common import console, state


def calibration_rows(calibration: list[dict], lang: str, published_only: bool = False) -> list[dict]:
    """The manifest's calibration records as table rows: what (measure, dimension, cell), target, generated,
    difference (level: % of the target; growth: percentage points), published or derived."""
    from ..catalog import load_catalog
    from ..domain.messages import text

    cat = load_catalog()

    def name(dimension: str, cell: str) -> str:
        if dimension in ("region", "province"):
            return cat.region_name(cell, lang)
        if dimension == "sector":
            return cat.sectors[cell].name(lang)
        if dimension == "item" and cell in cat.indicators:
            return cat.indicators[cell].name(lang)
        if dimension == "top5":
            return text("cli.list_and", lang).join(cat.region_name(c, lang) for c in cell.split(","))
        return text(f"calibration.cell_{cell}", lang)

    out = []
    for r in calibration:
        if published_only and not r["published"]:
            continue
        what = text(
            f"calibration.{r['measure']}",
            lang,
            dimension=text(f"calibration.dim_{r['dimension']}", lang),
            cell=name(r["dimension"], r["cell"]),
        )
        out.append(
            {
                "year": r["year"],
                "what": what,
                "target": _round(r["target"]),
                "generated": _round(r["generated"]),
                "diff": _round(r["diff"]),
                "published": text("calibration.published" if r["published"] else "calibration.derived", lang),
            }
        )
    return out


def _round(value: float | None) -> float | None:
    """Two decimals; None stays None (a growth of a cell with nothing the year before is null in the manifest)."""
    return None if value is None else round(value, 2)


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("--out")],
        enterprises: Annotated[int, typer.Option("--enterprises", min=10)] = 40000,
        start: Annotated[int, typer.Option("--start")] = 2023,
        end: Annotated[int, typer.Option("--end")] = 2024,
        seed: Annotated[int, typer.Option("--seed")] = 0,
        error_rate: Annotated[float, typer.Option("--error-rate", min=0, max=1)] = 0.0,
        missing_rate: Annotated[float, typer.Option("--missing-rate", min=0, max=1)] = 0.02,
        annual: Annotated[bool, typer.Option("--annual/--no-annual")] = True,
    ) -> None:
        """Generate a calibrated SYNTHETIC population as registry and report files."""
        from ..collect.synthetic import simulate, write

        st = state(ctx)
        years = end - start + 1
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(st.text("cli_generate.simulating"), total=None)
            pop = simulate(enterprises, start, end, seed=seed, missing_rate=missing_rate)
            bar.update(
                task,
                total=years * (12 + (1 if annual else 0)),
                completed=0,
                description=st.text("cli_generate.writing"),
            )
            manifest = write(
                pop, out, annual=annual, error_rate=error_rate, progress=lambda n: bar.advance(task, n)
            )
        from .common import OutputFormat, emit

        rows = calibration_rows(manifest["calibration"], st.lang)
        emit(
            rows,
            ["year", "what", "target", "generated", "diff", "published"],
            OutputFormat.table,
            lang=st.lang,
            title=st.text("cli_generate.title"),
            headers={
                "what": st.text("cli_generate.col_what"),
                "target": st.text("cli_generate.col_target"),
                "generated": st.text("cli_generate.col_generated"),
                "diff": st.text("cli_generate.col_diff"),
                "published": st.text("cli_generate.col_published"),
            },
        )
        console.print(
            st.text(
                "cli_generate.done",
                enterprises=f"{manifest['enterprises']:,}",
                monthly=f"{manifest['monthly_rows']:,}",
                annual=f"{manifest['annual_rows']:,}",
                out=str(out),
            ),
            highlight=False,
        )
        if manifest["injected_errors"]:
            console.print(
                st.text("cli_generate.injected", n=len(manifest["injected_errors"])), highlight=False
            )
