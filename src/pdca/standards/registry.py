"""Hooks other modules plug into, so that this app never imports them.

- `register_evidence_kind("documents.document", "maintain", valid=Q(status="effective"))`:
  evidence links to objects of that model count as the documents ("maintain") or records
  ("retain") a clause requires, but only while the object matches `valid` (a draft or obsolete
  document, or a disposed record, is linked evidence yet not documented information present).
- `register_process_section(fn)`: fn(request, process) -> HTML (or "") shown on the process page,
  e.g. the documents, KPIs, risks or audits of that process.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q

EVIDENCE_KINDS: dict[str, set[str]] = {"maintain": set(), "retain": set()}
EVIDENCE_VALIDITY: dict[str, Q] = {}  # app_label.model -> what makes an object count
PROCESS_SECTIONS: list[tuple[int, Callable[[Any, Any], str]]] = []


def register_evidence_kind(app_label_model: str, kind: str, *, valid: Q | None = None) -> None:
    """Count evidence links to `app_label.model` objects as documented information of `kind`.

    With `valid`, only linked objects matching it count (the filter runs on the model's table).
    """
    if kind not in EVIDENCE_KINDS:
        raise ValueError(f"Unknown kind {kind!r}: use 'maintain' or 'retain'.")
    if app_label_model.count(".") != 1:
        raise ValueError("Name the model as 'app_label.model', e.g. 'documents.document'.")
    EVIDENCE_KINDS[kind].add(app_label_model.lower())
    if valid is not None:
        EVIDENCE_VALIDITY[app_label_model.lower()] = valid
    else:
        EVIDENCE_VALIDITY.pop(app_label_model.lower(), None)


def register_process_section(section: Callable[[Any, Any], str], order: int = 100) -> None:
    if all(s is not section for _, s in PROCESS_SECTIONS):
        PROCESS_SECTIONS.append((order, section))
        PROCESS_SECTIONS.sort(key=lambda pair: pair[0])


def process_sections(request: Any, process: Any) -> list[str]:
    return [html for _, section in PROCESS_SECTIONS if (html := section(request, process))]
