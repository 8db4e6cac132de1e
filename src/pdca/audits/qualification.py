"""Whether the auditors of an audit hold a valid auditor qualification (ISO 19011 clause 7),
asked of the modules that keep competence without the audits app depending on them.

A module registers `check(*, organization, users, on) -> list[AuditorQualification]` in its
`ready()` (the people module answers from its competence records): one entry per user it has
something to say about. "missing" is a warning when planning; "expired" refuses that person
as lead auditor unless an override reason is given, which the trail records. With no check
registered (or none that knows the organization's qualifications), nothing is said.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MISSING = "missing"
EXPIRED = "expired"


@dataclass(frozen=True)
class AuditorQualification:
    user_id: int
    state: str  # MISSING or EXPIRED
    message: str


AuditorCheck = Callable[..., list[AuditorQualification]]
CHECKS: list[AuditorCheck] = []


def register_auditor_check(check: AuditorCheck) -> None:
    if check not in CHECKS:
        CHECKS.append(check)


def auditor_problems(
    *, organization: Any, users: Iterable[Any], on: datetime.date
) -> list[AuditorQualification]:
    """What the registered checks say about `users` (those without a valid qualification)."""
    people = [u for u in users if u is not None]
    if not people:
        return []
    found: list[AuditorQualification] = []
    for check in CHECKS:
        found += check(organization=organization, users=people, on=on)
    return found
