"""The SYNTHETIC data of one month of a province (Zhejiang, June 2024) as files, shared by the end-to-end test of the
monthly round and the test of its walkthrough (docs/monthly-round.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from sitmon.catalog import load_catalog
from sitmon.cli import app
from sitmon.domain.uscc import make_uscc

from ..collect.conftest import good_values

MONTHLY = list(load_catalog().forms["monthly"].indicators)
PANEL = [make_uscc("330106", 500 + i) for i in range(22)]  # the monthly key enterprises of Zhejiang
ANNUAL_ONLY = [make_uscc("330106", 600), make_uscc("330106", 601)]
SMALL = make_uscc("330106", 700)  # below designated size
LATE = PANEL[17:]  # five key enterprises that do not file on time
EXPLAINED, UNEXPLAINED, MANGLED = PANEL[3], PANEL[5], PANEL[7]
SECTORS = ("it_services", "software_products")


def run(home: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    """``sitmon --home HOME --lang LANG ARGS`` in-process; the result."""
    return CliRunner().invoke(app, ["--home", str(home), "--lang", lang, *args])


def scale(i: int) -> float:
    """The size of enterprise ``i`` (a multiple of the conftest's consistent report)."""
    return 1.0 + 0.25 * (i % 7)


def row(uscc: str, period: str, scale: float, **extra) -> dict:
    """A consistent monthly report (万元) of ``uscc`` for ``period``."""
    return {"uscc": uscc, "period": period, **good_values(scale), **extra}


def write(path: Path, rows: list[dict], extra: bool = False) -> Path:
    """A report file; with ``extra`` as enterprises send it: 企业名称 first, 联系人 / 填表人 / 电话 last."""
    keys = ["uscc", "period", *MONTHLY, "note"]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow((["企业名称"] if extra else []) + keys + (["联系人", "填表人", "电话"] if extra else []))
        for r in rows:
            cells = ["" if r.get(k) is None else r.get(k) for k in keys]
            w.writerow(
                ([f"浙江测试{r['uscc'][-4:]}（synthetic）"] if extra else [])
                + cells
                + (["张三", "李四", "0571-8888 0000"] if extra else [])
            )
    return path


def registry(path: Path) -> Path:
    """The registry: 22 key enterprises with contacts, 2 above designated size outside the monthly panel, 1 below
    designated size."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "统一社会信用代码",
                "企业名称",
                "行政区划代码",
                "行业",
                "规模以上",
                "月报重点企业",
                "联系人",
                "联系电话",
            ]
        )
        for i, u in enumerate(PANEL):
            w.writerow(
                [
                    u,
                    f"浙江测试{i:02d}（synthetic）",
                    "330106",
                    SECTORS[i % 2],
                    "是",
                    "是",
                    f"联系人{i:02d}",
                    f"0571-8600{i:04d}",
                ]
            )
        for u in ANNUAL_ONLY:
            w.writerow([u, "浙江年报企业（synthetic）", "330106", "it_services", "是", "否", "", ""])
        w.writerow([SMALL, "浙江小微企业（synthetic）", "330106", "it_services", "否", "", "", ""])
    return path


def june_rows() -> list[dict]:
    """June as the enterprises send it: 17 of the 22 key enterprises; +80 % explained, +90 % not explained."""
    out = []
    for i, u in enumerate(PANEL):
        if u in LATE:
            continue
        growth = 1.8 if u == EXPLAINED else 1.9 if u == UNEXPLAINED else 1.1
        out.append(
            row(
                u,
                "2024-06",
                scale(i) * growth,
                note="新签大额合同 a large new contract" if u == EXPLAINED else None,
            )
        )
    return out


def history(home: Path, folder: Path) -> None:
    """June last year and May this year filed, accepted, and May published (it carries June's imputation)."""
    rows = [row(u, "2023-06", scale(i)) for i, u in enumerate(PANEL)]
    rows += [row(u, "2024-05", scale(i) * 1.1 * 5 / 6) for i, u in enumerate(PANEL)]
    assert run(home, "enterprises", "import", str(registry(folder / "企业名录.csv"))).exit_code == 0
    assert run(home, "reports", "import", str(write(folder / "history.csv", rows))).exit_code == 0
    for p in ("2023-06", "2024-05"):
        assert run(home, "review", "accept", "--period", p).exit_code == 0
    res = run(home, "publish", "--period", "2024-05")
    assert res.exit_code == 0, res.output


def files(folder: Path) -> None:
    """The files of the walkthrough: the registry, June with a code mangled by Excel, corrected, the refile with an
    explanation, and three late filers."""
    registry(folder / "企业名录.csv")
    june = june_rows()
    write(
        folder / "浙江-2024-06.csv",
        [dict(r, uscc="9.13302E+17") if r["uscc"] == MANGLED else r for r in june],
        extra=True,
    )
    write(folder / "浙江-2024-06-更正.csv", june, extra=True)
    write(
        folder / "浙江-2024-06-补充说明.csv",
        [row(UNEXPLAINED, "2024-06", scale(5) * 1.9, note="并购一家子公司 an acquisition")],
    )
    write(
        folder / "浙江-2024-06-迟报.csv", [row(u, "2024-06", scale(PANEL.index(u)) * 1.1) for u in LATE[:3]]
    )
