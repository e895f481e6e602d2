"""Reading the catalog YAML shipped in ``sitmon/catalog/data`` into validated models.

A broken catalog fails at load time with a :class:`CatalogError` naming the file, the key and
the reason. Other catalog modules (rules, plans, disclosure parameters, series) read their own files
through :func:`read_yaml`, :func:`read_csv_rows` and :func:`build`: this module is the one place where the
catalog touches files (its own shipped data), which keeps the rest of the catalog pure.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

DATA_PACKAGE = "sitmon.catalog"


class CatalogError(ValueError):
    """The shipped catalog is malformed: ``file``, ``key`` and ``reason`` say where and why."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"catalog {file}: {key}: {reason}")


#: libyaml's safe loader when PyYAML was built with it (the catalog loads ~10× faster), else the pure-Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(name: str) -> Path:
    """Path of a catalog data file, e.g. ``data_path('regions.yaml')``."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath("data", name)))


def read_yaml(name: str, base: Path | None = None) -> dict[str, Any]:
    """The mapping at the top of catalog file ``name`` (relative to ``base`` or the data folder)."""
    path = (base / name) if base else data_path(name)
    try:
        with path.open(encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=SAFE_LOADER)
    except FileNotFoundError as exc:
        raise CatalogError(str(path), "-", "file not found") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(str(path), "-", f"not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise CatalogError(str(path), "-", "the top level must be a mapping")
    return doc


def yaml_files(folder: Path) -> list[str]:
    """Names of the ``*.yaml`` files in ``folder``, sorted (e.g. the plans, one file each)."""
    return sorted(p.name for p in folder.glob("*.yaml"))


def read_csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of the shipped catalog CSV file ``name`` as mappings of column to text."""
    with data_path(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(
    model: type[M],
    items: Any,
    file: str,
    key: str,
    id_field: str = "code",
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[M, ...]:
    """Validate the list ``items`` (found under ``key`` of ``file``) as ``model`` instances.

    Returns the models in file order; raises :class:`CatalogError` naming the item that failed
    (``key[index]`` or ``key[<id>]``) and pydantic's reason, or a repeated identifier.
    """
    if not isinstance(items, list):
        raise CatalogError(file, key, "expected a list")
    out: list[M] = []
    seen: set[Any] = set()
    for i, raw in enumerate(items):
        label = f"{key}[{raw.get(id_field, i) if isinstance(raw, dict) else i}]"
        if not isinstance(raw, dict):
            raise CatalogError(file, label, "expected a mapping")
        try:
            item = model.model_validate(prepare(raw) if prepare else raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise CatalogError(file, f"{label}.{loc}" if loc else label, first["msg"]) from exc
        ident = getattr(item, id_field, None)
        if ident is not None and ident in seen:
            raise CatalogError(file, label, f"duplicate {id_field} {ident!r}")
        seen.add(ident)
        out.append(item)
    return tuple(out)
