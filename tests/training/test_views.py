"""What people see on the training pages, and what strangers may not."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    MunicipalityFactory,
    UserFactory,
    coordinator,
    member,
)
from training.models import Registration
from training.selectors import (
    course_date_attendance_version,
    course_date_days,
    registration_valid_certificate,
)
from training.services.attendance import attendance_mark
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db


def register(course_date, person, by=None):
    return registration_create(course_date=course_date, participant=person, by=by or person)


def test_date_list_shows_seats_left_and_waiting_list(client):
    roomy = CourseDateFactory(capacity=3, course__title="Frühe Hilfen vernetzen")
    full = CourseDateFactory(capacity=1, course__title="Familienbüros aufbauen")
    register(roomy, member())
    register(full, member())
    response = client.get(reverse("training:date_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Frühe Hilfen vernetzen" in content and "noch 2 Plätze" in content
    assert "Familienbüros aufbauen" in content and "Warteliste" in content


def _listed(client, **params) -> set[str]:
    content = client.get(reverse("training:date_list"), params).content.decode()
    return {title for title in ("A-Kurs", "B-Kurs") if f">{title}</a>" in content}


def test_date_list_filters(client):
    lvr = CourseDateFactory(course__provider="LVR", course__format="online", course__title="A-Kurs")
    lwl = CourseDateFactory(course__provider="LWL", course__title="B-Kurs")
    assert _listed(client) == {"A-Kurs", "B-Kurs"}
    assert _listed(client, region="LVR") == {"A-Kurs"}
    assert _listed(client, format="in_person") == {"B-Kurs"}
    assert _listed(client, course=lwl.course_id) == {"B-Kurs"}
    month = timezone.localtime(lvr.start).strftime("%Y-%m")
    assert _listed(client, month=month) == {"A-Kurs", "B-Kurs"}
    # Nonsense filters show nothing, never an error.
    assert _listed(client, month="<script>", course="x") == set()


def test_past_dates_are_not_listed(client):
    start = timezone.now() - timedelta(days=3)
    CourseDateFactory(start=start, end=start + timedelta(hours=2), course__title="Vergangen")
    assert ">Vergangen</a>" not in client.get(reverse("training:date_list")).content.decode()


def test_date_page_shows_register_button_to_members_only(client):
    course_date = CourseDateFactory()
    url = course_date.get_absolute_url()
    assert "Zum Anmelden einloggen" in client.get(url).content.decode()
    client.force_login(member())
    content = client.get(url).content.decode()
    assert f'action="{reverse("training:register", args=[course_date.pk])}"' in content
    client.force_login(UserFactory())
    content = client.get(url).content.decode()
    assert reverse("training:register", args=[course_date.pk]) not in content


def test_online_link_only_for_confirmed_participants(client):
    course_date = CourseDateFactory(
        capacity=1, online_url="https://konferenz.example/geheim", course__format="online"
    )
    seat, waiting = member(), member()
    register(course_date, seat)
    register(course_date, waiting)
    url = course_date.get_absolute_url()
    assert "konferenz.example/geheim" not in client.get(url).content.decode()
    client.force_login(waiting)
    assert "konferenz.example/geheim" not in client.get(url).content.decode()
    ics = client.get(reverse("training:date_ics", args=[course_date.pk])).content.decode()
    assert "geheim" not in ics
    client.force_login(seat)
    assert "konferenz.example/geheim" in client.get(url).content.decode()
    ics = client.get(reverse("training:date_ics", args=[course_date.pk])).content.decode()
    assert "geheim" in ics


def test_register_through_the_page(client, django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(capacity=1)
    person = member()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:register", args=[course_date.pk]),
            {"participant": person.pk, "notes": "vegetarisch"},
            follow=True,
        )
    assert "ist angemeldet" in response.content.decode()
    assert Registration.objects.get().notes == "vegetarisch"
    assert len(mail.outbox) == 1


def test_coordinator_registers_two_staff_second_waits(client):
    course_date = CourseDateFactory(capacity=1)
    town = MunicipalityFactory()
    boss, first, second = coordinator(town), member(town), member(town)
    client.force_login(boss)
    url = reverse("training:register", args=[course_date.pk])
    client.post(url, {"participants": [first.pk]})
    response = client.post(url, {"participants": [second.pk]}, follow=True)
    assert "Warteliste, Position 1" in response.content.decode()
    page = client.get(course_date.get_absolute_url()).content.decode()
    assert second.display_name in page and "Position 1" in page


def test_register_someone_not_in_the_list_is_refused(client):
    course_date = CourseDateFactory()
    boss = coordinator(MunicipalityFactory())
    stranger = member(MunicipalityFactory())
    client.force_login(boss)
    response = client.post(
        reverse("training:register", args=[course_date.pk]), {"participants": [stranger.pk]}
    )
    assert response.status_code == 403
    assert "Bitte wählen Sie eine Person aus der Liste." in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "<script>alert(1)</script>", "99999999"])
def test_register_bad_input(client, value):
    course_date = CourseDateFactory()
    client.force_login(coordinator())
    response = client.post(
        reverse("training:register", args=[course_date.pk]), {"participants": value}
    )
    assert response.status_code in (400, 403)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Registration.objects.exists()


def test_register_twice_shows_the_german_error(client):
    course_date = CourseDateFactory()
    person = member()
    client.force_login(person)
    url = reverse("training:register", args=[course_date.pk])
    client.post(url, {"participant": person.pk})
    response = client.post(url, {"participant": person.pk})
    assert response.status_code == 400
    assert "bereits angemeldet" in response.content.decode()
    assert Registration.objects.count() == 1


def test_cancel_through_the_page(client):
    course_date = CourseDateFactory()
    person = member()
    registration = register(course_date, person)
    client.force_login(person)
    response = client.post(reverse("training:cancel", args=[registration.pk]), follow=True)
    assert "storniert" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_cancel_next_must_be_local(client):
    course_date = CourseDateFactory()
    person = member()
    registration = register(course_date, person)
    client.force_login(person)
    response = client.post(
        reverse("training:cancel", args=[registration.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("training:my_training")


def test_my_training_shows_dates_positions_and_certificates(client, lja):
    course_date = CourseDateFactory(capacity=1)
    person = member()
    register(course_date, member())
    register(course_date, person)
    start = timezone.now() - timedelta(days=2)
    past = CourseDateFactory(start=start, end=start + timedelta(hours=3))
    attended = Registration.objects.create(course_date=past, participant=person, status="confirmed")
    attendance_mark(registration=attended, by=lja, attended=True)
    client.force_login(person)
    content = client.get(reverse("training:my_training")).content.decode()
    assert "Position 1" in content
    assert reverse("training:certificate_pdf", args=[attended.pk]) in content


def test_the_cancel_button_says_it_cancels_the_registration(client):
    """'Abbrechen' reads as 'close this dialog'; a seat is cancelled with 'Stornieren'. The two
    share the English msgid "Cancel" in other apps, so the seat's button has its own."""
    person = member()
    register(CourseDateFactory(), person)
    client.force_login(person)
    content = client.get(reverse("training:my_training")).content.decode()
    assert ">Stornieren<span" in content
    assert "Abbrechen" not in content


