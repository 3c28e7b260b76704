from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.documents.views.serve import serve as wagtail_serve_document

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
