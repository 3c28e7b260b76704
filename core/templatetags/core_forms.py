from django import template

register = template.Library()


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields of `form` that have errors, for the error summary above a form."""
    return [field for field in form.visible_fields() if field.errors]
