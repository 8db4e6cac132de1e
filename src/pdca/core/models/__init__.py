from .grants import AccessGrant
from .membership import Membership, MembershipQuerySet
from .organization import Department, Organization, Site
from .tokens import ApiToken
from .trail import TrailChain, TrailEntry
from .users import User

__all__ = [
    "AccessGrant",
    "ApiToken",
    "Department",
    "Membership",
    "MembershipQuerySet",
    "Organization",
    "Site",
    "TrailChain",
    "TrailEntry",
    "User",
]
