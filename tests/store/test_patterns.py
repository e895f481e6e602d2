"""Published patterns are written once, inside their release folder, and never overwritten."""

from sitmon.config import Settings
from sitmon.store.patterns import pattern_path, read_pattern, write_pattern
from sitmon.store.warehouse import release_dir


def test_the_first_pattern_written_stays(tmp_path):
    settings = Settings(home=tmp_path / "home")
    assert read_pattern(settings, "monthly", "2024-06", 1, "revenue_total") is None
    folder = release_dir(settings, "monthly", "2024-06", 1)
    first = write_pattern(folder, "revenue_total", {"cells": [{"flag": "threshold"}]})
    again = write_pattern(folder, "revenue_total", {"cells": []})
    assert again == first == read_pattern(settings, "monthly", "2024-06", 1, "revenue_total")
    path = pattern_path(settings, "monthly", "2024-06", 1, "revenue_total")
    assert path.parent.parent == folder and sorted(p.name for p in path.parent.iterdir()) == [
        "revenue_total.json"
    ]


def test_an_unreadable_pattern_reads_as_missing(tmp_path):
    settings = Settings(home=tmp_path / "home")
    path = pattern_path(settings, "monthly", "2024-06", 1, "revenue_total")
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert read_pattern(settings, "monthly", "2024-06", 1, "revenue_total") is None
