"""SQLAlchemy models; importing this module registers every table on Base.metadata."""

from .audit import AuditEvent
from .base import Base
from .cases import Case, CaseTask, Counter, Subscription
from .deployments import Deployment, DeploymentFile, ProcessDefinition
from .jobs import Job
from .users import ApiToken, Membership, User
from .work import Candidate, WorkItem

__all__ = [
    "ApiToken", "AuditEvent", "Base", "Candidate", "Case", "CaseTask", "Counter",
    "Deployment", "DeploymentFile", "Job", "Membership", "ProcessDefinition",
    "Subscription", "User", "WorkItem",
]
