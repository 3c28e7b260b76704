from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from training.models import Course, CourseDateLifecycle, CourseFormat, Provider
from training.services.registration import NOTES_MAX_LENGTH


def _month_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    choices = [("", _("all months"))]
    year, month = today.year, today.month
    for _i in range(18):
        first = today.replace(year=year, month=month, day=1)
        choices.append((f"{year:04d}-{month:02d}", date_format(first, "F Y")))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return choices


class DateFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Course.objects.order_by("title"),
        required=False,
        empty_label=_("all modules"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("all formats")), *CourseFormat.choices],
        required=False,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[
            ("", _("all regions")),
            (Provider.LVR, _("Rheinland (LVR)")),
            (Provider.LWL, _("Westfalen-Lippe (LWL)")),
        ],
        required=False,
    )
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices()

    def month_tuple(self) -> tuple[int, int] | None:
        value = self.cleaned_data.get("month")
        if not value:
            return None
        year, month = value.split("-")
        return int(year), int(month)


class PeopleField(forms.TypedMultipleChoiceField):
    """Checkboxes of the people offered; accepts anyone in `allowed`, so a colleague registered
    by someone else while the page was open is reported by the service, not as a wrong choice."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        self.allowed: set[int] = set()
        super().__init__(*args, coerce=int, **kwargs)

    def valid_value(self, value) -> bool:
        try:
            return int(value) in self.allowed
        except (TypeError, ValueError):
            return False


class RegisterSelfForm(forms.Form):
    """A member registers herself: nothing to choose, the notes are optional."""

    notes = forms.CharField(
        label=_("Notes (accessibility, dietary needs)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. Only the Landesjugendamt sees this; deleted 30 days after the date."
        ),
    )

    def participants(self) -> list:
        return []


class RegisterPeopleForm(RegisterSelfForm):
    """A coordinator chooses who takes part (nobody is preselected); people already registered
    or waiting for the date are not offered."""

    participants_field = "participants"

    def __init__(self, *args, people, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        offered_ids = {person.pk for person in offered}
        field = PeopleField(
            label=_("Who takes part?"),
            help_text=_("Choose one or more people."),
            error_messages={
                "invalid_choice": _("Please choose a person from the list."),
                "invalid_list": _("Please choose a person from the list."),
                "required": _("Please choose at least one person."),
            },
        )
        field.allowed = set(self.people)
        field.choices = [
            (
                person.pk,
                _("myself (%(name)s)") % {"name": person.display_name}
                if i == 0
                else person.display_name,
            )
            for i, person in enumerate(people)
            if person.pk in offered_ids
        ]
        self.fields = {"participants": field, **self.fields}
        self.fields["notes"].help_text = _(
            "Optional, for each person chosen. Only the Landesjugendamt sees this; deleted 30 "
            "days after the date."
        )

    def participants(self) -> list:
        seen = []
        for pk in self.cleaned_data.get("participants", []):
            if pk not in seen:
                seen.append(pk)
        return [self.people[pk] for pk in seen]


class MoveForm(forms.Form):
    position = forms.IntegerField(label=_("New position"), min_value=1, max_value=100000)


class StaffDateFilterForm(forms.Form):
    """The filters of the course administration's start page (a GET form). Unknown values are
    form errors: the page says so and shows the unfiltered default instead."""

    provider = forms.ChoiceField(
        label=_("Provider"),
        choices=[("all", _("both Landesjugendämter")), *Provider.choices],
        required=False,
    )
    course = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Course.objects.order_by("title"),
        required=False,
        empty_label=_("all modules"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("all formats")), *CourseFormat.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("all statuses")), *CourseDateLifecycle.choices],
        required=False,
    )
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("upcoming", _("upcoming")), ("past", _("past")), ("all", _("all"))],
        required=False,
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("all years")), *[(y, str(y)) for y in years]]
