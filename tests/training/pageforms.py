"""Read a form off a page the way a person meets it: its fields, which of them are hidden, the
checkboxes offered, and the buttons' form actions."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type
    checkboxes: dict[str, bool] = field(default_factory=dict)  # value -> checked
    labels: dict[str, str] = field(default_factory=dict)  # input id -> label text

    def hidden(self) -> set[str]:
        return {
            name
            for name, kind in self.fields.items()
            if kind == "hidden" and name not in ("csrfmiddlewaretoken", "next")
        }


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[PageForm] = []
        self._current: PageForm | None = None
        self._label_for: str | None = None
        self._ids: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = PageForm(action=attrs.get("action", ""))
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            name = attrs.get("name")
            if name:
                self._current.fields[name] = kind
            if kind == "checkbox":
                self._current.checkboxes[attrs.get("value")] = "checked" in attrs
                self._ids[attrs.get("id")] = attrs.get("value")
        elif tag == "label":
            self._label_for = attrs.get("for")

    def handle_data(self, data):
        if self._current is not None and self._label_for:
            self._current.labels[self._label_for] = (
                self._current.labels.get(self._label_for, "") + data
            ).strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "label":
            self._label_for = None


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def page_form(html: str, action: str) -> PageForm:
    (form,) = [f for f in page_forms(html) if f.action == action]
    return form
