"""Issue 12: Fachkräfte share practice examples (their coordination confirms before the
Landesjugendamt reviews), and the contact person named with an example consents themselves."""

import pytest
from django.core import mail
from django.urls import reverse

from network.exceptions import NotAllowed
from network.forums.models import Notification
from network.practice import selectors as sel
from network.practice import services as svc
from network.practice.exceptions import ExampleIncomplete, ExampleWrongState
from network.practice.models import ExampleStatus, PracticeExample
from tests.factories import (
    MunicipalityFactory,
    StaffFactory,
    coordinator,
    member,
    practice_example,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dortmund():
    town = MunicipalityFactory(name="Dortmund", slug="dortmund")
    return town, coordinator(town, name="Clara Koordination"), member(town, name="Fritz Fachkraft")


def _form(**extra):
    """What a person fills in on the form."""
    return {
        "title": "Familiencafé in der Nordstadt",
        "summary": "Ein offenes Café für Familien mit kleinen Kindern.",
        "blocks": ["fruehe-hilfen"],
        "phases": ["0-3"],
        "target_groups": "Familien im Quartier",
        "what_was_done": "Wöchentliches Café mit Hebamme.",
        "success_factors": "Feste Ansprechperson.",
        **extra,
    }


# --- the service ---------------------------------------------------------------------------------


def test_a_members_example_waits_for_the_coordination_then_the_review(dortmund):
    _town, clara, fritz = dortmund
    example = practice_example(fritz)
    example = svc.practice_example_submit(example=example, by=fritz)
    assert example.status == ExampleStatus.AWAITING_CONFIRMATION
    assert example not in sel.examples_for_review()
    told = Notification.objects.get(user=clara)
    assert told.url == reverse("network:practice_confirm", args=[example.pk])
    assert list(sel.examples_to_confirm(user=clara)) == [example]
    assert list(sel.examples_to_confirm(user=fritz)) == []

    example = svc.practice_example_confirm(example=example, by=clara, confirm=True)
    assert example.status == ExampleStatus.SUBMITTED and example.confirmed_by == clara
    assert list(sel.examples_for_review()) == [example]
    assert Notification.objects.filter(user=fritz).count() == 1
    published = svc.practice_example_review(example=example, by=StaffFactory(), publish=True)
    assert published.status == ExampleStatus.PUBLISHED


def test_a_coordinators_own_example_skips_the_confirmation(dortmund):
    _town, clara, _fritz = dortmund
    example = svc.practice_example_submit(example=practice_example(clara), by=clara)
    assert example.status == ExampleStatus.SUBMITTED
    assert not Notification.objects.filter(user=clara).exists()


def test_only_a_coordinator_of_the_same_municipality_confirms(dortmund):
    _town, clara, fritz = dortmund
    example = svc.practice_example_submit(example=practice_example(fritz), by=fritz)
    for who in (fritz, coordinator(), member(example.municipality), StaffFactory()):
        with pytest.raises(NotAllowed):
            svc.practice_example_confirm(example=example, by=who, confirm=True)
    example.refresh_from_db()
    assert example.status == ExampleStatus.AWAITING_CONFIRMATION and example.confirmed_by is None
    # Nothing to confirm in another state, and sending back needs a note.
    with pytest.raises(ExampleWrongState):
        svc.practice_example_confirm(example=practice_example(fritz), by=clara, confirm=True)
    with pytest.raises(ExampleIncomplete):
        svc.practice_example_confirm(example=example, by=clara, confirm=False, note="  ")


def test_sent_back_with_a_note_the_author_revises_and_submits_again(dortmund):
    _town, clara, fritz = dortmund
    example = svc.practice_example_submit(example=practice_example(fritz), by=fritz)
    example = svc.practice_example_confirm(
        example=example, by=clara, confirm=False, note="Bitte die Kosten ergänzen."
    )
    assert example.status == ExampleStatus.RETURNED
    assert example.review_note == "Bitte die Kosten ergänzen."
    assert "Bitte die Kosten ergänzen." in Notification.objects.get(user=fritz).sentence
    example = svc.practice_example_save(
        author=fritz, example=example, data={**_form(), "resources": "2.000 Euro"}
    )
    example = svc.practice_example_submit(example=example, by=fritz)
    assert example.status == ExampleStatus.AWAITING_CONFIRMATION


def test_the_coordination_is_told_of_a_practice_example_not_of_a_moderation(
    dortmund, django_capture_on_commit_callbacks
):
    _town, clara, fritz = dortmund
    example = practice_example(fritz)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        svc.practice_example_submit(example=example, by=fritz)
    assert Notification.objects.get(user=clara).kind == "practice"
    sent = [m for m in mail.outbox if m.to == [clara.email]]
    assert [m.subject for m in sent] == ["[kinderstark] Neues zu einem Praxisbeispiel"]
    assert "hat das Praxisbeispiel" in sent[0].body


def test_authors_see_their_own_unpublished_examples_and_others_do_not(dortmund):
    town, clara, fritz = dortmund
    example = practice_example(fritz)
    assert sel.user_may_view_example(user=fritz, example=example)
    assert sel.user_may_view_example(user=clara, example=example)
    assert not sel.user_may_view_example(user=member(town), example=example)
    assert not sel.user_may_view_example(user=coordinator(), example=example)


# --- the pages -----------------------------------------------------------------------------------


def test_a_fachkraft_writes_submits_and_sees_the_state(client, dortmund):
    _town, _clara, fritz = dortmund
    client.force_login(fritz)
    response = client.get(reverse("network:practice_list"))
    assert reverse("network:practice_create") in response.content.decode()
    response = client.post(reverse("network:practice_create"), _form(submit="1"))
    assert response.status_code == 302
    example = PracticeExample.objects.get()
    assert example.status == ExampleStatus.AWAITING_CONFIRMATION
    mine = client.get(reverse("network:practice_mine")).content.decode()
    assert "Familiencafé in der Nordstadt" in mine
    assert "wartet auf die Bestätigung der Koordination" in mine


def test_an_incomplete_submission_saves_nothing_and_names_the_missing_fields(client, dortmund):
    """Submitting a new example with only a title: the page says which fields a submission
    needs, at each field, and nothing is saved; the completed form then makes one example."""
    _town, _clara, fritz = dortmund
    client.force_login(fritz)
    url = reverse("network:practice_create")
    response = client.post(url, {"title": "Familiencafé in der Nordstadt", "submit": "1"})
    assert response.status_code == 200
    assert PracticeExample.objects.count() == 0
    html = response.content.decode()
    assert "Bitte füllen Sie alle Pflichtfelder aus" in html
    assert html.count("Zum Einreichen des Praxisbeispiels nötig.") == 6
    assert html.count('aria-invalid="true"') >= 4  # the text fields; the choices are fieldsets
    assert "Kurzbeschreibung (zum Einreichen nötig)" in html
    assert "Praxisbeispiel schreiben" in html  # still the new one: no draft was made
    response = client.post(url, _form(submit="1"))
    assert response.status_code == 302
    assert PracticeExample.objects.get().status == ExampleStatus.AWAITING_CONFIRMATION


def test_a_draft_needs_a_title_only(client, dortmund):
    _town, _clara, fritz = dortmund
    client.force_login(fritz)
    response = client.post(reverse("network:practice_create"), {"title": "Entwurf", "submit": "0"})
    assert response.status_code == 302
    assert PracticeExample.objects.get().status == ExampleStatus.DRAFT


def test_the_coordinator_confirms_from_the_list(client, dortmund, django_assert_max_num_queries):
    _town, clara, fritz = dortmund
    for _ in range(3):
        svc.practice_example_submit(example=practice_example(fritz), by=fritz)
    client.force_login(clara)
    home = client.get(reverse("network:home")).content.decode()
    assert reverse("network:practice_confirm_queue") in home
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("network:practice_confirm_queue") in dashboard
    with django_assert_max_num_queries(2):
        queue = client.get(reverse("network:practice_confirm_queue"))
    assert queue.content.decode().count("Babylotsen im Klinikum") == 3
    example = PracticeExample.objects.first()
    url = reverse("network:practice_confirm", args=[example.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "return", "note": ""})
    assert response.status_code == 200
    assert PracticeExample.objects.get(pk=example.pk).status == ExampleStatus.AWAITING_CONFIRMATION
    assert client.post(url, {"decision": "confirm", "note": ""}).status_code == 302
    assert PracticeExample.objects.get(pk=example.pk).status == ExampleStatus.SUBMITTED


def test_confirm_page_is_for_the_own_municipalitys_coordinator_only(client, dortmund):
    _town, _clara, fritz = dortmund
    example = svc.practice_example_submit(example=practice_example(fritz), by=fritz)
    url = reverse("network:practice_confirm", args=[example.pk])
    client.force_login(coordinator())
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    client.force_login(fritz)
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "confirm"}).status_code == 403
    assert PracticeExample.objects.get().status == ExampleStatus.AWAITING_CONFIRMATION


