"""Disclosure control (统计披露控制): primary suppression by the threshold, dominance and zero rules, secondary
suppression with the least information loss over the linked tables of a release, the flags of derived measures,
and the attacker audit that proves the result against what an attacker knows (pure: Ibis expressions and plain
numbers in, patterns and intervals out; no I/O)."""

from .audit import CellAudit, audit_all, audit_cells
from .cells import LinkedTables, build_linked, table_name
from .flags import measure_flags, protect_parts
from .knowledge import Knowledge, Scope, province_scopes, requirements
from .lp import AttackerLP, SolverError
from .optimal import Pattern, failsafe_pattern, protect
from .rules import (
    DOMINANCE,
    REASONS,
    SECONDARY,
    THRESHOLD,
    ZERO,
    dominance_rule,
    primary_flags,
    threshold_rule,
    zero_rule,
)
from .stats import GEO_DIMENSIONS, TIER_DIMENSIONS, contributor_stats, panel_stats, release_stats

__all__ = [
    "DOMINANCE",
    "GEO_DIMENSIONS",
    "REASONS",
    "SECONDARY",
    "THRESHOLD",
    "TIER_DIMENSIONS",
    "ZERO",
    "AttackerLP",
    "CellAudit",
    "Knowledge",
    "LinkedTables",
    "Pattern",
    "Scope",
    "SolverError",
    "audit_all",
    "audit_cells",
    "build_linked",
    "contributor_stats",
    "dominance_rule",
    "failsafe_pattern",
    "measure_flags",
    "panel_stats",
    "primary_flags",
    "protect",
    "protect_parts",
    "province_scopes",
    "release_stats",
    "requirements",
    "table_name",
    "threshold_rule",
    "zero_rule",
]
