import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language as django_set_language

from core.decorators import member_page_cache
from core.forms import AccountDeleteForm, ProfileForm
from core.middleware import MFA_SETUP_NEXT_SESSION_KEY
from core.selectors import oldest_task_wait
from core.services import account_delete, account_export, account_retention

logger = logging.getLogger(__name__)

# The header's language switch (Django's view) without a CSRF token: switching the language
# changes nothing but the visitor's own language cookie, and a form without a token lets every
# anonymous visitor get the same cached page (core.middleware.AnonymousPageCacheMiddleware).
set_language = csrf_exempt(django_set_language)


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 when the database and each part of
    settings.HEALTH_CHECKS (the channel layer, from events) answer and no task has waited for a
    worker longer than TASKS_MAX_WAIT_SECONDS."""
    result = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database check failed")
        result["database"] = "error"
    for part, check in settings.HEALTH_CHECKS.items():
        result[part] = "ok"
        try:
            import_string(check)()
        except Exception:
            logger.exception("healthz: %s check failed", part)
            result[part] = "error"
    result.update(_task_queue_health())
    failing = [
        part
        for part, state in result.items()
        if part not in ("status", "tasks_oldest_wait") and state != "ok"
    ]
    if failing:
        result["status"] = "error"
        result["failing"] = failing
        return JsonResponse(result, status=503)
    return JsonResponse(result)


def _task_queue_health() -> dict:
    """The task queue's part of /healthz: how long the oldest task due has waited for a worker
    (`tasks_oldest_wait`, seconds; 0 when none waits), "late" past TASKS_MAX_WAIT_SECONDS. A
    backend that keeps no queue (immediate, in tests) is always ok."""
    try:
        seconds = oldest_task_wait()
    except Exception:
        logger.exception("healthz: task queue check failed")
        return {"tasks": "error"}
    if seconds is None:
        return {"tasks": "ok"}
    status = "late" if seconds > settings.TASKS_MAX_WAIT_SECONDS else "ok"
    return {"tasks": status, "tasks_oldest_wait": round(seconds)}


@never_cache
def bench_bare(request):
    """The benchmarks' yardstick (bench/, only with BENCH_BARE_VIEW=1): the least a Django page
    does, a trivial template rendered through every middleware, nothing read from the database.
    Rendered for every request: never kept by the anonymous page cache, which it passes through
    like every page (a page served from that cache is measured against a real render)."""
    return render(request, "core/bench_bare.html")


@member_page_cache
@login_required
def dashboard(request):
    return render(
        request,
        "core/dashboard.html",
        {**_account_context(request.user), "panels": settings.DASHBOARD_PANELS},
    )


def _account_context(user) -> dict:
    """What other apps add to "My area" and the profile (settings.ACCOUNT_PAGE_CONTEXT): core
    shows it and imports none of them."""
    return {
        name: import_string(path)(user=user) for name, path in settings.ACCOUNT_PAGE_CONTEXT.items()
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("core:profile")
    return render(
        request,
        "core/profile.html",
        {"form": form, **_account_context(request.user)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_GET
def account_data_download(request):
    """The user's data as a JSON file (DSGVO Art. 15 and 20)."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "data": account_export(user=request.user),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = f"kinderstark-meine-daten-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    form = AccountDeleteForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        return redirect("core:account_deleted")
    return render(
        request, "core/account_delete.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def account_deleted(request):
    """Where a deleted account ends up, logged out: what happened, in plain words."""
    return render(request, "core/account_deleted.html")


@login_required
@require_GET
def mfa_continue(request):
    """After setting up the second factor: on to the staff page the person wanted to reach."""
    target = request.session.pop(MFA_SETUP_NEXT_SESSION_KEY, None)
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "core:dashboard"
    return redirect(target)


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
