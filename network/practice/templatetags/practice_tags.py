"""The practice examples on other apps' pages: what waits for the person (the dashboard's
panel, the network's start page) and the building blocks in the network directory."""

from django import template

from network.practice.selectors import (
    contact_requests_of,
    examples_to_confirm,
    published_blocks_by_municipality,
)

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


@register.simple_tag
def published_blocks(municipalities) -> dict[int, list[str]]:
    """The building blocks each municipality has published examples on, by its pk (one
    query); look one up with the `blocks_of` filter."""
    return published_blocks_by_municipality(municipality_ids=[m.pk for m in municipalities])


@register.filter
def blocks_of(blocks: dict, municipality_pk) -> list[str]:
    return blocks.get(municipality_pk, [])
