"""What other modules may add when a revision becomes effective (the people module asks the
holders of the job roles whose competence follows the document to retrain), without the
documents app knowing them: a hook is `fn(*, actor, revision, today)`, registered in the other
app's `ready()` and called inside the transaction that makes the revision effective."""

import datetime
from collections.abc import Callable
from typing import Any

EffectiveHook = Callable[..., None]
EFFECTIVE_HOOKS: list[EffectiveHook] = []


def register_effective_hook(hook: EffectiveHook) -> None:
    if hook not in EFFECTIVE_HOOKS:
        EFFECTIVE_HOOKS.append(hook)


def revision_effective(*, actor: Any, revision: Any, today: datetime.date) -> None:
    for hook in EFFECTIVE_HOOKS:
        hook(actor=actor, revision=revision, today=today)
