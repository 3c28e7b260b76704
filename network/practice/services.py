"""Practice examples: written by any member of a programme municipality, confirmed by its
coordination (a coordinator's own example skips that step), reviewed by Landesjugendamt staff,
published for members or the public, each with a discussion topic in the forum. The contact
person named with an example consents themselves."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from core.models import User
from network.attachments import attachments_check, attachments_save
from network.exceptions import NotAllowed, TextTooLong
from network.forums.services.moderation import moderation_log_example_review
from network.forums.services.notifications import notification_practice
from network.forums.services.topics import discussion_open
from network.practice.cache import examples_changed
from network.practice.exceptions import ExampleIncomplete, ExampleWrongState
from network.practice.models import (
    BuildingBlock,
    ExampleAudience,
    ExampleStatus,
    LifePhase,
    PracticeAttachment,
    PracticeExample,
    PracticeExampleBlock,
    PracticeExamplePhase,
)
from network.practice.selectors import (
    contact_candidates,
    user_may_edit_example,
    user_may_review_examples,
    user_may_write_examples,
)
from network.selectors.memberships import (
    municipality_coordinators,
    user_is_coordinator_of,
    user_membership,
)

DISCUSSION_CATEGORY_SLUG = "praxisbeispiele"
TEXT_FIELDS = {
    "title": 200,
    "summary": 500,
    "target_groups": 300,
    "what_was_done": 10_000,
    "success_factors": 10_000,
    "resources": 5_000,
}
REQUIRED = ("title", "summary", "target_groups", "what_was_done", "success_factors")
# What a submission needs, as the form names it: the texts, a building block and a life phase.
SUBMISSION_FIELDS = (*REQUIRED, "blocks", "phases")


def missing_for_submission(*, data: dict) -> list[str]:
    """The fields of the form's `data` that a submission needs and that are empty, so the form
    can say which before anything is saved (practice_example_submit checks the saved example
    again)."""
    return [name for name in SUBMISSION_FIELDS if not data.get(name)]


def _changed(example: PracticeExample) -> None:
    examples_changed(example)


def _apply(example: PracticeExample, data: dict) -> tuple[list[str], list[str]]:
    for name, limit in TEXT_FIELDS.items():
        value = str(data.get(name) or "").replace("\x00", "").strip()
        if len(value) > limit:
            raise TextTooLong
        setattr(example, name, value)
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
    ask_contact = _contact_set(example=example, contact=data.get("contact"), by=author)
    with transaction.atomic():
        example.updated_at = timezone.now()
        example.save()
        _changed(example)
        if ask_contact:
            _contact_ask(example=example)
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
        attachments_save(model=PracticeAttachment, files=checked, example=example)
    return example


def _contact_set(*, example: PracticeExample, contact, by: User) -> bool:
    """Name a member of the example's municipality as contact person (None: nobody). A new
    contact starts without consent, and the contact is asked (returns True) unless they name
    themselves, which is their own consent. Someone outside the municipality changes nothing."""
    contact_id = getattr(contact, "pk", None)
    if contact_id == example.contact_id:
        return False
    if contact_id is not None and not (
        contact_candidates(municipality=example.municipality).filter(pk=contact_id).exists()
    ):
        raise NotAllowed
    now = timezone.now()
    example.contact = contact
    example.contact_asked_at = now if contact is not None else None
    own = contact_id == by.pk
    example.contact_consent_at = now if own else None
    return contact is not None and not own


def _contact_ask(*, example: PracticeExample) -> None:
    notification_practice(
        user=example.contact,
        event="practice_contact_asked",
        example_title=example.title,
        url=reverse("network:practice_contact_requests"),
    )


def practice_contact_answer(*, example: PracticeExample, user: User, consent: bool):
    """Only the person named as contact answers for themselves: agreeing shows their name and
    e-mail address with the example; declining, or withdrawing an earlier yes, removes them
    from the example at once, and the author is told."""
    with transaction.atomic():
        locked = (
            PracticeExample.objects.select_for_update()
            .filter(pk=example.pk, contact=user, contact_asked_at__isnull=False)
            .first()
        )
        if locked is None:
            raise NotAllowed
        if consent:
            if locked.contact_consent_at is None:
                locked.contact_consent_at = timezone.now()
                locked.save(update_fields=["contact_consent_at"])
                _changed(locked)
            return locked
        locked.contact = None
        locked.contact_asked_at = locked.contact_consent_at = None
        locked.save(update_fields=["contact", "contact_asked_at", "contact_consent_at"])
        _changed(locked)
        if locked.author_id != user.pk:
            notification_practice(
                user=locked.author,
                event="practice_contact_declined",
                example_title=locked.title,
                actor=user,
                url=reverse("network:practice_detail", args=[locked.pk]),
            )
    return locked


def practice_example_submit(*, example: PracticeExample, by: User) -> PracticeExample:
    """The author (or a coordinator of the municipality) submits a complete draft or a
    returned example. A coordinator's submission goes straight to the Landesjugendamt's
    review; a member's waits for their coordination's confirmation, and the coordinators are
    told."""
    if not user_may_edit_example(user=by, example=example):
        raise NotAllowed
    if example.status not in (ExampleStatus.DRAFT, ExampleStatus.RETURNED):
        raise ExampleWrongState
    missing = [f for f in REQUIRED if not getattr(example, f)]
    if missing or not example.blocks.exists() or not example.phases.exists():
        raise ExampleIncomplete
    now = timezone.now()
    skip = user_is_coordinator_of(
        user=by, municipality=example.municipality
    ) or user_may_review_examples(user=by)
    with transaction.atomic():
        example.submitted_at = now
        if skip:
            example.status = ExampleStatus.SUBMITTED
            example.confirmed_by, example.confirmed_at = by, now
        else:
            example.status = ExampleStatus.AWAITING_CONFIRMATION
            example.confirmed_by = example.confirmed_at = None
        example.save(update_fields=["status", "submitted_at", "confirmed_by", "confirmed_at"])
        _changed(example)
        if not skip:
            for person in municipality_coordinators(municipality=example.municipality):
                notification_practice(
                    user=person,
                    event="practice_submitted",
                    example_title=example.title,
                    actor=by,
                    url=reverse("network:practice_confirm", args=[example.pk]),
                )
    return example


def practice_example_confirm(
    *, example: PracticeExample, by: User, confirm: bool, note: str = ""
) -> PracticeExample:
    """A coordinator of the example's own municipality confirms what a member submitted (it
    goes on to the Landesjugendamt's review) or sends it back with a note; the author is
    told either way."""
    if not user_is_coordinator_of(user=by, municipality=example.municipality):
        raise NotAllowed
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 2000:
        raise TextTooLong
    if not confirm and not note:
        raise ExampleIncomplete(_("Please tell the author what to revise."))
    with transaction.atomic():
        example = PracticeExample.objects.select_for_update().get(pk=example.pk)
        if example.status != ExampleStatus.AWAITING_CONFIRMATION:
            raise ExampleWrongState
        now = timezone.now()
        if confirm:
            example.status = ExampleStatus.SUBMITTED
            example.confirmed_by, example.confirmed_at = by, now
            example.submitted_at = now
        else:
            example.status = ExampleStatus.RETURNED
            example.review_note = note
        example.save(
            update_fields=["status", "confirmed_by", "confirmed_at", "submitted_at", "review_note"]
        )
        _changed(example)
        notification_practice(
            user=example.author,
            event="practice_confirmed" if confirm else "practice_sent_back",
            example_title=example.title,
            note="" if confirm else note,
            url=reverse("network:practice_detail", args=[example.pk]),
        )
    return example


def _discussion_create(*, example: PracticeExample):
    url = reverse("network:practice_detail", args=[example.pk])
    body = _("Discussion of the practice example „%(title)s“ from %(municipality)s.") % {
        "title": example.title,
        "municipality": example.municipality.name,
    }
    link_text = _("Read the practice example")
    body += f"\n\n{example.summary}\n\n[{link_text}]({url})"
    return discussion_open(
        slug=DISCUSSION_CATEGORY_SLUG,
        name="Praxisbeispiele",
        description="Diskussionen zu den veröffentlichten Praxisbeispielen.",
        position=90,
        title=example.title,
        author=example.author,
        body=body,
    )


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
        else:
            if not note:
                raise ExampleIncomplete(_("Please tell the author what to revise."))
            example.status = ExampleStatus.RETURNED
        example.save()
        _changed(example)
        moderation_log_example_review(
            actor=by,
            reason=note or _("published"),
            detail=f"{example.pk}: {example.get_status_display()}",
        )
        notification_practice(
            user=example.author,
            event="practice_published" if publish else "practice_returned",
            example_title=example.title,
            note="" if publish else note,
            url=reverse("network:practice_detail", args=[example.pk]),
        )
    return example
