"""Registering from the date page as the people of issue 12 did: a Fachkraft with one click, a
coordinator choosing colleagues, and what a waiting person is told when her municipality holds
its maximum of seats. Every POST sends only what the page's form offers."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import OutgoingMail
from tests.factories import CourseDateFactory, MunicipalityFactory, coordinator, member
from tests.training.pageforms import page_form
from training.models import Registration, RegistrationStatus
from training.selectors import registration_waiting_position, registration_waiting_standing
from training.services.registration import registration_cancel, registration_create

pytestmark = pytest.mark.django_db


def register(course_date, person, by=None):
    return registration_create(course_date=course_date, participant=person, by=by or person)


def _register_form(client, course_date):
    page = client.get(course_date.get_absolute_url()).content.decode()
    return page, page_form(page, reverse("training:register", args=[course_date.pk]))


def test_a_fachkraft_registers_herself_with_one_click(client, django_capture_on_commit_callbacks):
    course_date = CourseDateFactory()
    person = member(name="Fatma Fachkraft")
    client.force_login(person)
    page, form = _register_form(client, course_date)
    assert ">Anmelden</button>" in page
    # Nothing to choose and nothing hidden to fill in: the button is all.
    assert form.hidden() == set() and "participant" not in form.fields
    assert set(form.fields) == {"csrfmiddlewaretoken", "notes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.action, {"notes": ""}, follow=True)
    content = response.content.decode()
    assert "Fatma Fachkraft ist angemeldet" in content
    assert "Bitte wählen Sie" not in content
    registration = Registration.objects.get()
    assert registration.participant == person and registration.status == "confirmed"
    assert len(mail.outbox) == 1
    # Registered now: the page shows the seat, not the form again.
    page = client.get(course_date.get_absolute_url()).content.decode()
    assert "Ihr Platz ist bestätigt" in page or "bestätigt" in page
    assert form.action not in page


def test_a_fachkraft_cannot_register_someone_else_by_posting_an_id(client):
    course_date = CourseDateFactory()
    town = MunicipalityFactory()
    person, colleague = member(town), member(town)
    client.force_login(person)
    client.post(
        reverse("training:register", args=[course_date.pk]),
        {"participant": colleague.pk, "participants": [colleague.pk]},
    )
    # Whatever is posted, a Fachkraft registers only herself.
    assert list(Registration.objects.values_list("participant_id", flat=True)) == [person.pk]


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_registering_for_a_date_that_is_gone_answers_404_and_queues_nothing(client, who):
    """The register POST reads the date only under its lock: a date deleted after the page was
    opened is a 404 (not a 500), and neither a registration nor a mail is left behind."""
    course_date = CourseDateFactory()
    person = member() if who == "member" else coordinator()
    client.force_login(person)
    _page, form = _register_form(client, course_date)
    data = {"notes": "", "participants": [person.pk]}
    course_date.delete()
    response = client.post(form.action, data)
    assert response.status_code == 404
    assert not Registration.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_the_coordinator_chooses_explicitly_and_sees_only_the_unregistered(client):
    course_date = CourseDateFactory()
    town = MunicipalityFactory()
    boss = coordinator(town, name="Clara Koordination")
    ana, ben = member(town, name="Ana Anders"), member(town, name="Ben Berg")
    waiting_date = CourseDateFactory(capacity=1)
    register(course_date, ana)
    register(waiting_date, member())
    register(waiting_date, ben)  # waiting on another date: still offered here
    client.force_login(boss)
    page, form = _register_form(client, course_date)
    assert form.hidden() == set()
    assert set(form.checkboxes) == {str(boss.pk), str(ben.pk)}
    assert not any(form.checkboxes.values())  # nobody preselected, not even the coordinator
    assert "Wer nimmt teil?" in page and "Ana Anders" in page  # Ana only in the table below
    response = client.post(form.action, {"notes": ""})
    assert response.status_code == 400
    assert "Bitte wählen Sie mindestens eine Person aus." in response.content.decode()
    assert Registration.objects.filter(course_date=course_date).count() == 1


def test_the_coordinator_registers_several_at_once_each_reported(client):
    course_date = CourseDateFactory(capacity=2)
    town = MunicipalityFactory()
    boss = coordinator(town)
    people = [member(town, name=n) for n in ("Ana Anders", "Ben Berg", "Cem Can", "Dora Dahl")]
    client.force_login(boss)
    _page, form = _register_form(client, course_date)
    assert {str(p.pk) for p in people} <= set(form.checkboxes)
    # Dora registers herself while the coordinator's page is open.
    register(course_date, people[3])
    response = client.post(
        form.action, {"participants": [str(p.pk) for p in people], "notes": ""}, follow=True
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ana Anders ist angemeldet" in content
    # Dora took the first seat, Ana the second; Ben and Cem wait in the order chosen.
    assert "Ben Berg steht auf der Warteliste, Position 1" in content
    assert "Cem Can steht auf der Warteliste, Position 2" in content
    assert "Dora Dahl ist nicht angemeldet: Diese Person ist für diesen Termin bereits" in content
    statuses = dict(
        Registration.objects.filter(course_date=course_date).values_list(
            "participant__name", "status"
        )
    )
    assert statuses == {
        "Ana Anders": "confirmed",
        "Ben Berg": "waiting",
        "Cem Can": "waiting",
        "Dora Dahl": "confirmed",
    }


def test_a_municipality_at_its_maximum_is_told_the_truth(
    client, django_capture_on_commit_callbacks
):
    course_date = CourseDateFactory(capacity=10, max_per_municipality=1)
    town = MunicipalityFactory()
    register(course_date, member(town))
    person = member(town, name="Mia Meier")
    client.force_login(person)
    page, form = _register_form(client, course_date)
    assert "noch 9 Plätze" in page
    assert "Ihre Kommune hat ihren 1 Platz für diesen Termin belegt" in page
    assert "Auf die Warteliste" in page or "Warteliste" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.action, {"notes": ""}, follow=True)
    content = response.content.decode()
    assert "ausgebucht" not in content
    assert "Die Kommune hat ihren 1 Platz für diesen Termin belegt: Mia Meier steht" in content
    assert "Sie rücken nach, sobald er frei wird" in content
    (waiting_mail,) = mail.outbox
    assert "ausgebucht" not in waiting_mail.body
    assert "Ihre Kommune hat ihren 1 Platz für diesen Termin belegt" in waiting_mail.body


def test_the_waiting_position_counts_only_those_who_can_be_promoted(client):
    course_date = CourseDateFactory(capacity=2, max_per_municipality=1)
    t1, t2, t3, t4 = (MunicipalityFactory() for _ in range(4))
    register(course_date, member(t1))
    seat_t2 = register(course_date, member(t2))
    blocked = register(course_date, member(t1, name="Bea Blockiert"))
    next_in_line = register(course_date, member(t3))
    after = register(course_date, member(t4))
    assert [r.status for r in (blocked, next_in_line, after)] == ["waiting"] * 3
    assert registration_waiting_position(registration=next_in_line) == 1
    assert registration_waiting_position(registration=after) == 2
    standing = registration_waiting_standing(registration=blocked)
    assert standing == {"position": None, "blocked": True, "limit": 1}

    client.force_login(blocked.participant)
    page = client.get(course_date.get_absolute_url()).content.decode()
    assert "Position 1" not in page
    assert "Ihre Kommune hat ihren 1 Platz für diesen Termin belegt" in page
    my_page = client.get(reverse("training:my_training")).content.decode()
    assert "die Kommune hat ihren 1 Platz belegt" in my_page and "Position" not in my_page
    client.force_login(next_in_line.participant)
    assert "Position 1" in client.get(course_date.get_absolute_url()).content.decode()

    # What the page said is what happens: the seat goes to the one at position 1.
    registration_cancel(registration=seat_t2, by=seat_t2.participant)
    next_in_line.refresh_from_db()
    blocked.refresh_from_db()
    after.refresh_from_db()
    assert next_in_line.status == "confirmed" and blocked.status == "waiting"
    assert registration_waiting_position(registration=after) == 1


def test_the_coordinator_table_and_staff_list_explain_the_blocked(staff_client):
    client = Client()
    course_date = CourseDateFactory(capacity=1, max_per_municipality=1)
    town = MunicipalityFactory()
    register(course_date, member(town))
    register(course_date, member(town, name="Bea Blockiert"))
    client.force_login(coordinator(town))
    page = client.get(course_date.get_absolute_url()).content.decode()
    assert "die Kommune hat ihren 1 Platz belegt" in page
    staff_page = staff_client.get(
        reverse("training:staff_participants", args=[course_date.pk])
    ).content.decode()
    assert "die Kommune hat ihren 1 Platz belegt" in staff_page


def test_leaving_the_waiting_list_at_the_moment_of_a_promotion_keeps_the_seat(client):
    course_date = CourseDateFactory(capacity=1)
    seat = register(course_date, member())
    person = member()
    waiting = register(course_date, person)
    client.force_login(person)
    page = client.get(course_date.get_absolute_url()).content.decode()
    assert "Warteliste verlassen" in page
    leave = page_form(page, reverse("training:leave_waiting_list", args=[waiting.pk]))
    # The seat holder cancels while the waiting person's page is still open: she is promoted.
    registration_cancel(registration=seat, by=seat.participant)
    response = client.post(leave.action, {"next": course_date.get_absolute_url()}, follow=True)
    content = response.content.decode()
    assert "Der Platz auf der Warteliste wurde aufgegeben" not in content
    assert "nachgerückt" in content and "bleibt erhalten" in content
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert "Ihr Platz ist bestätigt" in content or "bestätigt" in content


def test_leaving_the_waiting_list_through_the_page(client):
    course_date = CourseDateFactory(capacity=1)
    register(course_date, member())
    person = member()
    waiting = register(course_date, person)
    client.force_login(person)
    page = client.get(reverse("training:my_training")).content.decode()
    leave = page_form(page, reverse("training:leave_waiting_list", args=[waiting.pk]))
    response = client.post(leave.action, {"next": reverse("training:my_training")}, follow=True)
    assert "Der Platz auf der Warteliste wurde aufgegeben" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CANCELLED
