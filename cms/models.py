"""The curriculum's page types.

The tree: HomePage (the site's root) → CurriculumIndexPage (/curriculum/) → ModulePage;
HomePage → NewsIndexPage → NewsPage; HomePage → StandardPage → StandardPage;
HomePage → EasyLanguagePage → EasyLanguagePage (Leichte Sprache); HomePage → SignLanguagePage
(Deutsche Gebärdensprache, DGS), whose videos are CaptionedMedia items of wagtailmedia.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from cms import cache as page_cache
from cms import selectors
from cms.blocks import BodyBlock, EasyLanguageBlock, SignLanguageBlock
from cms.exceptions import ReaderCheckMissing
from network.selectors.memberships import user_is_member

INTRO_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class CachedPageMixin:
    """The page's template caches its costly fragments (see cms.cache for their keys)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_cache.context_for(request=request))
        return context


def _body_document_ids(body) -> list[int]:
    ids = []
    for block in body:
        if block.block_type == "document_list":
            ids.extend(document.pk for document in block.value["documents"] if document)
    return ids


class BodyDocumentsMixin:
    """Content blocks link only to documents everyone may open (see DocumentListBlock)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: only a render of the body (not found in the fragment cache) asks.
        context["public_document_ids"] = SimpleLazyObject(
            lambda: selectors.documents_public_ids(document_ids=_body_document_ids(self.body))
        )
        return context


class HomePage(CachedPageMixin, Page):
    """The start page: what the programme is, the next course dates, news, practice examples."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    programme_text = RichTextField(
        _("about the programme"), blank=True, features=[*INTRO_FEATURES, "h2", "h3"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("programme_text")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("programme_text"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.CurriculumIndexPage",
        "cms.NewsIndexPage",
        "cms.StandardPage",
        "cms.EasyLanguagePage",
        "cms.SignLanguagePage",
    ]
    max_count = 1
    shows_seats = True

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template's fragment cache asks only when its copy is too old.
        context["next_dates"] = SimpleLazyObject(lambda: selectors.home_next_course_dates(limit=5))
        context["latest_news"] = SimpleLazyObject(
            lambda: NewsPage.objects.live().order_by("-date", "-pk")[:3]
        )
        # The same list for every member (and another for everyone else), until a practice
        # example changes.
        context["cms_practice_version"] = page_cache.practice_version()
        context["practice_audience"] = "m" if user_is_member(user=request.user) else "p"
        context["practice_examples"] = SimpleLazyObject(
            lambda: selectors.practice_examples_newest(user=request.user, limit=3)
        )
        context["curriculum"] = SimpleLazyObject(lambda: CurriculumIndexPage.objects.live().first())
        return context


class CurriculumIndexPage(CachedPageMixin, Page):
    """The list of modules of the qualification programme (at /curriculum/)."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ModulePage"]
    max_count = 1

    class Meta:
        verbose_name = _("curriculum overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = SimpleLazyObject(
            lambda: ModulePage.objects.child_of(self).live().order_by("number", "title")
        )
        return context


class ModuleFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BLENDED = "blended", _("blended (in person and online)")


class ModulePage(CachedPageMixin, BodyDocumentsMixin, Page):
    """A module of the curriculum: what it teaches, for whom, its material and its course dates."""

    number = models.PositiveSmallIntegerField(_("module number"), default=1)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("Two or three sentences; shown in lists, search results and as description."),
    )
    learning_goals = RichTextField(
        _("learning goals"), blank=True, features=["ul", "ol", "bold", "italic"]
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=ModuleFormat.choices, default=ModuleFormat.IN_PERSON
    )
    duration = models.CharField(
        _("duration"), max_length=120, blank=True, help_text=_("For example „2 Tage à 6 Stunden“.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    course = models.ForeignKey(
        "training.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="module_pages",
        verbose_name=_("course"),
        help_text=_(
            "The course whose dates are shown on this page. Its participants may open "
            "the material for participants."
        ),
    )
    related_modules = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("related modules")
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldPanel("summary"),
                FieldPanel("target_group"),
                FieldPanel("format"),
                FieldPanel("duration"),
            ],
            heading=_("Overview"),
        ),
        FieldPanel("learning_goals"),
        FieldPanel("body"),
        InlinePanel(
            "materials",
            label=_("Course material"),
            help_text=_(
                "Each document gets an access level. Upload restricted material into the "
                "collection „Kursmaterial (geschützt)“: there it stays closed until this page is "
                "published. Images are always public."
            ),
        ),
        FieldPanel("course"),
        FieldPanel("related_modules"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_goals"),
        index.SearchField("target_group"),
        index.SearchField("body"),
        # Words that begin with what a visitor typed: „Lotsen“ finds „Lotsendienste“.
        index.AutocompleteField("summary"),
        index.AutocompleteField("target_group"),
        index.FilterField("number"),
    ]
    parent_page_types = ["cms.CurriculumIndexPage"]
    subpage_types = []
    shows_seats = True

    class Meta:
        verbose_name = _("curriculum module")
        verbose_name_plural = _("curriculum modules")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        audience = selectors.material_audience(
            user=request.user, course_id=self.course_id, fresh=False
        )
        context["audience"] = audience
        context["materials"] = selectors.module_materials_for(page=self, audience=audience)
        context["upcoming_dates"] = SimpleLazyObject(
            lambda: selectors.module_upcoming_dates(page=self)
        )
        # filter(live=True), not live(): in a preview the relation is modelcluster's FakeQuerySet
        # of the draft, which knows the QuerySet's filters but not Wagtail's PageQuerySet methods.
        context["related"] = SimpleLazyObject(
            lambda: self.related_modules.filter(live=True).order_by("number")
        )
        return context


class MaterialAccess(models.TextChoices):
    # The values are the access levels cms.selectors.access_allows decides on.
    PUBLIC = selectors.PUBLIC, _("public")
    MEMBERS = selectors.MEMBERS, _("members of programme municipalities")
    PARTICIPANTS = (
        selectors.PARTICIPANTS,
        _("participants of this module's course dates and staff"),
    )


class ModuleMaterial(Orderable):
    """A document on a module with who may open it; the serve view checks it on every download."""

    page = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="module_materials",
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Empty: the document's title.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    access = models.CharField(
        _("access"),
        max_length=16,
        choices=MaterialAccess.choices,
        default=MaterialAccess.PARTICIPANTS,
    )

    panels = [
        FieldPanel("document"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("access"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("course material")
        verbose_name_plural = _("course material")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class StandardPage(CachedPageMixin, BodyDocumentsMixin, Page):
    """A plain content page (about the programme, contact, legal texts of the curriculum)."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(CachedPageMixin, Page):
    """The news of the programme, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = SimpleLazyObject(
            lambda: NewsPage.objects.child_of(self).live().order_by("-date", "-pk")[:50]
        )
        return context


class NewsPage(CachedPageMixin, BodyDocumentsMixin, Page):
    """One news item."""

    date = models.DateField(_("date"))
    teaser = models.TextField(_("teaser"), max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


# --- Leichte Sprache and Deutsche Gebärdensprache (BGG NRW, BITV NRW § 4 with its annex) --------


class ReaderCheck(models.TextChoices):
    CHECKED = "checked", _("checked by readers of the target group")
    OPEN = "open", _("not checked yet (left open on purpose)")


class EasyLanguagePageForm(WagtailAdminPageForm):
    """The reader check is required for publishing and for submitting to review, not for saving
    a draft (Wagtail defers the fields in defer_required_on_fields when a draft is saved)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("reader_check")
        if field is not None:
            field.required = True
            field.error_messages["required"] = ReaderCheckMissing.message
            # The model's empty choice is "not recorded"; the editor picks one of the two.
            field.choices = ReaderCheck.choices
            field.widget = forms.RadioSelect(choices=ReaderCheck.choices)

    class Meta:
        defer_required_on_fields = ["reader_check"]


class EasyLanguagePage(CachedPageMixin, Page):
    """A page in Leichter Sprache: what the site offers, how to find one's way, the essentials of
    the accessibility statement. Readers of the target group should check the text; whether they
    did is recorded, and a page whose record is empty is never published (see publish)."""

    body = StreamField(EasyLanguageBlock(), verbose_name=_("content"))
    reader_check = models.CharField(
        _("check by readers of the target group"),
        max_length=16,
        choices=ReaderCheck.choices,
        blank=True,
        help_text=_(
            "Did people of the target group read and check this text? Choose „not checked yet“ "
            "to leave it open on purpose; a page without an answer cannot be published."
        ),
    )
    reader_check_note = models.CharField(
        _("who checked, and when"),
        max_length=300,
        blank=True,
        help_text=_("For example the checking group and the date. Not shown on the site."),
    )

    content_panels = [
        HelpPanel(
            template="cms/admin/easy_language_rules.html",
            heading=_("Rules for Leichte Sprache"),
        ),
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("reader_check"), FieldPanel("reader_check_note")],
            heading=_("Check by the target group"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = EasyLanguagePageForm
    parent_page_types = ["cms.HomePage", "cms.EasyLanguagePage"]
    subpage_types = ["cms.EasyLanguagePage"]

    class Meta:
        verbose_name = _("page in Leichte Sprache")
        verbose_name_plural = _("pages in Leichte Sprache")

    def publish(self, revision, *args, **kwargs):
        """Every way to publish (the editor's button, a reviewer's approval, a scheduled
        publication, code) goes through here: the revision must record the reader check."""
        if not revision.as_object().reader_check:
            raise ReaderCheckMissing
        return super().publish(revision, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_pages"] = SimpleLazyObject(lambda: self._related_pages())
        return context

    def _related_pages(self):
        # The other pages in Leichter Sprache: the top page's children and the top page itself.
        top = self if not isinstance(self.get_parent().specific, EasyLanguagePage) else None
        top = top or self.get_parent()
        others = EasyLanguagePage.objects.descendant_of(top, inclusive=True).live()
        return [page for page in others.order_by("path") if page.pk != self.pk]


class SignLanguagePage(CachedPageMixin, Page):
    """Videos in Deutscher Gebärdensprache, each with captions and a written transcript."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    body = StreamField(SignLanguageBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page in Deutsche Gebärdensprache")
        verbose_name_plural = _("pages in Deutsche Gebärdensprache")


def validate_webvtt(value: str) -> None:
    """A caption track the browser can load: the WEBVTT signature and at least one cue."""
    text = value.lstrip("\ufeff")
    if not text.startswith("WEBVTT") or (len(text) > 6 and text[6] not in " \t\r\n"):
        raise ValidationError(_("Captions must be in WebVTT format: the first line is „WEBVTT“."))
    if "-->" not in text:
        raise ValidationError(
            _("The captions contain no cue (a line like „00:00.000 --> 00:04.000“).")
        )


class CaptionedMedia(AbstractMedia):
    """wagtailmedia's media item (WAGTAILMEDIA["MEDIA_MODEL"]) with what a sign-language video
    needs beside the picture: captions as a WebVTT track and a written transcript.

    Both are text fields of the item rather than uploaded documents: they belong to the video
    wherever a page shows it, editors paste or correct them in the same form, they are checked on
    save, and they are served by cms.views.media_captions as text/vtt from this site, which
    documents (served as downloads, behind the course-material access rule) are not."""

    captions = models.TextField(
        _("captions (WebVTT)"),
        validators=[validate_webvtt],
        help_text=_(
            "The caption track in WebVTT format: the content of a .vtt file, starting with "
            "„WEBVTT“. Shown in the player when captions are switched on."
        ),
    )
    transcript = models.TextField(
        _("transcript"),
        help_text=_("Everything the video says, as text; shown below the video."),
    )

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "captions",
        "transcript",
        "duration",
        "width",
        "height",
        "thumbnail",
        "tags",
    )

    class Meta(AbstractMedia.Meta):
        verbose_name = _("media item")
        verbose_name_plural = _("media items")
