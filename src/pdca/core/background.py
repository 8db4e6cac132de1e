"""Background work, one way: tasks on Celery (Redis in production, a folder on a laptop).

A task is declared with `@task` in `<app>/tasks.py` and started with `after_commit(task, ...)`,
which queues it only once the current transaction has committed (a rolled-back write sends
nothing, and the worker never reads a row that is not there yet). Tasks receive ids, not
objects, and are idempotent: acks are late, so a task whose worker died runs again, and a retried
task must find its work already done rather than do it twice (notifications carry a
de-duplication key that the database enforces).

A task that still fails after its last retry is recorded as a `TaskFailure` (task, arguments,
error, attempts) and listed for the platform administrator (`core:task_failures`).
"""

import logging
import traceback as tb
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.signals import task_failure
from django.db import transaction

logger = logging.getLogger(__name__)

# Retried with exponential back-off (2, 4, 8 … seconds, at most ten minutes, with jitter).
RETRY_DEFAULTS: dict[str, Any] = {
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


def task(func: Callable[..., Any] | None = None, **options: Any) -> Any:
    """`@task` or `@task(max_retries=3, ...)`: a Celery task with pdca's retry defaults."""

    def wrap(f: Callable[..., Any]) -> Any:
        name = f"{f.__module__}.{f.__name__}"
        return shared_task(**{**RETRY_DEFAULTS, "name": name, **options})(f)

    return wrap(func) if func is not None else wrap


def prepare_broker() -> None:
    """The folder broker of a laptop needs its folders before the first message."""
    from pathlib import Path

    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


_broker_ready = False


def send(task_: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task_` now. The request that asked has already committed its work: a broker that
    cannot be reached is logged and recorded for the administrator, not turned into an error
    page for the user."""
    global _broker_ready
    if not _broker_ready:
        prepare_broker()
        _broker_ready = True
    try:
        task_.delay(*args, **kwargs)
    except Exception as error:
        if getattr(task_.app.conf, "task_always_eager", False):
            raise  # tests and eager runs see the task's own failure
        logger.exception("Could not queue task %s", getattr(task_, "name", task_))
        from pdca.core.models import TaskFailure

        TaskFailure.objects.create(
            task_name=getattr(task_, "name", str(task_))[:200],
            arguments={"args": list(args), "kwargs": dict(kwargs)},
            error=f"Not queued: {type(error).__name__}: {error}",
            traceback="".join(tb.format_exception(error)),
            attempts=0,
        )


def after_commit(task_: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task_` with these arguments once the current transaction commits."""
    transaction.on_commit(lambda: send(task_, *args, **kwargs))


def register_periodic(name: str, task_name: str, schedule: Any, **kwargs: Any) -> None:
    """Run the task named `task_name` on `schedule` (seconds, a timedelta or a celery crontab).

    Called from `AppConfig.ready()`. One scheduler (`pdca scheduler`, or the one `make run`
    starts) sends these; if two ever run at once the tasks' de-duplication keeps the effect
    single.
    """
    from pdca.config.celery import app

    app.conf.beat_schedule[name] = {"task": task_name, "schedule": schedule, "kwargs": kwargs}


@task_failure.connect(weak=False)
def record_failure(
    sender: Any = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    einfo: Any = None,
    **extra: Any,
) -> None:
    """Celery sends `task_failure` once a task has given up (retries are `task_retry`)."""
    from pdca.core.models import TaskFailure

    request = getattr(sender, "request", None)
    retries = getattr(request, "retries", 0) or 0
    try:
        TaskFailure.objects.create(
            task_name=getattr(sender, "name", str(sender))[:200],
            task_id=task_id or "",
            arguments={"args": list(args or []), "kwargs": dict(kwargs or {})},
            error=f"{type(exception).__name__}: {exception}" if exception else "",
            traceback=str(einfo)
            if einfo
            else "".join(tb.format_exception(exception))
            if exception
            else "",
            attempts=retries + 1,
        )
    except Exception:  # the database itself may be why the task failed
        logger.exception("Could not record the failure of task %s", task_id)
