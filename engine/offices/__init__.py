"""The org model: offices, staff postings and their groups, accept-anywhere routing."""

from .importing import OrgCounts, import_offices, read_org
from .members import office_groups, set_postings, sync_groups
from .queries import office_tree
from .routing import competent_office, department_office, get_office, route, who_decides

__all__ = ["OrgCounts", "competent_office", "department_office", "get_office",
           "import_offices", "office_groups", "office_tree", "read_org", "route",
           "set_postings", "sync_groups", "who_decides"]
