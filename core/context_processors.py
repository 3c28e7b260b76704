from django.conf import settings

from core.selectors import user_is_landesjugendamt_staff


def site(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "is_lja_staff": user_is_landesjugendamt_staff(user=request.user),
    }
