"""The item catalogue: read, validate and import item lists; look items up."""

from engine.org.catalog.importing import ImportCounts, import_catalog
from engine.org.catalog.queries import get_item, item_as_dict, list_departments, list_items
from engine.org.catalog.reading import read_catalog
from engine.org.catalog.validation import RowProblem, RowsInvalid

__all__ = ["ImportCounts", "RowProblem", "RowsInvalid", "get_item", "import_catalog",
           "item_as_dict", "list_departments", "list_items", "read_catalog"]
