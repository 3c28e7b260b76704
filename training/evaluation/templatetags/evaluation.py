"""{% evaluation_pending %}: the held dates the person attended and has not evaluated yet, as a
list of links (on "My courses"; a template tag, so training's views need not import this app)."""

from django import template

from training.evaluation.selectors import dates_awaiting_answer

register = template.Library()


@register.inclusion_tag("evaluation/includes/pending.html", takes_context=True)
def evaluation_pending(context):
    user = context["request"].user
    dates = list(dates_awaiting_answer(user=user)[:20]) if user.is_authenticated else []
    return {"dates": dates}
