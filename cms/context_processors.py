from django.utils.functional import SimpleLazyObject

from cms.selectors import menu_links, offer_links


def navigation(request):
    """The page tree's links for the header and footer of every page (base.html): the menu, and
    the offers in Leichter Sprache and Deutscher Gebärdensprache."""
    return {
        "menu_links": SimpleLazyObject(lambda: menu_links(request=request)),
        "offer_links": SimpleLazyObject(lambda: offer_links(request=request)),
    }
