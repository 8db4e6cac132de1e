from .grants import AccessGrant
from .membership import Membership, MembershipQuerySet
from .notifications import Delivery, EmailStatus, Notification, NotificationPreference
from .organization import Department, Organization, Site
from .tokens import ApiToken
from .trail import TrailChain, TrailEntry
from .users import User

__all__ = [
    "AccessGrant",
    "ApiToken",
    "Delivery",
    "Department",
    "EmailStatus",
    "Membership",
    "MembershipQuerySet",
    "Notification",
    "NotificationPreference",
    "Organization",
    "Site",
    "TrailChain",
    "TrailEntry",
    "User",
]
