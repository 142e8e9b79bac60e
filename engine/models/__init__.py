"""The data model: SQLAlchemy tables; importing this package registers every one of them.

May import: nothing else of the engine."""

from engine.models.agency import AgencyAuthorization
from engine.models.appointments import Appointment, AppointmentSlot
from engine.models.audit import AuditEvent
from engine.models.base import Base
from engine.models.case_search import CaseSearch
from engine.models.cases import Case, CaseTask, Counter, Subscription
from engine.models.catalog import Department, Item, ItemMaterial
from engine.models.clocks import CommitmentClock
from engine.models.cooperation import CooperationRequest
from engine.models.deployments import Deployment, DeploymentFile, ProcessDefinition
from engine.models.drafts import ApplicationDraft
from engine.models.jobs import Job
from engine.models.materials import CaseMaterial
from engine.models.notifications import Notification
from engine.models.offices import Office, OfficeMember
from engine.models.ratings import Rating, RatingFollowUp
from engine.models.sign_in import BrowserSession, SignInAttempt
from engine.models.supervision import SupervisionOrder
from engine.models.users import ApiToken, Membership, User
from engine.models.visits import MobileIntake, Visit
from engine.models.work import Candidate, OpenWorkKey, WorkItem
from engine.models.workbench import Comment, Watch

__all__ = [
    "Appointment", "AppointmentSlot", "MobileIntake", "Notification", "Visit",
    "AgencyAuthorization", "ApplicationDraft", "CooperationRequest",
    "CommitmentClock", "Rating", "RatingFollowUp", "SupervisionOrder",
    "ApiToken", "AuditEvent", "Base", "Candidate", "Case", "CaseMaterial", "CaseTask", "Counter",
    "Department", "Deployment", "DeploymentFile", "Item", "ItemMaterial", "Job", "Membership",
    "Office", "OfficeMember", "ProcessDefinition", "Subscription", "User", "WorkItem",
    "Comment", "Watch", "BrowserSession", "SignInAttempt", "CaseSearch", "OpenWorkKey",
]
