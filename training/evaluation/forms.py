from django import forms
from django.utils.translation import gettext_lazy as _

from training.evaluation.models import SCALE_MAX, SCALE_MIN, TEXT_MAX_LENGTH, Questionnaire
from training.evaluation.services import text_has_markup

RESULT_FILTER_PROVIDERS = [("", _("all providers")), ("LVR", "LVR"), ("LWL", "LWL")]


class AnswerForm(forms.Form):
    """The questionnaire of a date as a form: one radio group per scale question, one text area
    per free-text question; the field names are the questions' keys."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all())
        for question in self.questions:
            if question.is_scale:
                self.fields[question.key] = forms.TypedChoiceField(
                    label=question.text,
                    choices=[(v, str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Please choose a value from 1 to 5."),
                        "invalid_choice": _("Please choose a value from 1 to 5."),
                    },
                )
            else:
                self.fields[question.key] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        "max_length": _(
                            "Please write at most %(limit_value)d characters "
                            "(you wrote %(show_value)d)."
                        ),
                    },
                )

    def clean(self):
        data = super().clean()
        for question in self.questions:
            if not question.is_scale and text_has_markup(data.get(question.key) or ""):
                self.add_error(
                    question.key,
                    _("Please write plain text without HTML code (nothing in angle brackets)."),
                )
        return data

    def rows(self) -> list[tuple]:
        """(question, bound field) in the questionnaire's order, for the template."""
        return [(question, self[question.key]) for question in self.questions]

    def scores(self) -> dict[str, int]:
        return {q.key: self.cleaned_data[q.key] for q in self.questions if q.is_scale}

    def texts(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[q.key] for q in self.questions if not q.is_scale}
