"""The calibrated synthetic population (合成企业总体) used by the demo, the tests and the benchmarks."""

from .population import Population, simulate
from .writer import ERROR_KINDS, write

__all__ = ["ERROR_KINDS", "Population", "simulate", "write"]
