import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pdca.config.settings.production")
application = get_wsgi_application()

# Only the web servers' database connections get a statement timeout (pdca.core.deadline).
from pdca.core import deadline  # noqa: E402

deadline.web_process = True
