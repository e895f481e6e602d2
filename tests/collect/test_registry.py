import csv

from sqlalchemy import func, select

from sitmon.collect.registry import import_enterprises
from sitmon.domain.uscc import make_uscc
from sitmon.store import models
from sitmon.store.enterprises import history, registry


def _write(
    path, rows, header=("uscc", "name", "region_code", "sector", "founded", "closed"), encoding="utf-8"
):
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_import_resolves_regions_and_reimport_keeps_history(db, tmp_path):
    a, b = make_uscc("440305", 1), make_uscc("110108", 2)
    first = _write(
        tmp_path / "e1.csv",
        [
            [a, "甲公司", "440305", "软件产品", "2015-03-01", ""],
            [b, "乙公司", "110108", "it_services", "", ""],
        ],
    )
    res = import_enterprises(db, first)
    assert (res.status, res.added, res.updated) == ("stored", 2, 0)
    with db.session() as s:
        reg = registry(s)
    assert (reg[a].province_code, reg[a].city_code, reg[a].macro_region, reg[a].sector) == (
        "440000",
        "440300",
        "east",
        "software_products",
    )
    assert (reg[b].province_code, reg[b].city_code) == ("110000", None)  # a Beijing district is Beijing
    assert import_enterprises(db, first).status == "unchanged"
    second = _write(
        tmp_path / "e2.csv",
        [
            [a, "甲科技公司", "440106", "软件产品", "2015-03-01", "2024-06-30"],
            [b, "乙公司", "110108", "it_services", "", ""],
        ],
        encoding="gbk",
    )
    res = import_enterprises(db, second)
    assert (res.status, res.added, res.updated, res.unchanged_rows) == ("stored", 0, 1, 1)
    with db.session() as s:
        versions = history(s, a)
        now = registry(s)[a]
    assert [(v.version, v.name, v.region_code) for v in versions] == [
        (1, "甲公司", "440305"),
        (2, "甲科技公司", "440106"),
    ]
    assert (now.city_code, str(now.closed)) == ("440100", "2024-06-30")


def test_bad_rows_reject_the_file_and_write_nothing(db, tmp_path):
    good = make_uscc("330100", 9)
    bad = _write(
        tmp_path / "bad.csv",
        [
            [good, "好公司", "330100", "it_services", "", ""],
            [good[:17] + ("0" if good[17] != "0" else "1"), "坏代码", "330100", "it_services", "", ""],
            [make_uscc("330100", 10), "坏地区", "990100", "it_services", "", ""],
            [make_uscc("330100", 11), "坏行业", "330100", "游戏", "", ""],
            [make_uscc("330100", 12), "坏日期", "330100", "embedded", "2020-02-30", ""],
        ],
    )
    res = import_enterprises(db, bad)
    assert res.status == "rejected"
    assert [(e.row, e.rule) for e in res.errors] == [(3, "uscc"), (4, "region"), (5, "sector"), (6, "date")]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(models.Enterprise)) == 0
        assert s.scalar(select(func.count()).select_from(models.Upload)) == 0


def test_a_generated_registry_is_recorded_synthetic(db, tmp_path):
    from sitmon.collect.synthetic import simulate, write

    src = tmp_path / "gen"
    write(simulate(30, 2024, 2024, seed=3), src, annual=False)
    res = import_enterprises(db, src / "enterprises.csv")
    assert (res.status, res.synthetic) == ("stored", True)
    with db.session() as s:
        assert all(e.synthetic for e in registry(s).values())
        assert s.scalar(select(models.Upload.synthetic)) is True
        event = s.scalar(select(models.AuditEvent).where(models.AuditEvent.action == "registry.imported"))
        assert event.detail["synthetic"] is True


def test_only_the_file_its_manifest_names_is_synthetic(db, tmp_path):
    from sitmon.collect.synthetic import simulate, write

    src = tmp_path / "gen"
    write(simulate(20, 2024, 2024, seed=4), src, annual=False)
    elsewhere = tmp_path / "other" / "enterprises.csv"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes((src / "enterprises.csv").read_bytes())
    assert import_enterprises(db, elsewhere, dry_run=True).synthetic is False  # no manifest beside it
    edited = (src / "enterprises.csv").read_text(encoding="utf-8").replace("合成企业000001", "某真实企业")
    (src / "enterprises.csv").write_text(edited, encoding="utf-8")
    assert (
        import_enterprises(db, src / "enterprises.csv", dry_run=True).synthetic is False
    )  # not the file named
    (src / "manifest.json").write_text("{not json", encoding="utf-8")
    assert import_enterprises(db, src / "enterprises.csv", dry_run=True).synthetic is False
    plain = _write(
        tmp_path / "plain.csv", [[make_uscc("330100", 1), "甲公司", "330100", "it_services", "", ""]]
    )
    assert import_enterprises(db, plain, synthetic=True).synthetic is True  # said explicitly
    with db.session() as s:
        assert [e.synthetic for e in registry(s).values()] == [True]
