"""Background work of objectives: entering the results of computed KPIs."""

from pdca.core.background import task


@task
def compute_kpis() -> int:
    from pdca.objectives.services import compute_all

    return compute_all()
