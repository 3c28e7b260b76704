"""Demo curriculum (idempotent). Replaces Wagtail's welcome page with the platform's home page."""

from wagtail.models import Page, Site

from cms.models import HomePage


def load(*, password: str, log) -> None:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="kinderstark – NRW schafft Chancen",
                slug="start",
                intro="<p>Lernnetzwerk und Fortbildungsplattform der Programmkommunen.</p>",
            )
        )
        log("home page created")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "kinderstark",
        },
    )
    for page in root.get_children().exclude(pk=home.pk):
        if page.specific_class is Page:
            page.delete()
            log("Wagtail's welcome page removed")
