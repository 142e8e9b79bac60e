"""SQLAlchemy models; importing this module registers every table on Base.metadata."""

from .audit import AuditEvent
from .base import Base
from .cases import Case, CaseTask, Counter, Subscription
from .catalog import Department, Item, ItemMaterial
from .deployments import Deployment, DeploymentFile, ProcessDefinition
from .jobs import Job
from .offices import Office, OfficeMember
from .users import ApiToken, Membership, User
from .work import Candidate, WorkItem

__all__ = [
    "ApiToken", "AuditEvent", "Base", "Candidate", "Case", "CaseTask", "Counter",
    "Department", "Deployment", "DeploymentFile", "Item", "ItemMaterial", "Job", "Membership",
    "Office", "OfficeMember", "ProcessDefinition", "Subscription", "User", "WorkItem",
]
