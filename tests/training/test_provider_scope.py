"""The back office acts on a Landesjugendamt's own dates: LWL's staff do not see or change LVR's
dates (participant page, attendance, certificates, exports, signature list, waiting list,
cancelling) unless the admin grants them edit_other_provider_dates, or they are superusers. One
rule, training.selectors.user_administered_providers; an id of the other's date is a 404, and a
service called directly refuses with a German message. Nothing changes in the database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, CourseFactory, StaffFactory, UserFactory, member
from training import exceptions
from training.models import (
    Attendance,
    Certificate,
    CourseDate,
    Registration,
    RegistrationStatus,
    Trainer,
)
from training.selectors import (
    administered_q,
    course_date_open_tasks,
    staff_course_dates,
    user_administered_providers,
    user_may_administer_course_date,
)
from training.services.attendance import attendance_mark, attendance_record
from training.services.certificates import certificate_reissue, certificate_revoke
from training.services.course_dates import course_date_cancel
from training.services.lifecycle import course_date_close
from training.services.waiting_list import registration_move

pytestmark = pytest.mark.django_db

HOME = "/fortbildung/verwaltung/"


def _held_lvr_date() -> tuple[CourseDate, Registration, Certificate]:
    """An LVR date held yesterday: one attendee with a certificate, one seat not yet marked."""
    start = timezone.now() - timedelta(days=1)
    course_date = CourseDateFactory(
        course=CourseFactory(provider="LVR", title="Frühe Hilfen im Rheinland"),
        start=start,
        end=start + timedelta(hours=3),
    )
    attended, other = member(), member()
    registration = Registration.objects.create(
        course_date=course_date, participant=attended, status=RegistrationStatus.CONFIRMED
    )
    Registration.objects.create(
        course_date=course_date, participant=other, status=RegistrationStatus.CONFIRMED
    )
    registration = attendance_mark(registration=registration, by=StaffFactory(), attended=True)
    return course_date, registration, Certificate.objects.get(registration=registration)


def _state(course_date: CourseDate) -> tuple:
    """Everything the back office could change about a date."""
    course_date.refresh_from_db()
    return (
        course_date.status,
        course_date.closed_at,
        sorted(
            Registration.objects.filter(course_date=course_date).values_list(
                "pk", "status", "priority"
            )
        ),
        sorted(
            Attendance.objects.filter(registration__course_date=course_date).values_list(
                "registration_id", "day", "present"
            )
        ),
        sorted(Certificate.objects.filter(course_date=course_date).values_list("number", "status")),
    )


@pytest.fixture
def lwl():
    return StaffFactory(email="kurse@lwl.example", landesjugendamt="LWL")


def test_lwl_staff_get_404_for_every_page_and_action_of_an_lvr_date(client, lwl):
    course_date, registration, certificate = _held_lvr_date()
    waiting_date = CourseDateFactory(course__provider="LVR", capacity=1)
    Registration.objects.create(
        course_date=waiting_date, participant=member(), status=RegistrationStatus.CONFIRMED
    )
    waiting = [
        Registration.objects.create(
            course_date=waiting_date, participant=member(), status=RegistrationStatus.WAITING
        )
        for _ in range(2)
    ]
    before = _state(course_date), _state(waiting_date)
    client.force_login(lwl)
    pk = course_date.pk
    gets = [
        f"{HOME}termine/{pk}/teilnehmende/",
        f"{HOME}termine/{pk}/teilnehmende.csv",
        f"{HOME}termine/{pk}/teilnehmende.xlsx",
        f"{HOME}termine/{pk}/unterschriftenliste.pdf",
        f"{HOME}bescheinigungen/{certificate.pk}.pdf",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (f"{HOME}termine/{pk}/teilnehmende/", {"action": "all"}),
        (f"{HOME}bescheinigungen/{certificate.pk}/neu-ausstellen/", {}),
        (f"{HOME}bescheinigungen/{certificate.pk}/widerrufen/", {"confirm": "yes"}),
        (f"{HOME}termine/{waiting_date.pk}/absagen/", {"confirm": "yes"}),
        (f"{HOME}anmeldungen/{waiting[1].pk}/verschieben/", {"position": "1"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # Removing a person from the list (the participant page's "Remove") is refused too.
    response = client.post(reverse("training:leave_waiting_list", args=[waiting[0].pk]))
    assert response.status_code in (403, 404)
    response = client.post(reverse("training:cancel", args=[registration.pk]))
    assert response.status_code in (403, 404)
    assert (_state(course_date), _state(waiting_date)) == before


def test_the_services_refuse_the_other_providers_date_in_german(lwl):
    course_date, _registration, certificate = _held_lvr_date()
    upcoming = CourseDateFactory(course__provider="LVR", capacity=1)
    Registration.objects.create(
        course_date=upcoming, participant=member(), status=RegistrationStatus.CONFIRMED
    )
    queued = Registration.objects.create(
        course_date=upcoming, participant=member(), status=RegistrationStatus.WAITING
    )
    before = _state(course_date), _state(upcoming)
    calls = [
        lambda: attendance_record(course_date=course_date, by=lwl, present=None),
        lambda: certificate_reissue(certificate=certificate, by=lwl),
        lambda: certificate_revoke(certificate=certificate, by=lwl),
        lambda: course_date_cancel(course_date=upcoming, by=lwl),
        lambda: registration_move(registration=queued, by=lwl, position=1),
    ]
    for call in calls:
        with pytest.raises(exceptions.OtherProvidersDate) as refused:
            call()
        assert "anderen Landesjugendamt" in str(refused.value)
    assert (_state(course_date), _state(upcoming)) == before


def test_granted_staff_and_superusers_administer_both(client, lwl):
    lwl.user_permissions.add(Permission.objects.get(codename="edit_other_provider_dates"))
    course_date, _registration, certificate = _held_lvr_date()
    client.force_login(lwl)
    assert client.get(f"{HOME}termine/{course_date.pk}/teilnehmende/").status_code == 200
    client.post(f"{HOME}bescheinigungen/{certificate.pk}/widerrufen/", {"confirm": "yes"})
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    boss = StaffFactory(landesjugendamt="LWL", is_superuser=True)
    assert user_administered_providers(user=boss) == {"LVR", "LWL"}
    client.force_login(boss)
    assert client.get(f"{HOME}termine/{course_date.pk}/teilnehmende.csv").status_code == 200


def test_the_rule_and_its_filter_agree_for_everybody(lwl):
    lvr_date = CourseDateFactory(course__provider="LVR")
    lwl_date = CourseDateFactory(course__provider="LWL")
    granted = StaffFactory(landesjugendamt="LWL")
    granted.user_permissions.add(Permission.objects.get(codename="edit_other_provider_dates"))
    people = {
        "lvr": (StaffFactory(), {"LVR"}),
        "lwl": (lwl, {"LWL"}),
        "granted": (StaffFactory(landesjugendamt="LWL"), {"LWL"}),
        "superuser": (UserFactory(is_superuser=True, is_staff=True), set()),  # no 2nd factor
        "no_second_factor": (StaffFactory(second_factor=False), set()),
        "no_landesjugendamt": (StaffFactory(landesjugendamt=""), set()),
        "member": (member(), set()),
    }
    people["granted"] = (granted, {"LVR", "LWL"})
    for name, (user, providers) in people.items():
        user = type(user).objects.get(pk=user.pk)  # fresh permission caches
        assert user_administered_providers(user=user) == providers, name
        filtered = set(CourseDate.objects.filter(administered_q(user=user)))
        for course_date in (lvr_date, lwl_date):
            allowed = user_may_administer_course_date(user=user, course_date=course_date)
            assert allowed == (course_date in filtered), name
            assert allowed == (course_date.course.provider in providers), name


def test_the_start_page_lists_the_others_dates_without_link_or_tasks(client, lwl):
    course_date, _registration, _certificate = _held_lvr_date()
    client.force_login(lwl)
    html = client.get(HOME, {"provider": "LVR", "period": "past"}).content.decode()
    assert "Frühe Hilfen im Rheinland" in html
    assert f"/termine/{course_date.pk}/teilnehmende/" not in html
    assert "data-task" not in html
    client.force_login(StaffFactory())
    html = client.get(HOME, {"period": "past"}).content.decode()
    assert f"/termine/{course_date.pk}/teilnehmende/" in html
    assert 'data-task="attendance"' in html


def test_a_trainer_sees_only_the_trainers_list_of_their_date(client):
    course_date, registration, certificate = _held_lvr_date()
    trainer = member(name="Rita Referentin")
    course_date.trainers.add(Trainer.objects.create(name="Rita Referentin", user=trainer))
    client.force_login(trainer)
    html = client.get(reverse("training:trainer_participants", args=[course_date.pk]))
    assert html.status_code == 200
    assert registration.participant.display_name in html.content.decode()
    assert registration.participant.email not in html.content.decode()
    for url in (
        f"{HOME}termine/{course_date.pk}/teilnehmende/",
        f"{HOME}termine/{course_date.pk}/teilnehmende.csv",
        f"{HOME}termine/{course_date.pk}/unterschriftenliste.pdf",
        f"{HOME}bescheinigungen/{certificate.pk}.pdf",
    ):
        assert client.get(url).status_code == 403, url


def test_the_evaluation_task_leads_to_the_dates_results(client):
    course_date, _registration, _certificate = _held_lvr_date()
    course_date_close(course_date=course_date, by=None)
    (row,) = staff_course_dates(period="past", provider="LVR")
    tasks = {task["key"]: task["url"] for task in course_date_open_tasks(course_date=row)}
    assert tasks["evaluation"] == reverse("evaluation:date_results", args=[course_date.pk])
    client.force_login(StaffFactory())
    html = client.get(HOME, {"period": "past"}).content.decode()
    results = reverse("evaluation:date_results", args=[course_date.pk])
    assert f'href="{results}" data-task="evaluation"' in html
