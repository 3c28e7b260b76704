"""Practice examples: written by a coordinator, submitted, reviewed by Landesjugendamt staff,
published for members or the public, each with a discussion topic in the forum."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from core.models import User
from network.attachments import attachments_check
from network.forum_exceptions import (
    ExampleIncomplete,
    ExampleWrongState,
    NotAllowed,
    TextTooLong,
)
from network.models import (
    BuildingBlock,
    CategoryVisibility,
    ExampleAudience,
    ExampleStatus,
    ForumCategory,
    LifePhase,
    ModerationAction,
    ModerationLogEntry,
    PracticeAttachment,
    PracticeExample,
    PracticeExampleBlock,
    PracticeExamplePhase,
    Topic,
    TopicWatch,
    WatchLevel,
)
from network.selectors.memberships import user_membership
from network.selectors.practice import (
    user_may_edit_example,
    user_may_review_examples,
    user_may_write_examples,
)
from network.services.notifications import notification_moderation

DISCUSSION_CATEGORY_SLUG = "praxisbeispiele"
TEXT_FIELDS = {
    "title": 200,
    "summary": 500,
    "target_groups": 300,
    "what_was_done": 10_000,
    "success_factors": 10_000,
    "resources": 5_000,
    "contact_name": 150,
    "contact_email": 254,
    "contact_phone": 40,
}
REQUIRED = ("title", "summary", "target_groups", "what_was_done", "success_factors")


def _apply(example: PracticeExample, data: dict) -> tuple[list[str], list[str]]:
    for name, limit in TEXT_FIELDS.items():
        value = str(data.get(name) or "").replace("\x00", "").strip()
        if len(value) > limit:
            raise TextTooLong
        setattr(example, name, value)
    example.contact_consent = bool(data.get("contact_consent"))
    if not example.contact_consent:
        # Without consent no contact is stored at all.
        example.contact_name = example.contact_email = example.contact_phone = ""
    example.what_was_done_html = render_markdown(example.what_was_done)
    example.success_factors_html = render_markdown(example.success_factors)
    example.resources_html = render_markdown(example.resources)
    blocks = [b for b in BuildingBlock.values if b in set(data.get("blocks") or [])]
    phases = [p for p in LifePhase.values if p in set(data.get("phases") or [])]
    return blocks, phases


def practice_example_save(
    *, author: User, data: dict, example: PracticeExample | None = None, files=()
) -> PracticeExample:
    """A coordinator writes a draft for their own municipality (and edits it while it is a draft
    or returned); staff may correct any example. Contact details are only kept with consent."""
    if example is None:
        if not user_may_write_examples(user=author):
            raise NotAllowed
        example = PracticeExample(
            author=author, municipality=user_membership(user=author).municipality
        )
    elif not user_may_edit_example(user=author, example=example):
        raise NotAllowed
    checked = attachments_check(files=files)
    blocks, phases = _apply(example, data)
    if not example.title:
        raise ExampleIncomplete(_("Please give the practice example a title."))
    with transaction.atomic():
        example.updated_at = timezone.now()
        example.save()
        example.blocks.exclude(block__in=blocks).delete()
        example.phases.exclude(phase__in=phases).delete()
        have_blocks = set(example.blocks.values_list("block", flat=True))
        have_phases = set(example.phases.values_list("phase", flat=True))
        PracticeExampleBlock.objects.bulk_create(
            [PracticeExampleBlock(example=example, block=b) for b in blocks if b not in have_blocks]
        )
        PracticeExamplePhase.objects.bulk_create(
            [PracticeExamplePhase(example=example, phase=p) for p in phases if p not in have_phases]
        )
        for c in checked:
            PracticeAttachment.objects.create(
                example=example,
                file=c.file,
                original_name=c.name,
                content_type=c.content_type,
                size=c.size,
            )
    return example


def practice_example_submit(*, example: PracticeExample, by: User) -> PracticeExample:
    """The municipality's coordinator submits a complete draft (or a returned example) for
    review."""
    if not user_may_edit_example(user=by, example=example):
        raise NotAllowed
    if example.status not in (ExampleStatus.DRAFT, ExampleStatus.RETURNED):
        raise ExampleWrongState
    missing = [f for f in REQUIRED if not getattr(example, f)]
    if missing or not example.blocks.exists() or not example.phases.exists():
        raise ExampleIncomplete
    example.status = ExampleStatus.SUBMITTED
    example.submitted_at = timezone.now()
    example.save(update_fields=["status", "submitted_at"])
    return example


def _discussion_category() -> ForumCategory:
    category, _created = ForumCategory.objects.get_or_create(
        slug=DISCUSSION_CATEGORY_SLUG,
        defaults={
            "name": "Praxisbeispiele",
            "description": "Diskussionen zu den veröffentlichten Praxisbeispielen.",
            "visibility": CategoryVisibility.MEMBERS,
            "position": 90,
            "hold_first_posts": False,
        },
    )
    return category


def _discussion_create(*, example: PracticeExample) -> Topic:
    from network.services.forums import _post_insert

    category = _discussion_category()
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=example.title[:200],
        author=example.author,
        created_at=now,
        last_activity_at=now,
    )
    TopicWatch.objects.create(topic=topic, user=example.author, level=WatchLevel.WATCHING)
    url = reverse("network:practice_detail", args=[example.pk])
    body = _("Discussion of the practice example „%(title)s“ from %(municipality)s.") % {
        "title": example.title,
        "municipality": example.municipality.name,
    }
    link_text = _("Read the practice example")
    body += f"\n\n{example.summary}\n\n[{link_text}]({url})"
    _post_insert(topic=topic, author=example.author, body=body, files=[])
    return topic


def practice_example_review(
    *, example: PracticeExample, by: User, publish: bool, audience: str = "", note: str = ""
) -> PracticeExample:
    """Landesjugendamt staff publish a submitted example (for members or the public; a
    discussion topic is opened with it) or return it with a note. Logged, and the author is
    told."""
    if not user_may_review_examples(user=by):
        raise NotAllowed
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        example = PracticeExample.objects.select_for_update().get(pk=example.pk)
        if example.status != ExampleStatus.SUBMITTED:
            raise ExampleWrongState
        example.reviewed_by = by
        example.review_note = note
        if publish:
            example.status = ExampleStatus.PUBLISHED
            example.audience = (
                audience if audience in ExampleAudience.values else ExampleAudience.MEMBERS
            )
            example.published_at = timezone.now()
            if example.discussion_id is None:
                example.discussion = _discussion_create(example=example)
            text = _("Your practice example „%(title)s“ was published.")
        else:
            if not note:
                raise ExampleIncomplete(_("Please tell the author what to revise."))
            example.status = ExampleStatus.RETURNED
            text = _("Your practice example „%(title)s“ was returned for revision: %(note)s")
        example.save()
        ModerationLogEntry.objects.create(
            action=ModerationAction.REVIEW_EXAMPLE,
            actor=by,
            reason=note or _("published"),
            detail=f"{example.pk}: {example.get_status_display()}"[:300],
        )
        notification_moderation(
            user=example.author,
            text=text % {"title": example.title, "note": note},
            url=reverse("network:practice_detail", args=[example.pk]),
        )
    return example
