"""factory_boy factories for every app. Each app's factories stand in their own section."""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from core.models import User
from network.models import Membership, MembershipRole, MembershipStatus, Municipality

PASSWORD = "test-passwort-123"

# --- core -------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kommune.example")
    name = factory.Faker("name", locale="de_DE")
    function = "Fachkraft Frühe Hilfen"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Every user has a verified primary address unless verified=False is passed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class StaffFactory(UserFactory):
    """Landesjugendamt staff: in the staff group, with access to the Wagtail admin."""

    email = factory.Sequence(lambda n: f"staff{n}@lvr.example")
    landesjugendamt = "LVR"
    is_staff = True

    @factory.post_generation
    def staff_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
            self.groups.add(group)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff powers need a second factor (core.selectors.user_has_staff_power), so staff
        have an authenticator app unless second_factor=False is passed."""
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(self, generate_totp_secret())


# --- network ----------------------------------------------------------------------------------


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    kind = "kreisfreie_stadt"
    region = "LWL"
    municipality_key = factory.Sequence(lambda n: f"059{n:05d}")
    cohort = 1
    joined_year = 2020
    active = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = MembershipRole.STAFF
    status = MembershipStatus.APPROVED


def member(municipality=None, *, role=MembershipRole.STAFF, **user_fields) -> User:
    """A user with an approved membership in `municipality` (a new one if None)."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, municipality=municipality or MunicipalityFactory(), role=role)
    return user


def coordinator(municipality=None, **user_fields) -> User:
    return member(municipality, role=MembershipRole.COORDINATOR, **user_fields)


# --- training ---------------------------------------------------------------------------------


def _in_two_weeks():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=14)


def _six_hours_after(start):
    from datetime import timedelta

    return start + timedelta(hours=6)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Course"

    kind = "fortbildungsmodul"
    title = factory.Sequence(lambda n: f"Präventionskette gestalten {n}")
    summary = "Grundlagen kommunaler Präventionsketten gegen Kinderarmut."
    target_group = "Koordinationen und Fachkräfte der Programmkommunen"
    format = "in_person"
    # The Landesjugendamt of StaffFactory: staff administer their own provider's dates only
    # (training.selectors.user_administered_providers), so the defaults belong together.
    provider = "LVR"
    hours = 6


class CourseDateFactory(factory.django.DjangoModelFactory):
    """A planned date in two weeks, registration open now, ten seats."""

    class Meta:
        model = "training.CourseDate"

    course = factory.SubFactory(CourseFactory)
    start = factory.LazyFunction(_in_two_weeks)
    end = factory.LazyAttribute(lambda o: _six_hours_after(o.start))
    venue_name = "LWL-Bildungszentrum"
    venue_address = "Freiherr-vom-Stein-Platz 1\n48133 Münster"
    online_url = ""
    capacity = 10
    max_per_municipality = None
    registration_opens = None
    registration_closes = None
    cancellation_deadline = None


# --- network: invitations ---------------------------------------------------------------------


