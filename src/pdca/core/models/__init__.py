from .calendar import CalendarFeed, ReminderSetting
from .grants import AccessGrant
from .jobs import Job, TaskFailure
from .membership import Membership, MembershipQuerySet
from .organization import Department, Organization, Site
from .tokens import ApiToken
from .trail import TrailChain, TrailEntry
from .users import User

__all__ = [
    "AccessGrant",
    "ApiToken",
    "CalendarFeed",
    "Department",
    "Job",
    "Membership",
    "MembershipQuerySet",
    "Organization",
    "ReminderSetting",
    "Site",
    "TaskFailure",
    "TrailChain",
    "TrailEntry",
    "User",
]
