from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.views import serve as wagtail_serve

from cms import cache as page_cache
from cms.forms import SearchForm
from cms.selectors import site_search


@require_GET
def search(request):
    """One search over pages, practice examples and (for members) forum topics."""
    form = SearchForm(request.GET or None)
    results = None
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        results = site_search(query=query, user=request.user)
    total = sum(len(group) for group in results.values()) if results else 0
    return render(
        request,
        "cms/search.html",
        {"form": form, "query": query, "results": results, "total": total},
    )


def serve_page(request, path):
    """Wagtail's page view, with the anonymous page cache and the route cache in front (see
    cms.cache). A page found through the route cache goes through Wagtail's hooks (view
    restrictions and others) exactly as wagtail.views.serve does."""
    cached = page_cache.cached_response(request)
    if cached is not None:
        return cached
    page = page_cache.routed_page(request)
    if page is None:
        return wagtail_serve(request, path)

    def chain(page, request, args, kwargs):
        return page.serve(request, *args, **kwargs)

    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, (), {})
