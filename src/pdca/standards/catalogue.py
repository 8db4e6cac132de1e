"""Loading the clause catalogues (YAML data files) into the database.

Every file is read and validated in full before anything is written; all files are then written
in one transaction, so a bad file leaves the database exactly as it was. Loading is idempotent:
an edition whose file checksum is unchanged is skipped, and everything else is upserted (a row
is only saved when one of its values differs).

The loader works on the live models or, from a data migration, on the historical models passed
as `apps`, so that `migrate` gives every installation the catalogues.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from pdca.standards.models import sort_key

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
HS_FILE = "hs.yaml"
KINDS = ("clause", "control")


class CatalogueError(Exception):
    """A catalogue file is invalid; `problems` name the file, line and clause of each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Catalogue refused, nothing was loaded:\n" + "\n".join(problems))


@dataclass
class ParsedClause:
    number: str
    title: str
    guidance: str
    kind: str
    theme: str | None
    hs: str | None
    may_be_excluded: bool
    untitled: bool
    line: int
    required: list[tuple[str, str, str]] = field(default_factory=list)  # (code, title, kind)

    @property
    def parent_number(self) -> str | None:
        if "." not in self.number:
            return None
        head = self.number.rsplit(".", 1)[0]
        return None if head == "A" else head


@dataclass
class ParsedFile:
    path: Path
    checksum: str
    is_hs: bool
    meta: dict[str, Any]
    edition: dict[str, Any]
    themes: list[tuple[str, str]]
    clauses: list[ParsedClause]


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def _mapping_value(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_file(path: Path, known_hs: set[str] | None) -> tuple[ParsedFile | None, list[str]]:
    """Parse and validate one file; returns the parsed file or the problems found."""
    name = path.name
    raw = path.read_bytes()
    problems: list[str] = []
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        at = f", line {mark.line + 1}" if mark is not None else ""
        return None, [f"{name}{at}: not readable as YAML ({error})"]
    if not isinstance(data, dict) or root is None:
        return None, [f"{name}, line 1: expected a mapping with `clauses`"]
    is_hs = "structure" in data
    meta = data.get("structure" if is_hs else "standard") or {}
    edition = {} if is_hs else (data.get("edition") or {})
    needed = ["code", "name", "title"]
    for key in needed:
        if not _text(meta.get(key)):
            where = "structure" if is_hs else "standard"
            problems.append(
                f"{name}, line {_line(_mapping_value(root, where))}: {where} has no {key}"
            )
    if not is_hs:
        for key in ("code", "label", "year"):
            if not _text(edition.get(key)):
                problems.append(
                    f"{name}, line {_line(_mapping_value(root, 'edition'))}: edition has no {key}"
                )
    theme_codes: dict[str, str] = {}
    for item in data.get("themes") or []:
        code, title = _text(item.get("code")), _text(item.get("title"))
        if not code or not title:
            problems.append(f"{name}: theme {code or '?'} needs a code and a title")
        theme_codes[code] = title
    clause_nodes = _mapping_value(root, "clauses")
    items = data.get("clauses")
    if not isinstance(items, list) or not isinstance(clause_nodes, yaml.SequenceNode):
        return None, [*problems, f"{name}, line 1: `clauses` must be a list"]
    clauses: list[ParsedClause] = []
    seen: dict[str, int] = {}
    for item, node in zip(items, clause_nodes.value, strict=True):
        line = _line(node)
        if not isinstance(item, dict):
            problems.append(f"{name}, line {line}: a clause must be a mapping")
            continue
        number = _text(item.get("number"))
        where = f"{name}, line {line}, clause {number or '?'}"
        if not number:
            problems.append(f"{where}: missing number")
            continue
        if number in seen:
            problems.append(f"{where}: duplicate clause number (first at line {seen[number]})")
            continue
        seen[number] = line
        title, guidance = _text(item.get("title")), _text(item.get("guidance"))
        if not title:
            problems.append(f"{where}: missing title")
        if not guidance:
            problems.append(f"{where}: missing guidance")
        kind = _text(item.get("kind")) or "clause"
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind {kind!r} (use clause or control)")
        theme = _text(item.get("theme")) or None
        if theme is not None and theme not in theme_codes:
            problems.append(f"{where}: theme {theme!r} is not declared under `themes`")
        hs = _text(item.get("hs")) or None
        if hs is not None and not is_hs and known_hs is not None and hs not in known_hs:
            problems.append(f"{where}: hs {hs!r} is not a clause of the harmonized structure")
        required = []
        for req_kind in ("maintain", "retain"):
            for req in item.get(req_kind) or []:
                code, req_title = _text(req.get("code")), _text(req.get("title"))
                if not code or not req_title:
                    problems.append(f"{where}: {req_kind} entry needs a code and a title")
                    continue
                required.append((code, req_title, req_kind))
        clauses.append(
            ParsedClause(
                number=number,
                title=title,
                guidance=guidance,
                kind=kind,
                theme=theme,
                hs=hs,
                may_be_excluded=bool(item.get("may_be_excluded", False)),
                untitled=bool(item.get("untitled", False)),
                line=line,
                required=required,
            )
        )
    # Every clause's parent comes before it: the tree is built in file order, and a missing or
    # later parent would leave the clause at the top level, counted as if it stood alone.
    placed: set[str] = set()
    for c in clauses:
        parent = c.parent_number
        if parent is not None and parent not in placed:
            if c.kind == "control" and parent in theme_codes:
                pass  # a control's parent is its theme
            elif parent in seen:
                problems.append(
                    f"{name}, line {c.line}, clause {c.number}: its parent {parent} comes later "
                    f"(line {seen[parent]}); list parents before their sub-clauses"
                )
            else:
                problems.append(
                    f"{name}, line {c.line}, clause {c.number}: parent {parent} is missing"
                )
        placed.add(c.number)
    if problems:
        return None, problems
    checksum = hashlib.sha256(raw).hexdigest()
    themes = list(theme_codes.items())
    return ParsedFile(path, checksum, is_hs, meta, edition, themes, clauses), []


class _Models:
    HarmonizedClause: Any
    Standard: Any
    Edition: Any
    Theme: Any
    Clause: Any
    RequiredInformation: Any

    def __init__(self, apps: Any = None) -> None:
        if apps is None:
            from django.apps import apps as live_apps

            apps = live_apps
        for name in (
            "HarmonizedClause",
            "Standard",
            "Edition",
            "Theme",
            "Clause",
            "RequiredInformation",
        ):
            setattr(self, name, apps.get_model("standards", name))


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], report: LoadReport) -> Any:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        report.created += 1
        return model._default_manager.create(**lookup, **values)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        report.updated += 1
    return obj


