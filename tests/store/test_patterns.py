"""Published patterns are written once and never overwritten."""

from sitmon.config import Settings
from sitmon.store.patterns import pattern_path, read_pattern, write_pattern


def test_the_first_pattern_written_stays(tmp_path):
    settings = Settings(home=tmp_path / "home")
    assert read_pattern(settings, "monthly", "2024-06", 1, "revenue_total") is None
    first = write_pattern(settings, "monthly", "2024-06", 1, "revenue_total", {"cells": [{"flag": "threshold"}]})
    again = write_pattern(settings, "monthly", "2024-06", 1, "revenue_total", {"cells": []})
    assert again == first == read_pattern(settings, "monthly", "2024-06", 1, "revenue_total")
    path = pattern_path(settings, "monthly", "2024-06", 1, "revenue_total")
    assert path.parent.name == "release=1" and sorted(p.name for p in path.parent.iterdir()) == ["revenue_total.json"]