# --- the contact person's consent ---------------------------------------------------------------


def test_without_the_contacts_consent_only_the_municipality_is_shown(client, dortmund):
    _town, clara, fritz = dortmund
    staff = StaffFactory()
    example = practice_example(clara, contact=fritz, publish_by=staff, audience="public")
    html = client.get(reverse("network:practice_detail", args=[example.pk])).content.decode()
    assert fritz.email not in html and "Fritz Fachkraft" not in html
    assert "Jugendamt Dortmund" in html


def test_the_contact_agrees_and_withdraws_on_their_own_page(client, dortmund):
    _town, clara, fritz = dortmund
    staff = StaffFactory()
    example = practice_example(clara, contact=fritz, publish_by=staff, audience="public")
    detail = reverse("network:practice_detail", args=[example.pk])
    client.force_login(fritz)
    page = client.get(reverse("network:practice_contact_requests")).content.decode()
    assert "Babylotsen im Klinikum" in page
    answer = reverse("network:practice_contact_answer", args=[example.pk])
    assert client.post(answer, {"decision": "yes"}).status_code == 302
    client.logout()
    html = client.get(detail).content.decode()
    assert fritz.email in html and "Fritz Fachkraft" in html
    client.force_login(fritz)
    assert client.post(answer, {"decision": "no"}).status_code == 302
    client.logout()
    html = client.get(detail).content.decode()
    assert fritz.email not in html and "Fritz Fachkraft" not in html
    assert "Fritz Fachkraft" in Notification.objects.filter(user=clara).latest("pk").sentence


