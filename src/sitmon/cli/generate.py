"""``sitmon generate``: a calibrated synthetic population written as intake files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from .common import console, state


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
            bar.update(task, total=years * (12 + (1 if annual else 0)), completed=0,
                       description=st.text("cli_generate.writing"))
            manifest = write(pop, out, annual=annual, error_rate=error_rate,
                             progress=lambda n: bar.advance(task, n))
        from .common import OutputFormat, emit

        rows = [{"year": r["year"], "target": r["target_100m_cny"], "generated": round(r["generated_100m_cny"], 1),
                 "diff_pct": round(100 * (r["generated_100m_cny"] / r["target_100m_cny"] - 1), 3),
                 "published": st.text("cli_generate.published" if r["target_published"] else "cli_generate.derived"),
                 "source": r["source"]}
                for r in manifest["calibration"]]
        emit(rows, ["year", "target", "generated", "diff_pct", "published", "source"], OutputFormat.table,
             lang=st.lang, title=st.text("cli_generate.title"), decimals={"target": 1, "generated": 1, "diff_pct": 3},
             headers={"target": st.text("cli_generate.col_target"), "generated": st.text("cli_generate.col_generated"),
                      "diff_pct": st.text("cli_generate.col_diff"), "published": st.text("cli_generate.col_published")})
        console.print(st.text("cli_generate.done", enterprises=f"{manifest['enterprises']:,}",
                              monthly=f"{manifest['monthly_rows']:,}", annual=f"{manifest['annual_rows']:,}",
                              out=str(out)), highlight=False)
        if manifest["injected_errors"]:
            console.print(st.text("cli_generate.injected", n=len(manifest["injected_errors"])), highlight=False)
