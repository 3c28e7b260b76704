"""{% evaluation_pending %}: the held dates the person attended and has not evaluated yet, as a
list of links (on "My courses"; a template tag, so training's views need not import this app).
`registrations`, when the page has the person's registrations with their dates and courses,
spares the tag its own query of them."""

from django import template

from training.evaluation.selectors import dates_awaiting_answer, dates_awaiting_answer_among

register = template.Library()


@register.inclusion_tag("evaluation/includes/pending.html", takes_context=True)
def evaluation_pending(context, registrations=None):
    user = context["request"].user
    if not user.is_authenticated:
        return {"dates": []}
    if registrations is not None:
        return {"dates": dates_awaiting_answer_among(user=user, registrations=registrations)[:20]}
    return {"dates": list(dates_awaiting_answer(user=user)[:20])}
