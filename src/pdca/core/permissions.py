"""The role policy: which role may do what, declared once per app as a readable table.

Each app's `policies.py` calls `register_policy()` with a table such as::

    register_policy("documents", {
        "view":    EVERYONE,
        "edit":    {Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT},
        "approve": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
    }, labels={"view": _("View"), "edit": _("Edit"), "approve": _("Approve")},
    object_rules={"approve": author_cannot_approve})

Each action has a label (what the roles page, "Who may do what", calls it in the reader's
language), and each object rule says in words what it checks: an object rule is written with
`@described(_("An author never approves their own revision."))`, and the roles page lists it
beside the action it guards.

Permission names are `<app>.<action>`. Views and API endpoints name the permission they need;
`can()` answers from the table and, where the app gave one, an object rule.

Each policy also has a visibility rule, `visible(membership) -> Q`, that applies to every
action: what a member may not see does not exist for them (404 from every loader, absent from
every list). Most apps show everything in the organization (`EVERYTHING`); documents and records
filter by confidentiality. The rule is written for one model of the app (`Visibility.model`);
`reach` names how the app's other models lead to it, and `visible_for()` turns the rule into a
filter on any of them. Roles that are
read-only (the external auditor) can only be given actions that read (`view…`, `export…`,
`read…`), so an auditor's access can never write, whatever a table says.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.db.models import Model, Q
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from pdca.core.roles import ALL_ROLES, READ_ONLY_ROLES

EVERYONE = ALL_ROLES
READ_PREFIXES = ("view", "export", "read", "download", "print")

ObjectRule = Callable[[Any, Any], bool | str]
"""(membership, obj) -> True when allowed, or a string saying why not."""


def described(text: str | Promise) -> Callable[[ObjectRule], ObjectRule]:
    """Say what an object rule checks, in the reader's words (shown on the roles page)."""

    def mark(rule: ObjectRule) -> ObjectRule:
        rule.described = text  # type: ignore[attr-defined]
        return rule

    return mark


def rule_described(rule: ObjectRule | None) -> str:
    """What an object rule checks, in the reader's language ("" for no rule)."""
    return str(getattr(rule, "described", ""))


VisibleRule = Callable[[Any], Q]
"""membership -> a filter on the rows of the rule's model that the member may see."""


def _everything(membership: Any) -> Q:
    return Q()


@dataclass(frozen=True)
class Visibility:
    """Which rows of an app a member may see, whatever the action.

    `rule` filters `model` (an "app_label.Model" name); `reach` maps the app's other models
    (by model name) to the path that leads from them to `model`, e.g. {"revision": "document"}.
    A model neither `model` nor in `reach` is seen as a whole by every member of its
    organization. `described` says the rule in the reader's words (the roles page shows it).
    """

    described: str | Promise
    rule: VisibleRule = _everything
    model: str = ""
    reach: Mapping[str, str] = field(default_factory=dict)


EVERYTHING = Visibility(
    gettext_lazy("Every member sees everything of the organization in this module.")
)


@dataclass
class AppPolicy:
    app: str
    table: dict[str, frozenset[str]]
    object_rules: dict[str, ObjectRule] = field(default_factory=dict)
    visibility: Visibility = EVERYTHING
    labels: dict[str, str | Promise] = field(default_factory=dict)

    def visible(self, membership: Any) -> Q:
        """The rows of the visibility rule's model that `membership` may see, as a filter."""
        return self.visibility.rule(membership)


POLICIES: dict[str, AppPolicy] = {}

# Permissions that need only a signed-in user (no organization) or nobody at all.
AUTHENTICATED = "authenticated"
PUBLIC = "public"