def test_nobody_answers_for_someone_else(client, dortmund):
    town, clara, fritz = dortmund
    example = practice_example(clara, contact=fritz)
    answer = reverse("network:practice_contact_answer", args=[example.pk])
    for who in (clara, member(town), coordinator()):
        client.force_login(who)
        assert client.post(answer, {"decision": "yes"}).status_code == 404
    example.refresh_from_db()
    assert example.contact == fritz and example.contact_consent_at is None
    client.force_login(fritz)
    assert client.post(answer, {"decision": "<script>"}).status_code == 302
    example.refresh_from_db()
    assert example.contact_consent_at is None


def test_the_contact_must_be_a_member_of_the_municipality(dortmund):
    _town, clara, _fritz = dortmund
    with pytest.raises(NotAllowed):
        practice_example(clara, contact=member())


def test_the_form_offers_the_municipalitys_members_as_contact(client, dortmund):
    _town, clara, fritz = dortmund
    outsider = member(name="Otto Außen")
    client.force_login(clara)
    html = client.get(reverse("network:practice_create")).content.decode()
    assert "Fritz Fachkraft" in html and "Otto Außen" not in html
    response = client.post(
        reverse("network:practice_create"), _form(contact=str(outsider.pk), submit="0")
    )
    assert response.status_code == 200
    assert not PracticeExample.objects.exists()
    response = client.post(
        reverse("network:practice_create"), _form(contact=str(fritz.pk), submit="0")
    )
    assert PracticeExample.objects.get().contact == fritz
