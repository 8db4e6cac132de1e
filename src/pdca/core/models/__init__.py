from .calendar import CalendarFeed, ReminderSetting
from .grants import AccessGrant
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
    "Membership",
    "MembershipQuerySet",
    "Organization",
    "ReminderSetting",
    "Site",
    "TrailChain",
    "TrailEntry",
    "User",
]
