"""What waits for the person in the practice examples, for the dashboard's panel."""

from django import template

from network.selectors.practice import contact_requests_of, examples_to_confirm

register = template.Library()


@register.simple_tag
def practice_waiting(user) -> dict:
    """How many examples wait for the coordinator's confirmation, and how many name the user
    as contact person without an answer yet (two COUNT queries)."""
    return {
        "to_confirm": examples_to_confirm(user=user).count(),
        "contact_open": contact_requests_of(user=user)
        .filter(contact_consent_at__isnull=True)
        .count(),
    }
