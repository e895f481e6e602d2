"""Queries and writes of the enterprise registry (current attributes + append-only versions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from .models import Enterprise, EnterpriseVersion

TRACKED = (
    "name",
    "region_code",
    "sector",
    "founded",
    "closed",
    "above_scale",
    "monthly_panel",
    "contact",
    "phone",
)


@dataclass(frozen=True)
class RegistryEntry:
    """An enterprise as the registry holds it now."""

    id: int
    uscc: str
    name: str
    region_code: str
    province_code: str
    city_code: str | None
    macro_region: str | None
    sector: str
    founded: date | None
    closed: date | None
    synthetic: bool = False
    above_scale: bool = True
    monthly_panel: bool = True
    contact: str | None = None
    phone: str | None = None

    def tracked(self) -> tuple[Any, ...]:
        """The attributes whose change makes a new version of the entry."""
        return tuple(getattr(self, k) for k in TRACKED)


def registry(session: Session) -> dict[str, RegistryEntry]:
    """Every registered enterprise by USCC."""
    rows = session.execute(
        select(
            Enterprise.id,
            Enterprise.uscc,
            Enterprise.name,
            Enterprise.region_code,
            Enterprise.province_code,
            Enterprise.city_code,
            Enterprise.macro_region,
            Enterprise.sector,
            Enterprise.founded,
            Enterprise.closed,
            Enterprise.synthetic,
            Enterprise.above_scale,
            Enterprise.monthly_panel,
            Enterprise.contact,
            Enterprise.phone,
        )
    )
    return {r.uscc: RegistryEntry(*r) for r in rows}


def uscc_ids(session: Session) -> dict[str, tuple[int, str]]:
    """USCC → (enterprise id, sector) for every registered enterprise."""
    return {
        u: (i, s) for i, u, s in session.execute(select(Enterprise.id, Enterprise.uscc, Enterprise.sector))
    }


def add_enterprises(session: Session, rows: Sequence[dict[str, Any]], upload_id: int | None) -> int:
    """Register new enterprises (dicts with uscc, name, region_code, province_code, city_code, macro_region,
    sector, founded, closed, above_scale, monthly_panel, contact, phone and optionally synthetic) with version 1
    of their history; returns how many."""
    if not rows:
        return 0
    session.execute(insert(Enterprise), list(rows))
    ids: dict[str, int] = (
        dict(
            session.execute(
                select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.in_([r["uscc"] for r in rows]))
            )
            .tuples()
            .all()
        )
        if len(rows) < 5000
        else dict(session.execute(select(Enterprise.uscc, Enterprise.id)).tuples().all())
    )
    session.execute(
        insert(EnterpriseVersion),
        [
            {
                "enterprise_id": ids[r["uscc"]],
                "version": 1,
                "upload_id": upload_id,
                **{k: r[k] for k in TRACKED},
            }
            for r in rows
        ],
    )
    return len(rows)


def update_enterprises(
    session: Session, changes: Sequence[tuple[int, dict[str, Any]]], upload_id: int | None
) -> int:
    """Apply changed attributes to existing enterprises, appending a new version each; returns how many."""
    if not changes:
        return 0
    versions: dict[int, int] = dict(
        session.execute(
            select(EnterpriseVersion.enterprise_id, func.max(EnterpriseVersion.version))
            .where(EnterpriseVersion.enterprise_id.in_([c[0] for c in changes]))
            .group_by(EnterpriseVersion.enterprise_id)
        )
        .tuples()
        .all()
    )
    for ent_id, attrs in changes:
        session.execute(update(Enterprise).where(Enterprise.id == ent_id).values(**attrs))
    session.execute(
        insert(EnterpriseVersion),
        [
            {
                "enterprise_id": ent_id,
                "version": versions.get(ent_id, 0) + 1,
                "upload_id": upload_id,
                **{k: attrs[k] for k in TRACKED},
            }
            for ent_id, attrs in changes
        ],
    )
    return len(changes)


def history(session: Session, uscc: str) -> list[EnterpriseVersion]:
    """Recorded versions of one enterprise's registry entry, oldest first (empty if unknown)."""
    stmt = (
        select(EnterpriseVersion)
        .join(Enterprise, Enterprise.id == EnterpriseVersion.enterprise_id)
        .where(Enterprise.uscc == uscc)
        .order_by(EnterpriseVersion.version)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class ActiveSpan:
    """When and which form an enterprise is expected to file: registry id, USCC, name, province, city, founded,
    closed, sector, the scope flags (above designated size: the annual survey; key enterprise: the monthly
    panel) and the contacts for chasing."""

    id: int
    uscc: str
    name: str
    province_code: str
    city_code: str | None
    founded: date | None
    closed: date | None
    sector: str | None = None
    above_scale: bool = True
    monthly_panel: bool = True
    contact: str | None = None
    phone: str | None = None

    def active_on(self, day: date) -> bool:
        """Founded by ``day`` (or unknown) and not closed by then."""
        return (self.founded is None or self.founded <= day) and (self.closed is None or self.closed > day)

    def files(self, form: str) -> bool:
        """True when the enterprise belongs to the population of ``form``: the monthly key-enterprise panel for
        ``monthly``, the enterprises above designated size for ``annual``."""
        return self.monthly_panel if form == "monthly" else self.above_scale


def spans(session: Session, province_code: str | None = None) -> list[ActiveSpan]:
    """Every registered enterprise (of one province) with the dates and flags that decide whether it must file."""
    stmt = select(
        Enterprise.id,
        Enterprise.uscc,
        Enterprise.name,
        Enterprise.province_code,
        Enterprise.city_code,
        Enterprise.founded,
        Enterprise.closed,
        Enterprise.sector,
        Enterprise.above_scale,
        Enterprise.monthly_panel,
        Enterprise.contact,
        Enterprise.phone,
    ).order_by(Enterprise.uscc)
    if province_code is not None:
        stmt = stmt.where(Enterprise.province_code == province_code)
    return [ActiveSpan(*r) for r in session.execute(stmt)]


def population_ids(session: Session, form: str) -> set[int]:
    """Ids of the enterprises in the population of ``form`` (active or not): the monthly key-enterprise panel for
    ``monthly``, the enterprises above designated size for ``annual``."""
    flag = Enterprise.monthly_panel if form == "monthly" else Enterprise.above_scale
    return set(session.scalars(select(Enterprise.id).where(flag.is_(True))))


def enterprise_id(session: Session, uscc: str) -> int | None:
    """Registry id of one USCC (None if not registered)."""
    return session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
