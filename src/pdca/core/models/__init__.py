from .calendar import CalendarFeed, ReminderSetting
from .grants import AccessGrant
from .jobs import Job, TaskFailure
from .membership import Membership, MembershipQuerySet
from .notifications import Delivery, EmailStatus, Notification, NotificationPreference
from .organization import Department, Organization, Site
from .tokens import ApiToken
from .trail import TrailChain, TrailEntry
from .users import User

__all__ = [
    "AccessGrant",
    "ApiToken",
    "CalendarFeed",
    "Delivery",
    "Department",
    "EmailStatus",
    "Job",
    "Membership",
    "MembershipQuerySet",
    "Notification",
    "NotificationPreference",
    "Organization",
    "ReminderSetting",
    "Site",
    "TaskFailure",
    "TrailChain",
    "TrailEntry",
    "User",
]