def test_our_training_is_for_coordinators_of_their_own_municipality(client):
    course_date = CourseDateFactory()
    town, other = MunicipalityFactory(), MunicipalityFactory()
    own = member(town, name="Eigene Fachkraft")
    foreign = member(other, name="Fremde Fachkraft")
    register(course_date, own)
    register(course_date, foreign)
    client.force_login(coordinator(town))
    content = client.get(reverse("training:our_training")).content.decode()
    assert "Eigene Fachkraft" in content and "Fremde Fachkraft" not in content
    client.force_login(member(town))
    assert client.get(reverse("training:our_training")).status_code == 403


def test_certificate_pdf_and_public_verification(client, lja):
    start = timezone.now() - timedelta(days=1)
    course_date = CourseDateFactory(
        start=start, end=start + timedelta(hours=4), course__title="Sozialraumanalyse für Kitas"
    )
    person = member(name="Jürgen Größe")
    registration = Registration.objects.create(
        course_date=course_date, participant=person, status="confirmed"
    )
    registration = attendance_mark(registration=registration, by=lja, attended=True)
    client.force_login(person)
    response = client.get(reverse("training:certificate_pdf", args=[registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.logout()
    page = client.get(
        reverse("training:certificate_verify"),
        {"nummer": registration_valid_certificate(registration=registration).number},
    ).content.decode()
    assert "Diese Bescheinigung ist echt und gültig." in page
    assert "Jürgen Größe" in page and "Sozialraumanalyse für Kitas" in page
    assert person.email not in page
    page = client.get(reverse("training:certificate_verify"), {"nummer": "KS-0000-FALSCH"})
    assert "gibt es nicht" in page.content.decode()


def test_no_certificate_without_attendance(client):
    course_date = CourseDateFactory()
    person = member()
    registration = register(course_date, person)
    client.force_login(person)
    assert (
        client.get(reverse("training:certificate_pdf", args=[registration.pk])).status_code == 404
    )


def test_calendar_feed_with_a_renewable_token(client):
    course_date = CourseDateFactory(course__title="Kalenderkurs")
    person = member()
    register(course_date, person)
    client.force_login(person)
    page = client.get(reverse("training:calendar")).content.decode()
    feed = person.training_calendar
    feed_url = reverse("training:calendar_feed", args=[feed.token])
    assert feed_url in page
    client.logout()
    response = client.get(feed_url)
    assert response.status_code == 200 and "Kalenderkurs" in response.content.decode()
    client.force_login(person)
    client.post(reverse("training:calendar_renew"))
    assert client.get(feed_url).status_code == 404
    person.training_calendar.refresh_from_db()
    new_url = reverse("training:calendar_feed", args=[person.training_calendar.token])
    assert client.get(new_url).status_code == 200


def test_staff_participant_list_attendance_and_exports(staff_client, lja):
    # Ended an hour ago: every local day it ran on (two when it crossed midnight) has begun.
    start = timezone.now() - timedelta(hours=5)
    course_date = CourseDateFactory(start=start, end=start + timedelta(hours=4))
    town = MunicipalityFactory(name="Bochum")
    a = Registration.objects.create(
        course_date=course_date,
        participant=member(town, name="Anna Arendt"),
        municipality=town,
        status="confirmed",
        notes="Gebärdensprache",
    )
    b = Registration.objects.create(
        course_date=course_date, participant=member(town), municipality=town, status="confirmed"
    )
    url = reverse("training:staff_participants", args=[course_date.pk])
    content = staff_client.get(url).content.decode()
    assert "Anna Arendt" in content and "Gebärdensprache" in content
    days = [d.isoformat() for d in course_date_days(course_date=course_date)]
    day = days[0]
    version = course_date_attendance_version(course_date=course_date)
    # Malformed and foreign ids are refused as a whole: nothing changes.
    for bad in (["x"], [f"{a.pk}:{day}", "999999:2020-01-01"]):
        response = staff_client.post(url, {"present": bad, "version": version}, follow=True)
        assert "Nichts wurde geändert" in response.content.decode() or "nicht richtig" in (
            response.content.decode()
        )
        a.refresh_from_db()
        assert a.status == "confirmed"
    staff_client.post(url, {"present": [f"{a.pk}:{d}" for d in days], "version": version})
    a.refresh_from_db()
    b.refresh_from_db()
    certificate = registration_valid_certificate(registration=a)
    assert a.status == "attended" and certificate
    assert b.status == "confirmed"
    csv_response = staff_client.get(
        reverse("training:staff_participants_export", args=[course_date.pk, "csv"])
    )
    text = csv_response.content.decode("utf-8-sig")
    assert "Anna Arendt" in text and "Bochum" in text and certificate.number in text
    xlsx = staff_client.get(
        reverse("training:staff_participants_export", args=[course_date.pk, "xlsx"])
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (
        staff_client.get(
            reverse("training:staff_participants_export", args=[course_date.pk, "exe"])
        ).status_code
        == 404
    )


def test_csv_export_neutralises_formulas(staff_client):
    course_date = CourseDateFactory()
    Registration.objects.create(
        course_date=course_date, participant=member(name="=HYPERLINK(1)"), status="confirmed"
    )
    text = staff_client.get(
        reverse("training:staff_participants_export", args=[course_date.pk, "csv"])
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_staff_cancel_whole_date_needs_confirmation(staff_client):
    course_date = CourseDateFactory()
    url = reverse("training:staff_date_cancel", args=[course_date.pk])
    staff_client.post(url)
    course_date.refresh_from_db()
    assert not course_date.is_cancelled
    staff_client.post(url, {"confirm": "yes"})
    course_date.refresh_from_db()
    assert course_date.is_cancelled


def test_staff_move_view(staff_client):
    course_date = CourseDateFactory(capacity=1)
    register(course_date, member())
    first, second = register(course_date, member()), register(course_date, member())
    staff_client.post(
        reverse("training:staff_registration_move", args=[second.pk]), {"position": "1"}
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.priority < first.priority
    response = staff_client.post(
        reverse("training:staff_registration_move", args=[second.pk]),
        {"position": "abc"},
        follow=True,
    )
    assert "Bitte geben Sie eine Position ab 1 ein." in response.content.decode()


def test_reports_page_with_charts_and_downloads(staff_client, lja):
    # Ended an hour ago: every local day it ran on has begun, so attendance makes a certificate.
    start = timezone.now() - timedelta(hours=5)
    course_date = CourseDateFactory(
        start=start, end=start + timedelta(hours=4), capacity=4, course__title="Berichtskurs"
    )
    town = MunicipalityFactory(name="Gelsenkirchen")
    registration = Registration.objects.create(
        course_date=course_date, participant=member(town), municipality=town, status="confirmed"
    )
    attendance_mark(registration=registration, by=lja, attended=True)
    response = staff_client.get(reverse("training:staff_reports"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<svg") == 5 and "<title" in content and "<desc" in content
    assert "Gelsenkirchen" in content and "Berichtskurs" in content and "25" in content
    for report in ("kommunen", "regionen", "module", "auslastung", "bescheinigungen"):
        for fmt in ("csv", "xlsx"):
            download = staff_client.get(
                reverse("training:staff_report_export", args=[report, fmt]), {"jahr": start.year}
            )
            assert download.status_code == 200, (report, fmt)
    assert (
        staff_client.get(reverse("training:staff_report_export", args=["nope", "csv"])).status_code
        == 404
    )


def test_staff_pages_refuse_members(client):
    course_date = CourseDateFactory()
    client.force_login(coordinator())
    for url in (
        reverse("training:staff_participants", args=[course_date.pk]),
        reverse("training:staff_participants_export", args=[course_date.pk, "csv"]),
        reverse("training:staff_reports"),
    ):
        assert client.get(url).status_code == 403


def test_course_kinds_are_the_programme_formats():
    kinds = {
        course.get_kind_display()
        for course in [
            CourseFactory(kind=k)
            for k in ("fortbildungsmodul", "lernnetzwerktreffen", "fachtag", "online_austausch")
        ]
    }
    assert kinds == {"Fortbildungsmodul", "Lernnetzwerktreffen", "Fachtag", "Online-Austausch"}


def test_date_page_shows_a_coordinator_only_their_own_registrations(client):
    course_date = CourseDateFactory()
    koeln, dortmund = MunicipalityFactory(name="Köln"), MunicipalityFactory(name="Dortmund")
    register(course_date, member(koeln, name="Kim Köln"))
    register(course_date, member(dortmund, name="Dirk Dortmund"))
    client.force_login(coordinator(koeln))
    content = client.get(course_date.get_absolute_url()).content.decode()
    assert "Kim Köln" in content and "Dirk Dortmund" not in content
    # Nor can the Köln coordinator cancel Dortmund's registration by its id.
    dortmund_registration = Registration.objects.get(participant__name="Dirk Dortmund")
    response = client.post(reverse("training:cancel", args=[dortmund_registration.pk]))
    assert response.status_code == 404
    dortmund_registration.refresh_from_db()
    assert dortmund_registration.status == "confirmed"
