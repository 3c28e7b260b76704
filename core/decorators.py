from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.middleware import redirect_to_mfa_setup, staff_needs_mfa
from core.selectors import user_has_staff_power, user_is_landesjugendamt_staff


def staff_required(view_func):
    """For the staff views outside the admin: Landesjugendamt staff with a second factor."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_landesjugendamt_staff(user=request.user):
            raise PermissionDenied
        if staff_needs_mfa(request):
            return redirect_to_mfa_setup(request)
        if not user_has_staff_power(user=request.user):
            raise PermissionDenied
        return view_func(request, *args, **kwargs)

    return wrapper


def member_page_cache(view_func=None, *, versions: tuple[str, ...] = ()):
    """Marks a member page that core.middleware.MemberPageCacheMiddleware may keep for a few
    seconds for the browser that asked for it (as csrf_exempt marks a view for Django's
    CsrfViewMiddleware). Only for pages that read, never for ones that change something on GET.
    `versions`: cache keys of versions that its owner bumps when something the page shows for
    everybody changes (a room archived), so that shows at once, not a few seconds later."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        wrapper.member_page_cache = tuple(versions)
        return wrapper

    return decorator(view_func) if view_func else decorator
