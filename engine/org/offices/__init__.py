"""The org model: offices, staff postings and their groups, accept-anywhere routing."""

from engine.org.offices.importing import OrgCounts, import_offices, read_org
from engine.org.offices.members import office_groups, set_postings, sync_groups
from engine.org.offices.queries import office_tree
from engine.org.offices.routing import (
           competent_office,
           department_office,
           get_office,
           route,
           who_decides,
)

__all__ = ["OrgCounts", "competent_office", "department_office", "get_office",
           "import_offices", "office_groups", "office_tree", "read_org", "route",
           "set_postings", "sync_groups", "who_decides"]
