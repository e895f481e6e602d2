import csv

from sqlalchemy import func, select

from sitmon.collect.registry import import_enterprises
from sitmon.domain.uscc import make_uscc
from sitmon.store import models
from sitmon.store.enterprises import history, registry


def _write(path, rows, header=("uscc", "name", "region_code", "sector", "founded", "closed"), encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_import_resolves_regions_and_reimport_keeps_history(db, tmp_path):
    a, b = make_uscc("440305", 1), make_uscc("110108", 2)
    first = _write(tmp_path / "e1.csv", [[a, "甲公司", "440305", "软件产品", "2015-03-01", ""],
                                         [b, "乙公司", "110108", "it_services", "", ""]])
    res = import_enterprises(db, first)
    assert (res.status, res.added, res.updated) == ("stored", 2, 0)
    with db.session() as s:
        reg = registry(s)
    assert (reg[a].province_code, reg[a].city_code, reg[a].macro_region, reg[a].sector) == (
        "440000", "440300", "east", "software_products")
    assert (reg[b].province_code, reg[b].city_code) == ("110000", None)  # a Beijing district is Beijing
    assert import_enterprises(db, first).status == "unchanged"
    second = _write(tmp_path / "e2.csv", [[a, "甲科技公司", "440106", "软件产品", "2015-03-01", "2024-06-30"],
                                          [b, "乙公司", "110108", "it_services", "", ""]], encoding="gbk")
    res = import_enterprises(db, second)
    assert (res.status, res.added, res.updated, res.unchanged_rows) == ("stored", 0, 1, 1)
    with db.session() as s:
        versions = history(s, a)
        now = registry(s)[a]
    assert [(v.version, v.name, v.region_code) for v in versions] == [(1, "甲公司", "440305"), (2, "甲科技公司", "440106")]
    assert (now.city_code, str(now.closed)) == ("440100", "2024-06-30")


def test_bad_rows_reject_the_file_and_write_nothing(db, tmp_path):
    good = make_uscc("330100", 9)
    bad = _write(tmp_path / "bad.csv", [[good, "好公司", "330100", "it_services", "", ""],
                                        [good[:17] + ("0" if good[17] != "0" else "1"), "坏代码", "330100", "it_services", "", ""],
                                        [make_uscc("330100", 10), "坏地区", "990100", "it_services", "", ""],
                                        [make_uscc("330100", 11), "坏行业", "330100", "游戏", "", ""],
                                        [make_uscc("330100", 12), "坏日期", "330100", "embedded", "2020-02-30", ""]])
    res = import_enterprises(db, bad)
    assert res.status == "rejected"
    assert [(e.row, e.rule) for e in res.errors] == [(3, "uscc"), (4, "region"), (5, "sector"), (6, "date")]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(models.Enterprise)) == 0
        assert s.scalar(select(func.count()).select_from(models.Upload)) == 0
