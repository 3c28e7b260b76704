from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.static import serve as static_serve
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtailmedia import get_media_model

from cms import cache as page_cache
from cms.forms import SearchForm
from cms.selectors import site_search


@require_GET
def search(request):
    """One search over pages, practice examples and (for members) forum topics. A visitor who is
    not logged in sees what every such visitor sees, so the template caches those results under
    the query and the versions of the pages and practice examples; `found` searches only when the
    cache misses."""
    form = SearchForm(request.GET or None)
    searched = form.is_bound and form.is_valid()
    query = form.cleaned_data["q"] if searched else ""

    def search_results() -> dict:
        results = site_search(query=query, user=request.user)
        return {"results": results, "total": sum(len(group) for group in results.values())}

    return render(
        request,
        "cms/search.html",
        {
            "form": form,
            "query": query,
            "searched": searched,
            "found": SimpleLazyObject(search_results),
            "cms_search_version": (
                f"{page_cache.content_version(request=request)}.{page_cache.practice_version()}"
            ),
            "cms_fragment_ttl": page_cache.PAGE_TTL,
        },
    )


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (its before_serve_document hooks ask cms.selectors who may open
    course material), without the header it gets wrong: Wagtail's sendfile writes the guessed
    encoding even when there is none, as a literal "Content-Encoding: None". Every download asks
    the access rule again (private, revalidated each time: a cheap 304 thanks to the ETag, which
    cms.wagtail_hooks makes sure is the file's hash)."""
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    if response.status_code in (200, 304):
        patch_cache_control(response, private=True, no_cache=True)
    return response


# Sign-language videos and their captions are public, like the pages that show them.
PUBLIC_MEDIA_MAX_AGE = 3600


@require_GET
def media_captions(request, pk):
    """The caption track of a video (cms.CaptionedMedia.captions) as the browser's <track>
    loads it: WebVTT, from this site (the Content Security Policy allows nothing else)."""
    media = get_object_or_404(get_media_model().objects.only("captions"), pk=pk)
    response = HttpResponse(media.captions, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=PUBLIC_MEDIA_MAX_AGE)
    return response


@require_GET
def public_media(request, path):
    """wagtailmedia's files (videos below MEDIA_ROOT/media, their posters below
    MEDIA_ROOT/media_thumbnails), which the pages show to everyone. nginx serves the same folders
    from disk in production (deploy/nginx); this view serves them under `make run` and in the
    tests, where nothing else serves MEDIA_ROOT. Nothing else below MEDIA_ROOT is reachable here:
    the URL pattern names the two folders, and Django's static view refuses paths that leave
    them."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=PUBLIC_MEDIA_MAX_AGE)
    return response
