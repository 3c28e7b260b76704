"""StreamField blocks shared by the curriculum, standard and news pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

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
