from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from core import views as core_views

# Django's admin has no login of its own: it sends people to allauth's, which applies the rate
# limits and the second factor.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view behind ours (cms.views.serve_document), under Wagtail's name.
    re_path(r"^documents/(\d+)/(.*)$", cms_views.serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("konto/", include("allauth.urls")),
    path("", include("core.urls")),
    path("netzwerk/", include("network.urls")),
    path("fortbildung/evaluation/", include("training.evaluation.urls")),
    path("fortbildung/", include("training.urls")),
    path("board/", include("events.urls")),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_BARE_VIEW:
    urlpatterns.insert(0, path("bench/bare", core_views.bench_bare))

# Wagtail's catch-all comes last.
urlpatterns += [path("", include(wagtail_urls))]
