"""The registry's statistical scope (issue 14): above designated size (规模以上) and the monthly key-enterprise panel
(月报重点企业) as flags or by the catalog's threshold, contacts for chasing, versions, and plain errors."""

from __future__ import annotations

import csv

import pytest

from sitmon.catalog.scope import load_scope
from sitmon.collect.registry import import_enterprises
from sitmon.collect.registry_scope import parse_flag
from sitmon.domain.uscc import make_uscc
from sitmon.store.enterprises import history, registry

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行政区划代码",
    "行业",
    "规模以上",
    "月报重点企业",
    "联系人",
    "联系电话",
    "主营业务收入",
    "上年软件业务收入",
]
A, B, C, D = (make_uscc("330100", 800 + i) for i in range(4))


def _write(path, rows, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_flags_threshold_and_contacts(db, tmp_path):
    path = _write(
        tmp_path / "e.csv",
        [
            [A, "甲", "330100", "it_services", "是", "是", "张三", "0571-88880000", "", ""],
            [B, "乙", "330100", "it_services", "是", "否", "", "", "", ""],
            [C, "丙", "330100", "it_services", "", "", "", "", "1500", "900"],  # below 2000万元: not above
            [D, "丁", "330100", "it_services", "", "", "", "", "5000", "1000"],  # 20 % software: not above
        ],
    )
    res = import_enterprises(db, path)
    assert res.status == "stored", res.errors
    with db.session() as s:
        reg = registry(s)
    assert (reg[A].above_scale, reg[A].monthly_panel, reg[A].contact, reg[A].phone) == (
        True,
        True,
        "张三",
        "0571-88880000",
    )
    assert (reg[B].above_scale, reg[B].monthly_panel) == (True, False)
    assert (reg[C].above_scale, reg[C].monthly_panel) == (False, False)  # the panel follows when not given
    assert (reg[D].above_scale, reg[D].monthly_panel) == (False, False)
    assert load_scope().above(2000, 600) and not load_scope().above(2000, 599)


def test_a_file_without_the_columns_keeps_them_and_a_change_is_a_version(db, tmp_path):
    first = _write(tmp_path / "e1.csv", [[A, "甲", "330100", "it_services", "是", "否", "张三", "1", "", ""]])
    assert import_enterprises(db, first).status == "stored"
    plain = _write(tmp_path / "e2.csv", [[A, "甲", "330100", "it_services"]], HEADER[:4])
    assert import_enterprises(db, plain).status == "unchanged"  # no scope column: nothing changes
    joined = _write(
        tmp_path / "e3.csv", [[A, "甲", "330100", "it_services", "是", "是", "张三", "1", "", ""]]
    )
    assert import_enterprises(db, joined).updated == 1
    with db.session() as s:
        versions = history(s, A)
    assert [(v.version, v.monthly_panel) for v in versions] == [(1, False), (2, True)]


@pytest.mark.parametrize(
    ("row", "rule_value"),
    [
        (["也许", "是"], "也许"),  # not yes/no
        (["否", "是"], "是"),  # a key enterprise must be above designated size
    ],
)
def test_scope_errors_name_the_row_and_column(db, tmp_path, row, rule_value):
    path = _write(tmp_path / "bad.csv", [[A, "甲", "330100", "it_services", *row, "", "", "", ""]])
    res = import_enterprises(db, path)
    assert res.status == "rejected"
    (err,) = res.errors
    assert (err.row, err.rule, err.value) == (2, "scope", rule_value) and err.message_zh and err.message_en
    bad_revenue = _write(tmp_path / "rev.csv", [[A, "甲", "330100", "it_services", "", "", "", "", "-5", ""]])
    assert import_enterprises(db, bad_revenue).errors[0].column == "主营业务收入"


def test_parse_flag():
    assert [parse_flag(v) for v in ("是", "否", "Y", "n", 1, 0.0, "１", "", None)] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        None,
        None,
    ]
    with pytest.raises(ValueError):
        parse_flag("maybe")
