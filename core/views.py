import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.services import account_retention

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 when the database and the channel layer answer."""
    result = {"status": "ok", "database": "ok", "channel_layer": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database check failed")
        result["database"] = "error"
    try:
        layer = get_channel_layer()
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.send)(channel, {"type": "healthz.ping"})
        async_to_sync(layer.receive)(channel)
    except Exception:
        logger.exception("healthz: channel layer check failed")
        result["channel_layer"] = "error"
    failing = [part for part in ("database", "channel_layer") if result[part] != "ok"]
    if failing:
        result["status"] = "error"
        result["failing"] = failing
        return JsonResponse(result, status=503)
    return JsonResponse(result)


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html")


def privacy_notice(request):
    return render(request, "core/privacy_notice.html", {"retention": account_retention()})


def imprint(request):
    return render(request, "core/imprint.html")


def accessibility_statement(request):
    return render(request, "core/accessibility_statement.html")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
