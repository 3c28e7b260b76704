"""StreamField blocks shared by the curriculum, standard and news pages, and those of the pages in
Leichter Sprache and Deutscher Gebärdensprache."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

# No "document-link": documents appear only in lists that check who may open them.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("section heading (level 2)")), ("h3", _("sub-heading (level 3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading.html"


class InfoBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        label = _("Info box")
        template = "cms/blocks/info_box.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(
        label=_("image"),
        help_text=_(
            "Images are always public, even in a restricted collection: never put anything "
            "confidential into an image."
        ),
    )
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=300,
        help_text=_("Describe what the image shows for people who cannot see it (required)."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=300, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200, required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("document")), label=_("documents"))

    class Meta:
        icon = "doc-full"
        label = _("Document list")
        template = "cms/blocks/document_list.html"
        help_text = _(
            "For public documents. Course material for members or participants belongs in the "
            "module's „Course material“ list, where each document gets its access level. A "
            "restricted document listed here is only shown to those who may open it."
        )


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question or title"), max_length=300)
    answer = blocks.RichTextBlock(label=_("answer or text"), features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200, required=False)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("entries"))

    class Meta:
        icon = "list-ul"
        label = _("Accordion / FAQ")
        template = "cms/blocks/accordion.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph.html"
    )
    info_box = InfoBoxBlock()
    image = ImageBlock()
    document_list = DocumentListBlock()
    accordion = AccordionBlock()


# --- Leichte Sprache and Deutsche Gebärdensprache (cms.models.EasyLanguagePage, SignLanguagePage)


def validate_link_target(value: str) -> None:
    if value and not value.startswith(("/", "https://", "mailto:", "tel:")):
        raise ValidationError(
            _("Enter a path on this site (/barrierefreiheit/), an https:// address or mailto:.")
        )


class EasyLinesBlock(blocks.TextBlock):
    """Text in Leichter Sprache: one statement a line, each line shown on a line of its own."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Text (one statement a line)"))
        kwargs.setdefault(
            "help_text",
            _("Write each statement on a line of its own. An empty line starts a new group."),
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "cms/blocks/easy_lines.html"


class HardWordBlock(blocks.StructBlock):
    word = blocks.CharBlock(label=_("hard word"), max_length=100)
    explanation = EasyLinesBlock(label=_("what it means"), help_text=None)

    class Meta:
        icon = "help"
        label = _("Hard word explained")
        template = "cms/blocks/hard_word.html"


class LinkBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("link text"), max_length=200)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("or address"),
        max_length=300,
        required=False,
        validators=[validate_link_target],
        help_text=_("For pages outside the page tree, e.g. /barrierefreiheit/ or /fortbildung/."),
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter an address."))}
            )
        return value


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200, required=False)
    links = blocks.ListBlock(LinkBlock(), label=_("links"))

    class Meta:
        icon = "link"
        label = _("Links")
        template = "cms/blocks/link_list.html"


class SignLanguageVideoBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200)
    video = VideoChooserBlock(
        label=_("video"),
        help_text=_(
            "A sign-language video from the media library, with its captions (WebVTT) and its "
            "transcript; both are kept with the video."
        ),
    )
    description = blocks.TextBlock(label=_("what the video is about"), required=False)

    class Meta:
        icon = "media"
        label = _("Sign-language video")
        template = "cms/blocks/sign_language_video.html"


class EasyLanguageBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), max_length=120, template="cms/blocks/easy_heading.html"
    )
    text = EasyLinesBlock()
    hard_word = HardWordBlock()
    links = LinkListBlock()


class SignLanguageBlock(EasyLanguageBlock):
    video = SignLanguageVideoBlock()
