"""The inputs a management review must consider, per standard, and who compiles each.

Every input is registered once, by code, with the clause of each standard that requires it
(the clause mapping also says which standards require it) and its provider:

    register_review_input(
        "audits", _("Results of internal and external audits"),
        {"iso9001": "9.3.2 c) 6)", "iso14001": "9.3 d) 4)"}, audit_results, order=110,
    )

`provider(organization, period)` returns an `InputSummary` (a sentence, figures and links, as
English message ids marked with `gettext_noop`) from live data, in a fixed number of queries;
a review freezes it when it is prepared. An input registered with `provider=None` has no
module in pdca yet: the review shows it as "not yet available in pdca" and its information is
entered by hand. A module built later registers its provider with
`set_input_provider(code, provider)` in its `AppConfig.ready()` (or registers the whole input
again by code, which replaces it). A review covering several standards asks each shared input
once, naming every clause that requires it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STANDARD_NAMES = {
    "iso9001": "ISO 9001",
    "iso14001": "ISO 14001",
    "iso45001": "ISO 45001",
    "iso27001": "ISO/IEC 27001",
}


@dataclass(frozen=True)
class Period:
    """What the inputs cover: from the previous review to this one."""

    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class InputSummary:
    """A sentence with its %-style `params`, figures and links. The sentence and the labels are
    English message ids (`gettext_noop`): the review keeps them so, and each page translates
    them for its reader (`ReviewInput.shown`)."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "params": {k: v if isinstance(v, int) else str(v) for k, v in self.params.items()},
            "figures": [[str(a), str(b)] for a, b in self.figures],
            "links": [[str(a), str(b)] for a, b in self.links],
        }


Provider = Callable[[Any, Period], InputSummary]


@dataclass
class ReviewInputKind:
    code: str
    title: str | Promise
    clauses: dict[str, str]  # standard code -> the clause that requires it
    provider: Provider | None
    order: int

    def clauses_for(self, standard_codes: set[str]) -> str:
        return "; ".join(
            f"{STANDARD_NAMES.get(code, code)} {clause}"
            for code, clause in self.clauses.items()
            if code in standard_codes
        )


REVIEW_INPUTS: dict[str, ReviewInputKind] = {}


def register_review_input(
    code: str,
    title: str | Promise,
    clause: dict[str, str],
    provider: Provider | None,
    order: int = 100,
) -> None:
    """Add (or replace, by code) an input; `clause` maps each standard that requires it to the
    clause, `provider` compiles it (None: entered by hand until a module compiles it)."""
    REVIEW_INPUTS[code] = ReviewInputKind(code, title, dict(clause), provider, order)


def set_input_provider(code: str, provider: Provider) -> None:
    """The module that brings an input's data compiles it from now on."""
    REVIEW_INPUTS[code].provider = provider


def required_inputs(standard_codes: set[str]) -> list[ReviewInputKind]:
    """The inputs the standards require, each once, in the agenda's order."""
    kinds = [k for k in REVIEW_INPUTS.values() if set(k.clauses) & standard_codes]
    return sorted(kinds, key=lambda k: (k.order, k.code))


# --- The checklists of 9.3.2 (9001, 27001) and 9.3 (14001, 45001) ----------------------------
# Providers for what pdca compiles are attached in providers.py; the rest wait for their module.

