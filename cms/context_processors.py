from django.utils.functional import SimpleLazyObject

from cms.selectors import menu_links


def navigation(request):
    """The page tree's links for the header and footer of every page (base.html)."""
    return {"menu_links": SimpleLazyObject(lambda: menu_links(request=request))}
