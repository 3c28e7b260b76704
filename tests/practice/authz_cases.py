"""Member-only URLs of the practice examples."""

from django.core.files.uploadedfile import SimpleUploadedFile

from network.practice.models import ExampleStatus, PracticeExample
from tests.authz import AuthzCase
from tests.factories import practice_example

PDF = b"%PDF-1.7\n%%EOF\n"


def _draft(world) -> PracticeExample:
    return world.get(
        "practice_draft",
        lambda w: practice_example(
            w.dortmund_coordinator, files=[SimpleUploadedFile("flyer.pdf", PDF)]
        ),
    )


def _submitted(world) -> PracticeExample:
    def make(w):
        from network.practice.services import practice_example_submit

        example = practice_example(w.dortmund_coordinator, title="Eingereicht")
        return practice_example_submit(example=example, by=w.dortmund_coordinator)

    return world.get("practice_submitted", make)


def _awaiting(world) -> PracticeExample:
    """A Fachkraft's example of Dortmund, waiting for Dortmund's coordination."""

    def make(w):
        from network.practice.services import practice_example_submit

        example = practice_example(w.dortmund_staff, title="Von der Fachkraft")
        return practice_example_submit(example=example, by=w.dortmund_staff)

    return world.get("practice_awaiting", make)


def _awaiting_unchanged(world):
    example = PracticeExample.objects.get(pk=_awaiting(world).pk)
    assert example.status == ExampleStatus.AWAITING_CONFIRMATION
    assert example.confirmed_by is None and not example.review_note


def _naming_staff(world) -> PracticeExample:
    """An example of Dortmund that names Dortmund's Fachkraft as contact person."""
    return world.get(
        "practice_contact",
        lambda w: practice_example(
            w.dortmund_coordinator, title="Mit Kontakt", contact=w.dortmund_staff
        ),
    )


def _contact_unanswered(world):
    example = PracticeExample.objects.get(pk=_naming_staff(world).pk)
    assert example.contact_id == world.dortmund_staff.pk and example.contact_consent_at is None


def _draft_unchanged(world):
    assert PracticeExample.objects.get(pk=_draft(world).pk).status == ExampleStatus.DRAFT


def _submitted_unchanged(world):
    assert PracticeExample.objects.get(pk=_submitted(world).pk).status == ExampleStatus.SUBMITTED


def _u(name, *args):
    from django.urls import reverse

    return reverse(f"network:{name}", args=args)


CASES = [
    AuthzCase(
        "practice_create",
        lambda w: _u("practice_create"),
        allowed="dortmund_coordinator",
    ),
    AuthzCase("practice_mine", lambda w: _u("practice_mine"), allowed="dortmund_coordinator"),
    AuthzCase(
        "practice_draft",
        lambda w: _u("practice_detail", _draft(w).pk),
        other_municipality=True,
        allowed="dortmund_coordinator",
        staff_power=True,
    ),
    AuthzCase(
        "practice_edit",
        lambda w: _u("practice_edit", _draft(w).pk),
        other_municipality=True,
        allowed="dortmund_coordinator",
        staff_power=True,
    ),
    AuthzCase(
        "practice_submit",
        lambda w: _u("practice_submit", _draft(w).pk),
        method="post",
        other_municipality=True,
        unchanged=_draft_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "practice_attachment_of_draft",
        lambda w: _u("practice_attachment", _draft(w).attachments.get().pk),
        other_municipality=True,
        allowed="dortmund_coordinator",
        staff_power=True,
    ),
    AuthzCase(
        "practice_review_queue",
        lambda w: _u("practice_review_queue"),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "practice_review",
        lambda w: _u("practice_review", _submitted(w).pk),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "practice_review_post",
        lambda w: _u("practice_review", _submitted(w).pk),
        method="post",
        data={"decision": "publish", "audience": "public"},
        other_municipality=True,
        unchanged=_submitted_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "practice_confirm_queue",
        lambda w: _u("practice_confirm_queue"),
        allowed="dortmund_coordinator",
        refused_to=("dortmund_staff",),
    ),
    AuthzCase(
        "practice_confirm",
        lambda w: _u("practice_confirm", _awaiting(w).pk),
        other_municipality=True,
        allowed="dortmund_coordinator",
        refused_to=("dortmund_staff", "lja_staff"),
    ),
    AuthzCase(
        "practice_confirm_post",
        lambda w: _u("practice_confirm", _awaiting(w).pk),
        method="post",
        data={"decision": "return", "note": "von außen"},
        other_municipality=True,
        refused_to=("dortmund_staff", "lja_staff"),
        unchanged=_awaiting_unchanged,
    ),
    # Whoever is named as contact person answers (or withdraws their consent), also once their
    # membership has ended: the list shows only their own.
    AuthzCase(
        "practice_contact_requests",
        lambda w: _u("practice_contact_requests"),
        allowed="dortmund_staff",
        members_only=False,
    ),
    AuthzCase(
        "practice_contact_answer",
        lambda w: _u("practice_contact_answer", _naming_staff(w).pk),
        method="post",
        data={"decision": "yes"},
        other_municipality=True,
        refused_to=("dortmund_coordinator", "koeln_staff", "lja_staff"),
        unchanged=_contact_unanswered,
    ),
]
