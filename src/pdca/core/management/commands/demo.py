import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from pdca.core.demo import DEMO_PASSWORD, PEOPLE, build_foundation
from pdca.core.roles import Role


class Command(BaseCommand):
    help = "Create the demo organizations, people and data (safe to run twice)."

    def handle(self, *args: object, **options: object) -> None:
        ctx = build_foundation()
        with scopes_disabled():
            for config in apps.get_app_configs():
                if not config.name.startswith("pdca.") or config.name == "pdca.core":
                    continue
                module_name = f"{config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).build(ctx)
        self.stdout.write(self.style.SUCCESS("Demo ready. Sign in at http://127.0.0.1:8000/"))
        self.stdout.write(f"Every demo account's password is '{DEMO_PASSWORD}' (demo only):")
        for email, name, title, roles, _dept in PEOPLE:
            where = ", ".join(
                f"{org}: {'/'.join(str(Role(r).label) for r in rs)}" for org, rs in roles.items()
            )
            self.stdout.write(f"  {email:<26} {name} — {title} ({where})")
