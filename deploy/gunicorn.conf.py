"""gunicorn for the HTTP side (everything but /ws/): Django's sync views in sync or gthread
workers, behind nginx. Counts and the address come from the environment, so the systemd unit and
`make prod` share this file:

GUNICORN_BIND     where nginx reaches it (default unix:/run/kinderstark/gunicorn.sock)
GUNICORN_WORKERS  worker processes (default: 2 per core, plus one)
GUNICORN_THREADS  threads per worker; more than 1 switches to gthread workers (default 1: sync)
GUNICORN_TIMEOUT  seconds a request may take before its worker is replaced (default 30)
GUNICORN_MAX_REQUESTS  requests after which a worker is replaced (default 100000, 0: never)
GUNICORN_ACCESSLOG  "-" for an access log of its own on standard output (default: none, nginx
                  logs every request)
"""

import os

bind = [os.environ.get("GUNICORN_BIND", "unix:/run/kinderstark/gunicorn.sock")]
wsgi_app = "config.wsgi:application"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows for long; not too often, since
# a new worker loads Django again (about a second of CPU) and starts with cold caches: at 5000
# requests, a busy minute replaced every worker several times (48 times in one benchmark run).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# systemd (and honcho) manage the processes; no control socket in the user's home.
control_socket_disable = True
# nginx logs every request on a server (deploy/nginx/kinderstark.conf); a second access log
# here would cost each request a line through the journal. GUNICORN_ACCESSLOG=- turns it on.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
# Django reads the scheme from X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Each worker has loaded Django by now (the app is loaded after the fork, not in the
    master, so no connection is shared between processes). A sync worker has no event loop:
    its broadcasts to the board's sockets get one of their own, which keeps its Redis
    connections (events.publish)."""
    from core.startup import freeze_startup_objects
    from events.publish import publish_from_own_loop

    publish_from_own_loop()
    freeze_startup_objects()