def _invitation_expiry():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=14)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation to a municipality, valid for 14 days."""

    class Meta:
        model = "network.Invitation"

    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"eingeladen{n}@kommune.example")
    role = MembershipRole.STAFF
    expires_at = factory.LazyFunction(_invitation_expiry)


# --- cms --------------------------------------------------------------------------------------


def cms_tree():
    """The site's page tree: HomePage as the default site's root, with the curriculum index at
    /curriculum/ and the news index at /aktuelles/. Returns (home, curriculum, news_index)."""
    from wagtail.models import Page, Site

    from cms.models import CurriculumIndexPage, HomePage, NewsIndexPage

    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="kinderstark", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    for page in root.get_children().exclude(pk=home.pk):
        page.delete()
    # In the header's and footer's navigation, as load_demo puts them.
    curriculum = CurriculumIndexPage.objects.first() or home.add_child(
        instance=CurriculumIndexPage(title="Curriculum", slug="curriculum", show_in_menus=True)
    )
    news = NewsIndexPage.objects.first() or home.add_child(
        instance=NewsIndexPage(title="Aktuelles", slug="aktuelles", show_in_menus=True)
    )
    return home, curriculum, news


_module_numbers = iter(range(1, 100_000))


def module_page(curriculum, **fields):
    """A published ModulePage under `curriculum`; `materials` is a list of (document, access)."""
    from cms.models import ModuleMaterial, ModulePage

    number = next(_module_numbers)
    materials = fields.pop("materials", [])
    fields.setdefault("title", f"Modul {number}: Präventionsketten")
    fields.setdefault("slug", f"modul-{number}")
    fields.setdefault("number", number)
    fields.setdefault("summary", "Grundlagen kommunaler Präventionsketten gegen Kinderarmut.")
    page = ModulePage(**fields)
    page.materials = [
        ModuleMaterial(document=document, access=access) for document, access in materials
    ]
    curriculum.add_child(instance=page)
    page.save_revision().publish()
    return page


def cms_document(title="Arbeitshilfe", *, filename="arbeitshilfe.txt", collection=None):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    document = get_document_model()(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(filename, ContentFile(f"Inhalt von {title}\n".encode()), save=False)
    document.save()
    return document


# --- network: forums, practice examples -------------------------------------------------------


class ForumCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.ForumCategory"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Frühe Hilfen {n}")
    slug = factory.Sequence(lambda n: f"fruehe-hilfen-{n}")
    visibility = "members"
    hold_first_posts = False


def forum_topic(
    category=None,
    author=None,
    *,
    title="Lotsendienst in der Geburtsklinik",
    body="Wie habt ihr das organisiert?",
    **kwargs,
):
    """A topic with its first post, written through the service (as a user would)."""
    from network.forums.services.topics import topic_create

    category = category or ForumCategoryFactory()
    author = author or member()
    return topic_create(category=category, author=author, title=title, body=body, **kwargs)


def practice_example(author=None, *, publish_by=None, audience="members", files=(), **data):
    """A practice example of the author's municipality; submitted and published when
    `publish_by` (a staff user) is given."""
    from network.practice.services import (
        practice_example_review,
        practice_example_save,
        practice_example_submit,
    )

    author = author or coordinator()
    fields = {
        "title": "Babylotsen im Klinikum",
        "summary": "Lotsinnen sprechen Familien direkt nach der Geburt an.",
        "target_groups": "werdende Eltern, Familien mit Neugeborenen",
        "what_was_done": "Zwei Lotsinnen auf der Wochenstation.",
        "success_factors": "Klare Absprachen mit der Klinikleitung.",
        "resources": "1,5 Stellen aus Mitteln von kinderstark.",
        "blocks": ["lotsendienst", "fruehe-hilfen"],
        "phases": ["schwangerschaft", "0-3"],
        **data,
    }
    example = practice_example_save(author=author, data=fields, files=files)
    if publish_by is not None:
        practice_example_submit(example=example, by=author)
        example = practice_example_review(
            example=example, by=publish_by, publish=True, audience=audience
        )
    return example


def captioned_video(title="Gebärdensprach-Video", **fields):
    """A video of the media library (cms.CaptionedMedia) made from the demo's placeholder clip
    and its caption track (cms/demo_media), stored below the test's MEDIA_ROOT."""
    from django.core.files.base import ContentFile
    from wagtailmedia import get_media_model

    from cms.demo_offers import CAPTIONS, CLIP, DEMO_MEDIA

    media = get_media_model()(
        title=title,
        type="video",
        width=320,
        height=180,
        duration=4,
        captions=fields.pop("captions", (DEMO_MEDIA / CAPTIONS).read_text(encoding="utf-8")),
        transcript=fields.pop("transcript", "Platzhalter: hier folgt ein Video."),
        **fields,
    )
    media.file.save(CLIP, ContentFile((DEMO_MEDIA / CLIP).read_bytes()), save=False)
    media.full_clean()
    media.save()
    return media


def offer_pages(home, *, videos=1):
    """The offers every page's header links to: a published page in Leichter Sprache at
    /leichte-sprache/ (reader check left open) and a page in Deutscher Gebärdensprache at
    /gebaerdensprache/ with `videos` video blocks. Returns (easy_language_page, sign_page)."""
    from cms.models import EasyLanguagePage, ReaderCheck, SignLanguagePage

    easy = home.add_child(
        instance=EasyLanguagePage(
            title="Das ist das Lernnetzwerk kinderstark",
            slug="leichte-sprache",
            live=False,
            reader_check=ReaderCheck.OPEN,
            body=[
                {"type": "heading", "value": "Worum geht es hier?"},
                {
                    "type": "text",
                    "value": "Diese Seite heißt: Lern-Netzwerk.\nSie ist für Fach-Leute.",
                },
                {
                    "type": "hard_word",
                    "value": {"word": "Fach-Leute", "explanation": "Menschen, die dort arbeiten."},
                },
            ],
        )
    )
    easy.save_revision().publish()
    media = captioned_video() if videos else None
    sign = home.add_child(
        instance=SignLanguagePage(
            title="Gebärdensprache",
            slug="gebaerdensprache",
            live=False,
            intro="Videos in Deutscher Gebärdensprache.",
            body=[
                {
                    "type": "video",
                    "value": {"heading": f"Video {n}", "video": media.pk, "description": ""},
                }
                for n in range(1, videos + 1)
            ],
        )
    )
    sign.save_revision().publish()
    return easy.specific, sign.specific
