import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import the URLconf, and with it every view, now rather than on a worker's first request. Under
# gunicorn --preload the workers are forked with it loaded, so a worker restarted after a crash
# answers at once instead of spending seconds importing under load (docs/reliability.md, 2).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
