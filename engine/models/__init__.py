"""SQLAlchemy models; importing this module registers every table on Base.metadata."""

from .agency import AgencyAuthorization
from .appointments import Appointment, AppointmentSlot
from .audit import AuditEvent
from .base import Base
from .cases import Case, CaseTask, Counter, Subscription
from .catalog import Department, Item, ItemMaterial
from .clocks import CommitmentClock
from .cooperation import CooperationRequest
from .deployments import Deployment, DeploymentFile, ProcessDefinition
from .drafts import ApplicationDraft
from .jobs import Job
from .materials import CaseMaterial
from .notifications import Notification
from .offices import Office, OfficeMember
from .ratings import Rating, RatingFollowUp
from .supervision import SupervisionOrder
from .users import ApiToken, Membership, User
from .visits import MobileIntake, Visit
from .work import Candidate, WorkItem
from .workbench import Comment, Watch

__all__ = [
    "Appointment", "AppointmentSlot", "MobileIntake", "Notification", "Visit",
    "AgencyAuthorization", "ApplicationDraft", "CooperationRequest",
    "CommitmentClock", "Rating", "RatingFollowUp", "SupervisionOrder",
    "ApiToken", "AuditEvent", "Base", "Candidate", "Case", "CaseMaterial", "CaseTask", "Counter",
    "Department", "Deployment", "DeploymentFile", "Item", "ItemMaterial", "Job", "Membership",
    "Office", "OfficeMember", "ProcessDefinition", "Subscription", "User", "WorkItem",
    "Comment", "Watch",
]