def register_policy(
    app: str,
    table: dict[str, Iterable[str]],
    *,
    labels: Mapping[str, str | Promise],
    object_rules: dict[str, ObjectRule] | None = None,
    visibility: Visibility = EVERYTHING,
) -> None:
    """Declare `app`'s policy: its table of actions and roles, a label for every action, the
    object rules (each `@described`) and what its members see."""
    frozen = {action: frozenset(roles) for action, roles in table.items()}
    for action, roles in frozen.items():
        unknown = roles - ALL_ROLES
        if unknown:
            raise ValueError(f"{app}.{action}: unknown roles {sorted(unknown)}")
        if roles & READ_ONLY_ROLES and not action.startswith(READ_PREFIXES):
            raise ValueError(f"{app}.{action}: a read-only role cannot be granted a write action")
    unlabelled = set(frozen) - set(labels)
    if unlabelled:
        raise ValueError(f"{app}: actions without a label {sorted(unlabelled)}")
    for action, rule in (object_rules or {}).items():
        if action not in frozen:
            raise ValueError(f"{app}.{action}: object rule for an action not in the table")
        if not getattr(rule, "described", ""):
            raise ValueError(f"{app}.{action}: the object rule does not say what it checks")
    POLICIES[app] = AppPolicy(app, frozen, dict(object_rules or {}), visibility, dict(labels))


def visible_for(membership: Any, model: type[Model]) -> Q:
    """The policy's visibility rule as a filter on `model`'s rows: the rule itself on its own
    model, "the row leads to a visible one" on the models it reaches, nothing on the others."""
    policy = POLICIES.get(model._meta.app_label)
    if policy is None or policy.visibility.rule is _everything:
        return Q()
    seen = policy.visibility
    if model._meta.label == seen.model:
        return policy.visible(membership)
    path = seen.reach.get(model._meta.model_name or "")
    if path is None:
        return Q()
    root = apps.get_model(seen.model)
    seen_rows = root._default_manager.filter(policy.visible(membership)).values("pk")
    return Q(**{f"{path}__in": seen_rows})


Declared = str | Mapping[str, str]
"""What a view declares: one permission for every method, or one per HTTP method
(`{"GET": "standards.view", "POST": "standards.assess"}`; `"*"` for the rest)."""


def permission_for_method(declared: Declared, method: str) -> str:
    """The permission a request with `method` needs; HEAD and OPTIONS read like GET."""
    if isinstance(declared, str):
        return declared
    method = "GET" if method in ("HEAD", "OPTIONS") else method
    return declared.get(method) or declared.get("*", "")


def declared_by(view: Any) -> Declared:
    """The declaration of a view function or class (`permissions` wins over `permission`)."""
    return cast(Declared, getattr(view, "permissions", None) or getattr(view, "permission", ""))


def roles_for(permission: str) -> frozenset[str]:
    app, _, action = permission.partition(".")
    try:
        return POLICIES[app].table[action]
    except KeyError:
        raise KeyError(f"Permission {permission!r} is not in any policy table") from None


def has_object_rule(permission: str) -> bool:
    app, _, action = permission.partition(".")
    return action in POLICIES[app].object_rules if app in POLICIES else False


def is_declared(permission: str) -> bool:
    app, _, action = permission.partition(".")
    return app in POLICIES and action in POLICIES[app].table


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def decide(membership: Any, permission: str, obj: Any = None) -> Decision:
    """Whether `membership` may do `permission` (on `obj`), with the reason when not."""
    if membership is None:
        return Decision(False, gettext("You are not a member of this organization."))
    if not set(membership.roles) & roles_for(permission):
        return Decision(False, gettext("Your role does not allow this."))
    if obj is not None:
        app, _, action = permission.partition(".")
        rule = POLICIES[app].object_rules.get(action)
        if rule is not None:
            verdict = rule(membership, obj)
            if verdict is not True:
                return Decision(
                    False,
                    str(verdict) if isinstance(verdict, str | Promise) else gettext("Not allowed."),
                )
    return Decision(True)


def can(membership: Any, permission: str, obj: Any = None) -> bool:
    return decide(membership, permission, obj).allowed


def visibility_rows() -> list[tuple[str, str]]:
    """Each policy's visibility rule in words, for the roles page: (app, rule)."""
    return [
        (policy.app, str(policy.visibility.described))
        for policy in sorted(POLICIES.values(), key=lambda p: p.app)
    ]


def action_label(app: str, action: str) -> str:
    """An action of `app`'s policy table in the reader's language."""
    return str(POLICIES[app].labels[action])


def policy_rows() -> list[tuple[str, str, frozenset[str], str]]:
    """The whole table, for the roles page: (app, action, roles, the action's object rule in
    words, or "" where the roles alone decide)."""
    return [
        (policy.app, action, roles, rule_described(policy.object_rules.get(action)))
        for policy in sorted(POLICIES.values(), key=lambda p: p.app)
        for action, roles in policy.table.items()
    ]
