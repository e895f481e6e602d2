"""Disclosure control (统计披露控制): primary suppression by the threshold and dominance rules, secondary
suppression over the linked tables of a release, the flags of derived measures, and the attacker audit that
proves the result (pure: Ibis expressions and plain numbers in, patterns and intervals out; no I/O)."""

from .audit import Attacker, CellAudit, audit_cells
from .cells import LinkedTables, build_linked, table_name
from .flags import measure_flags, protect_parts
from .rules import DOMINANCE, REASONS, SECONDARY, THRESHOLD, dominance_rule, primary_flags, threshold_rule
from .secondary import Pattern, protect
from .stats import GEO_DIMENSIONS, TIER_DIMENSIONS, contributor_stats, panel_stats, release_stats

__all__ = ["DOMINANCE", "GEO_DIMENSIONS", "REASONS", "SECONDARY", "THRESHOLD", "TIER_DIMENSIONS", "Attacker",
           "CellAudit", "LinkedTables", "Pattern", "audit_cells", "build_linked", "contributor_stats", "dominance_rule",
           "measure_flags", "panel_stats", "primary_flags", "protect", "protect_parts", "release_stats",
           "table_name", "threshold_rule"]