register_review_input(
    "previous_actions",
    _("Status of actions from previous management reviews"),
    {"iso9001": "9.3.2 a)", "iso14001": "9.3 a)", "iso45001": "9.3 a)", "iso27001": "9.3.2 a)"},
    None,
    order=10,
)
register_review_input(
    "issues",
    _("Changes in external and internal issues"),
    {
        "iso9001": "9.3.2 b)",
        "iso14001": "9.3 b) 1)",
        "iso45001": "9.3 b)",
        "iso27001": "9.3.2 b)",
    },
    None,
    order=20,
)
register_review_input(
    "interested_parties",
    _("Changes in the needs and expectations of interested parties"),
    {"iso14001": "9.3 b) 2)", "iso45001": "9.3 b) 1)", "iso27001": "9.3.2 c)"},
    None,
    order=30,
)
register_review_input(
    "obligations",
    _("Changes in compliance obligations (legal and other requirements)"),
    {"iso14001": "9.3 b) 2)", "iso45001": "9.3 b) 2)"},
    None,
    order=40,
)
register_review_input(
    "aspects",
    _("Changes in significant environmental aspects"),
    {"iso14001": "9.3 b) 3)"},
    None,
    order=50,
)
register_review_input(
    "risks",
    _("Changes in risks and opportunities, and the effectiveness of the actions on them"),
    {"iso9001": "9.3.2 e)", "iso14001": "9.3 b) 4)", "iso45001": "9.3 b) 3), d) 6)"},
    None,
    order=60,
)
register_review_input(
    "customer_satisfaction",
    _("Customer satisfaction and feedback from relevant interested parties"),
    {"iso9001": "9.3.2 c) 1)"},
    None,
    order=70,
)
register_review_input(
    "objectives",
    _("Extent to which the policy and objectives have been met"),
    {
        "iso9001": "9.3.2 c) 2)",
        "iso14001": "9.3 c)",
        "iso45001": "9.3 c)",
        "iso27001": "9.3.2 d) 4)",
    },
    None,
    order=80,
)
register_review_input(
    "process_performance",
    _("Process performance and conformity of products and services"),
    {"iso9001": "9.3.2 c) 3)"},
    None,
    order=90,
)
register_review_input(
    "nonconformities",
    _("Incidents, nonconformities and corrective actions"),
    {
        "iso9001": "9.3.2 c) 4)",
        "iso14001": "9.3 d) 1)",
        "iso45001": "9.3 d) 1)",
        "iso27001": "9.3.2 d) 1)",
    },
    None,
    order=100,
)
register_review_input(
    "monitoring",
    _("Monitoring and measurement results"),
    {
        "iso9001": "9.3.2 c) 5)",
        "iso14001": "9.3 d) 2)",
        "iso45001": "9.3 d) 2)",
        "iso27001": "9.3.2 d) 2)",
    },
    None,
    order=110,
)
register_review_input(
    "compliance",
    _("Fulfilment of compliance obligations: results of the evaluation of compliance"),
    {"iso14001": "9.3 d) 3)", "iso45001": "9.3 d) 3)"},
    None,
    order=120,
)
register_review_input(
    "audits",
    _("Results of internal and external audits"),
    {
        "iso9001": "9.3.2 c) 6)",
        "iso14001": "9.3 d) 4)",
        "iso45001": "9.3 d) 4)",
        "iso27001": "9.3.2 d) 3)",
    },
    None,
    order=130,
)
register_review_input(
    "external_providers",
    _("Performance of external providers"),
    {"iso9001": "9.3.2 c) 7)"},
    None,
    order=140,
)
register_review_input(
    "worker_participation",
    _("Consultation and participation of workers"),
    {"iso45001": "9.3 d) 5)"},
    None,
    order=150,
)
register_review_input(
    "risk_treatment",
    _("Results of the risk assessment and status of the risk treatment plan"),
    {"iso27001": "9.3.2 f)"},
    None,
    order=160,
)
register_review_input(
    "communications",
    _("Communications from interested parties, including complaints"),
    {"iso14001": "9.3 f)", "iso45001": "9.3 f)", "iso27001": "9.3.2 e)"},
    None,
    order=170,
)
register_review_input(
    "resources",
    _("Adequacy of resources"),
    {"iso9001": "9.3.2 d)", "iso14001": "9.3 e)", "iso45001": "9.3 e)"},
    None,
    order=180,
)
register_review_input(
    "system_state",
    _("Suitability, adequacy and effectiveness: readiness and documented information"),
    {"iso9001": "9.3.1", "iso14001": "9.3", "iso45001": "9.3", "iso27001": "9.3.1"},
    None,
    order=190,
)
register_review_input(
    "improvement",
    _("Opportunities for continual improvement"),
    {"iso9001": "9.3.2 f)", "iso14001": "9.3 g)", "iso45001": "9.3 g)", "iso27001": "9.3.2 g)"},
    None,
    order=200,
)
