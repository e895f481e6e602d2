"""The statistical design (catalog): indicators, forms, regions, sectors, rules and plans as YAML."""

from .catalog import Catalog, load_catalog, load_catalog_from
from .loader import CatalogError
from .models import City, Form, Indicator, MacroRegion, Province, RegionPath, Sector, Unit

__all__ = [
    "Catalog",
    "CatalogError",
    "City",
    "Form",
    "Indicator",
    "MacroRegion",
    "Province",
    "RegionPath",
    "Sector",
    "Unit",
    "load_catalog",
    "load_catalog_from",
]
