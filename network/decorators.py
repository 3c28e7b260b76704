"""View decorators of the learning network, used by its own views and by those of its apps
(forums, practice examples)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from network.selectors.memberships import user_is_member


def member_required(view):
    """Logged in (else to the login page) and a member of the learning network (else 403, with
    a page that says what the learning network is for and where to ask for a membership)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_member(user=request.user):
            return render(request, "network/members_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
