"""``sitmon bulletin``: the operations bulletin of a release (HTML, PDF, XLSX; Chinese or English), and ``sitmon
export``: the open data of a release (SDMX-ML, SDMX-CSV, CSV, XLSX, Parquet) or its SDMX structure. Figures come
from the published tables with disclosure control applied."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import ReleaseOpt, err_console, fail, state

EXPORT_FORMATS = ("sdmx-ml", "sdmx-csv", "csv", "xlsx", "parquet")
OutOpt = Annotated[Path, typer.Option("--out")]
PeriodOpt = Annotated[str, typer.Option("--period")]


def register(app: typer.Typer) -> None:
    @app.command("bulletin")
    def bulletin_cmd(
        ctx: typer.Context,
        period: PeriodOpt,
        out: OutOpt,
        release: ReleaseOpt = None,
        lang: Annotated[str | None, typer.Option("--lang")] = None,
        fmt: Annotated[str | None, typer.Option("--format")] = None,
    ) -> None:
        """运行情况通报 The operations bulletin of a period: paragraphs written from the published figures, the
        main-indicators table, charts and the methods note (synthetic data carry a banner on every page)."""
        from ..disseminate.bulletins import FORMATS, bulletin
        from ..disseminate.tables import QueryError
        from ..disseminate.writers import WriterError, write_file, writer_for
        from ..domain import PeriodError, text

        st = state(ctx)
        language = lang or st.lang
        try:
            name = (fmt or writer_for(path=out).name).lower()
            if name not in FORMATS:
                raise WriterError(_message("bulletins.unknown_format", name=name, formats=", ".join(FORMATS)))
            with err_console.status(st.text("bulletins.writing")):
                report = bulletin(st.settings, period, release, language)
                write_file(report, out, name)
        except (QueryError, PeriodError) as exc:
            raise fail(exc.message.render(st.lang), 2) from exc
        except WriterError as exc:
            raise fail(exc.message.render(st.lang), 2) from exc
        except OSError as exc:
            raise fail(f"{out}: {exc.strerror or exc}", 2) from exc
        err_console.print(
            text("bulletins.written", st.lang, path=str(out), format=name, language=language), highlight=False
        )

    @app.command("export")
    def export_cmd(
        ctx: typer.Context,
        out: OutOpt,
        period: Annotated[str | None, typer.Option("--period")] = None,
        release: ReleaseOpt = None,
        fmt: Annotated[str | None, typer.Option("--format")] = None,
        structure: Annotated[bool, typer.Option("--structure")] = False,
    ) -> None:
        """开放数据 Open data of a period: every published cell of the published tables (nation, macro regions,
        provinces, cities, sectors) with SDMX dimensions and attributes; withheld cells carry CONF_STATUS and no
        value. --structure writes the SDMX-ML structure message instead."""
        from ..disseminate.sdmx import open_data, structure_xml
        from ..disseminate.tables import QueryError
        from ..disseminate.writers import WriterError, write_file, writer_for
        from ..domain import PeriodError, text

        st = state(ctx)
        try:
            if structure:
                out.write_bytes(structure_xml())
                err_console.print(text("sdmx.structure_written", st.lang, path=str(out)), highlight=False)
                return
            if period is None:
                raise fail(st.text("sdmx.period_needed"), 2)
            name = (fmt or writer_for(path=out).name).lower()
            if name not in EXPORT_FORMATS:
                raise WriterError(
                    _message("sdmx.unknown_format", name=name, formats=", ".join(EXPORT_FORMATS))
                )
            with err_console.status(st.text("sdmx.gathering")):
                doc = open_data(st.settings, period, release)
                write_file(doc, out, name)
        except (QueryError, PeriodError) as exc:
            raise fail(exc.message.render(st.lang), 2) from exc
        except WriterError as exc:
            raise fail(exc.message.render(st.lang), 2) from exc
        except OSError as exc:
            raise fail(f"{out}: {exc.strerror or exc}", 2) from exc
        err_console.print(
            text("sdmx.written", st.lang, path=str(out), format=name, rows=len(doc.rows)), highlight=False
        )


def _message(key: str, **params: str):  # type: ignore[no-untyped-def]
    from ..domain import Message

    return Message(key, **params)
