"""SQLAlchemy models; importing this module registers every table on Base.metadata."""

from .agency import AgencyAuthorization
from .audit import AuditEvent
from .base import Base
from .cases import Case, CaseTask, Counter, Subscription
from .catalog import Department, Item, ItemMaterial
from .cooperation import CooperationRequest
from .deployments import Deployment, DeploymentFile, ProcessDefinition
from .jobs import Job
from .materials import CaseMaterial
from .offices import Office, OfficeMember
from .users import ApiToken, Membership, User
from .work import Candidate, WorkItem

__all__ = [
    "AgencyAuthorization", "CooperationRequest",
    "ApiToken", "AuditEvent", "Base", "Candidate", "Case", "CaseMaterial", "CaseTask", "Counter",
    "Department", "Deployment", "DeploymentFile", "Item", "ItemMaterial", "Job", "Membership",
    "Office", "OfficeMember", "ProcessDefinition", "Subscription", "User", "WorkItem",
]
