"""The site's own origins: what the board's WebSocket accepts as Origin, and where the pages'
scripts may connect to (Content-Security-Policy connect-src).

An origin is scheme, host and port. The hosts are ALLOWED_HOSTS, under SITE_URL's scheme and
port (the address people use), plus every origin CSRF_TRUSTED_ORIGINS names; a host of "*" in
ALLOWED_HOSTS adds no origin (SITE_URL's own still counts).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def site_origin() -> str:
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins() -> list[str]:
    """Origins (scheme://host:port, a host with a leading dot standing for its subdomains too)
    from which a browser page may open the board's WebSocket."""
    site = urlsplit(settings.SITE_URL)
    scheme = site.scheme.lower()
    port = site.port or DEFAULT_PORTS.get(scheme)
    origins = [f"{scheme}://{site.hostname}:{port}"]
    for host in settings.ALLOWED_HOSTS:
        if host == "*" or not host:
            continue
        origins.append(f"{scheme}://{host.lower()}:{port}")
    origins.extend(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)
    return list(dict.fromkeys(origins))


def websocket_origin_of(request) -> str | None:
    """The ws(s) origin of the host this request came to (None for a host Django refuses):
    the board's socket lives at the page's own host."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return f"{'wss' if request.is_secure() else 'ws'}://{host}"
