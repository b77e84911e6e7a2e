"""gunicorn's settings for the web app (https://docs.gunicorn.org/en/stable/settings.html).

The Dockerfile and docker-compose.yml start gunicorn with this file; the address to bind is given
there (``--bind``), and every other value here can be changed from the environment.
"""

import gc
import os

wsgi_app = "portal.wsgi:application"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Nginx or a load balancer in front may keep connections open; answer them for a little longer.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None

# A search page allocates many short-lived objects; with Python's default thresholds the collector
# ran a full collection over every module, template and model of the loaded app about every fifth
# page (~120 ms). Collect young objects less often, and keep what loading the app created out of the
# collector's sight (https://docs.python.org/3/library/gc.html#gc.freeze).
GC_THRESHOLDS = tuple(int(part) for part in os.environ.get("GUNICORN_GC_THRESHOLDS", "20000,20,20").split(","))


def post_worker_init(worker) -> None:
    """Runs in each worker once the app is loaded, before it takes a request."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
