"""Personal data held by the practice examples: what a person wrote, and where they are named
as contact person with their consent."""

from django.utils.translation import gettext_lazy as _

from core.privacy import forget_words
from network.practice.cache import examples_changed
from network.practice.models import PracticeExample

RETENTION = [
    (
        _("Practice examples you wrote, with the contact person you named"),
        _("While published; contact details are only kept with the contact person's consent."),
    ),
    (
        _("Practice examples that name you as contact person, and your consent"),
        _("Until you withdraw your consent or delete your account."),
    ),
]


def export(user) -> dict:
    return {
        "practice_examples": [
            {"title": e.title, "status": e.status, "created_at": e.created_at.isoformat()}
            for e in PracticeExample.objects.filter(author=user)
        ],
        "named_as_contact": [
            {
                "title": e.title,
                "asked_at": e.contact_asked_at.isoformat() if e.contact_asked_at else None,
                "consent_at": e.contact_consent_at.isoformat() if e.contact_consent_at else None,
            }
            for e in PracticeExample.objects.filter(contact=user)
        ],
    }


def erase(user) -> None:
    """The examples stay (they belong to the municipality); a contact named there is removed."""
    PracticeExample.objects.filter(contact=user).update(
        contact=None, contact_asked_at=None, contact_consent_at=None
    )
    examples_changed()


def forget(*, words) -> None:
    """Practice examples may name the person: those words become "ehemaliges Mitglied"."""
    forget_words(
        words=words,
        model=PracticeExample,
        fields=[
            "title",
            "summary",
            "target_groups",
            "what_was_done",
            "success_factors",
            "resources",
            "review_note",
        ],
        rendered={
            "what_was_done": "what_was_done_html",
            "success_factors": "success_factors_html",
            "resources": "resources_html",
        },
        save=True,
    )
    examples_changed()
