"""Registry of every table, so Alembic and tests see the whole schema with one import."""

from app.db import Base
from app.inbound.models import InboundMessage, PartialNote, RejectedCallback, RejectedCallbackCount
from app.joins.models import CustomerGroupMember, CustomerGroupSync, JoinInvitation, VillageJoinWay
from app.ops.models import ProcessHeartbeat
from app.org.models import ChatGroup, Contact, Node, Staff
from app.outbound.models import AccessTokenRow, ApiCall
from app.training.models import Attendance, Trainee, TrainingClass
from relay.match.models import MatchOccupation, MatchProfile, MatchPush, MatchQuery, MatchSubscription
from relay.models import Delivery, DeliveryAttempt, GroupTask, Hop, Item
from relay.outcome_models import ContactRequest, Hire, Question, Survey
from vetting.models import (
    AuditEvent,
    BlacklistEntry,
    Enterprise,
    EnterpriseMember,
    PostReport,
    PostReview,
    RegistrationDialogue,
    VettingCard,
)

__all__ = ["Base", "Node", "ChatGroup", "Staff", "Contact", "InboundMessage", "PartialNote", "RejectedCallback", "RejectedCallbackCount", "AccessTokenRow", "ApiCall",
           "Item", "Hop", "Delivery", "DeliveryAttempt", "GroupTask",
           "Enterprise", "EnterpriseMember", "RegistrationDialogue", "BlacklistEntry", "VettingCard", "PostReview",
           "PostReport", "AuditEvent", "VillageJoinWay", "JoinInvitation", "CustomerGroupMember", "CustomerGroupSync",
           "ProcessHeartbeat", "MatchProfile", "MatchOccupation", "MatchQuery", "MatchSubscription", "MatchPush",
           "Question", "ContactRequest", "Hire", "Survey", "TrainingClass", "Trainee", "Attendance"]
