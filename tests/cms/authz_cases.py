from tests.authz import AuthzCase


def _participants_material(world) -> str:
    """A module whose participants' material Dortmund's staff member may open (confirmed on a
    date of its course); Köln's coordinator is no participant."""

    def make(world):
        from tests.factories import CourseDateFactory, cms_document, cms_tree, module_page
        from training.models import Registration

        curriculum = cms_tree()[1]
        date = CourseDateFactory()
        Registration.objects.create(
            course_date=date, participant=world.dortmund_staff, status="confirmed"
        )
        document = cms_document("Folien", filename="folien.txt")
        module_page(curriculum, course=date.course, materials=[(document, "participants")])
        return document.url

    return world.get("cms_participants_material", make)


CASES = [
    # The Wagtail admin: Landesjugendamt staff with their second factor only.
    AuthzCase(
        "cms_wagtail_admin",
        lambda w: "/admin/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator",),
        staff_power=True,
    ),
    AuthzCase(
        "cms_wagtail_pages",
        lambda w: "/admin/pages/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator",),
        staff_power=True,
    ),
    AuthzCase(
        "cms_participants_material",
        _participants_material,
        other_municipality=True,
        allowed="dortmund_staff",
        staff_power=True,
    ),
]
