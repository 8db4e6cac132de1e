import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from pdca.core.demo import DEMO_PASSWORD, PEOPLE, build_foundation
from pdca.core.reminders import send_reminders_everywhere
from pdca.core.roles import Role


class Command(BaseCommand):
    help = "Create the demo organizations, people and data (safe to run twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="The language of the demo's texts and of its people (default: English).",
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where the server runs, to say where to sign in (`make run` passes its own).",
        )

    def handle(self, *args: object, **options: object) -> None:
        language = str(options["language"])
        # English people keep the browser's choice; in another language they read pdca in it.
        with translation.override(language):
            ctx = build_foundation(language="" if language == "en" else language)
            with scopes_disabled():
                for config in apps.get_app_configs():
                    if not config.name.startswith("pdca.") or config.name == "pdca.core":
                        continue
                    module_name = f"{config.name}.demo"
                    if importlib.util.find_spec(module_name) is None:
                        continue
                    importlib.import_module(module_name).build(ctx)
                # This morning's reminders and escalations, as the scheduler would send them:
                # the bell and the notification list show what falls due.
                send_reminders_everywhere(timezone.localdate())
        address = str(options["address"])
        url = address if "://" in address else f"http://{address}"
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Sign in at {url.rstrip('/')}/"))
        self.stdout.write(f"Every demo account's password is '{DEMO_PASSWORD}' (demo only):")
        for email, name, title, roles, _dept in PEOPLE:
            where = ", ".join(
                f"{org}: {'/'.join(str(Role(r).label) for r in rs)}" for org, rs in roles.items()
            )
            self.stdout.write(f"  {email:<26} {name} — {title} ({where})")