def validate(paths: Iterable[Path], apps: Any = None) -> list[ParsedFile]:
    """Parse every file; raise CatalogueError listing all problems of all files."""
    paths = list(paths)
    hs_paths = [p for p in paths if p.name == HS_FILE]
    parsed: list[ParsedFile] = []
    problems: list[str] = []
    if hs_paths:
        result, problems = parse_file(hs_paths[0], None)
        known_hs = {c.number for c in result.clauses} if result else set()
        parsed += [result] if result else []
    else:  # loading a standard alone: its references must exist in the database already
        m = _Models(apps)
        known_hs = set(m.HarmonizedClause._default_manager.values_list("number", flat=True))
    for path in sorted(p for p in paths if p.name != HS_FILE):
        result, found = parse_file(path, known_hs)
        problems += found
        parsed += [result] if result else []
    if problems:
        raise CatalogueError(problems)
    return parsed


def load_catalogues(
    paths: Iterable[Path] | None = None, *, apps: Any = None, force: bool = False
) -> LoadReport:
    """Validate then load catalogue files (all files of CATALOGUE_DIR by default)."""
    files = list(paths) if paths is not None else sorted(CATALOGUE_DIR.glob("*.yaml"))
    parsed = validate(files, apps)
    m = _Models(apps)
    report = LoadReport()
    with transaction.atomic():
        for pf in parsed:
            if pf.is_hs:
                _load_hs(m, pf, report)
            else:
                _load_standard(m, pf, report, force=force)
    return report


def _load_hs(m: Any, pf: ParsedFile, report: LoadReport) -> None:
    before = report.created + report.updated
    for c in pf.clauses:
        _upsert(
            m.HarmonizedClause,
            {"number": c.number},
            {"title": c.title, "guidance": c.guidance, "sort_key": sort_key(c.number)},
            report,
        )
    (report.loaded if report.created + report.updated > before else report.unchanged).append(
        pf.path.name
    )


def _load_standard(m: Any, pf: ParsedFile, report: LoadReport, *, force: bool) -> None:
    meta, ed = pf.meta, pf.edition
    standard = m.Standard._default_manager.filter(code=meta["code"]).first()
    edition = (
        m.Edition._default_manager.filter(standard=standard, code=str(ed["code"])).first()
        if standard is not None
        else None
    )
    if edition is not None and edition.checksum == pf.checksum and not force:
        report.unchanged.append(pf.path.name)
        return
    standard = _upsert(
        m.Standard,
        {"code": meta["code"]},
        {
            "name": _text(meta["name"]),
            "title": _text(meta["title"]),
            "discipline": _text(meta.get("discipline")),
        },
        report,
    )
    edition = _upsert(
        m.Edition,
        {"standard": standard, "code": str(ed["code"])},
        {
            "label": _text(ed["label"]),
            "year": int(ed["year"]),
            "amendments": list(ed.get("amendments") or []),
            "source_file": pf.path.name,
            "checksum": pf.checksum,
        },
        report,
    )
    themes = {
        code: _upsert(m.Theme, {"edition": edition, "code": code}, {"title": title}, report)
        for code, title in pf.themes
    }
    hs_ids = dict(m.HarmonizedClause._default_manager.values_list("number", "pk"))
    by_number: dict[str, Any] = {}
    for c in pf.clauses:  # files list parents before children
        parent = by_number.get(c.parent_number) if c.parent_number else None
        clause = _upsert(
            m.Clause,
            {"edition": edition, "number": c.number},
            {
                "title": c.title,
                "guidance": c.guidance,
                "kind": c.kind,
                "theme_id": themes[c.theme].pk if c.theme else None,
                "parent_id": parent.pk if parent is not None else None,
                "hs_id": hs_ids.get(c.hs) if c.hs else None,
                "may_be_excluded": c.may_be_excluded,
                "untitled": c.untitled,
                "depth": c.number.replace("A.", "").count("."),
                "sort_key": sort_key(c.number),
            },
            report,
        )
        by_number[c.number] = clause
        wanted = {code for code, _t, _k in c.required}
        for code, title, kind in c.required:
            _upsert(
                m.RequiredInformation,
                {"clause": clause, "code": code},
                {"title": title, "kind": kind},
                report,
            )
        stale = m.RequiredInformation._default_manager.filter(clause=clause).exclude(
            code__in=wanted
        )
        if stale.exists():
            report.updated += stale.count()
            stale.delete()
    gone = m.Clause._default_manager.filter(edition=edition).exclude(number__in=list(by_number))
    for number in gone.values_list("number", flat=True):
        # Clauses are referenced by assessments and evidence: kept, never deleted.
        report.warnings.append(f"{pf.path.name}: clause {number} is no longer in the file (kept)")
    report.loaded.append(pf.path.name)
