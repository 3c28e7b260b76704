"""Trainers are a role the Landesjugendämter keep (Trainer), not any account: a trainer with a
login sees their dates and who takes part (names and municipalities only)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from core.services import account_delete, account_export, account_retention
from tests.factories import CourseDateFactory, UserFactory, member
from training.models import Registration, RegistrationStatus, Trainer
from training.selectors import trainer_course_dates, user_is_trainer_of

MINE = "/fortbildung/referent/"


def _seat(course_date, notes="") -> Registration:
    person = member(name="Paula Teilnehmerin")
    return Registration.objects.create(
        course_date=course_date,
        participant=person,
        municipality=person.memberships.get().municipality,
        status=RegistrationStatus.CONFIRMED,
        notes=notes,
    )


@pytest.fixture
def trainer_user(db):
    user = UserFactory(name="Rita Referentin")
    Trainer.objects.create(name="Rita Referentin", organisation="ISS", user=user)
    return user


@pytest.fixture
def taught(trainer_user):
    course_date = CourseDateFactory()
    course_date.trainers.add(trainer_user.trainer_profile)
    return course_date


# --- the selectors the evaluation builds on -------------------------------------------------------


def test_trainer_course_dates_are_the_dates_of_the_trainer_entry(trainer_user, taught):
    other = CourseDateFactory()
    assert list(trainer_course_dates(trainer_user)) == [taught]
    assert user_is_trainer_of(user=trainer_user, course_date=taught)
    assert not user_is_trainer_of(user=trainer_user, course_date=other)


def test_nobody_else_is_a_trainer(db, taught):
    stranger = member()
    assert list(trainer_course_dates(stranger)) == []
    assert not user_is_trainer_of(user=stranger, course_date=taught)


def test_an_inactive_account_is_no_trainer(trainer_user, taught):
    trainer_user.is_active = False
    trainer_user.save()
    assert list(trainer_course_dates(trainer_user)) == []
    assert not user_is_trainer_of(user=trainer_user, course_date=taught)


# --- "Meine Termine als Referent/in" --------------------------------------------------------------


def test_the_trainer_sees_their_dates_and_the_participants_without_email_or_notes(
    client, trainer_user, taught
):
    seat = _seat(taught, notes="rollstuhlgerechter Zugang")
    client.force_login(trainer_user)
    assert MINE in client.get(reverse("training:my_training")).content.decode()
    dates = client.get(MINE).content.decode()
    assert "Meine Termine als Referent/in" in dates
    assert taught.course.title in dates
    page = client.get(f"/fortbildung/referent/termine/{taught.pk}/").content.decode()
    assert "Paula Teilnehmerin" in page
    assert seat.municipality.name in page
    assert seat.participant.email not in page
    assert "rollstuhlgerechter Zugang" not in page


def test_a_trainer_cannot_open_a_date_they_do_not_teach(client, trainer_user, taught):
    other = CourseDateFactory()
    client.force_login(trainer_user)
    assert client.get(f"/fortbildung/referent/termine/{other.pk}/").status_code == 404


def test_a_member_who_is_no_trainer_is_refused(client, db):
    client.force_login(member())
    assert client.get(MINE).status_code == 403
    assert MINE not in client.get(reverse("training:my_training")).content.decode()


def test_the_trainer_participant_page_has_a_pinned_query_count(
    client, trainer_user, taught, django_assert_max_num_queries
):
    client.force_login(trainer_user)
    url = f"/fortbildung/referent/termine/{taught.pk}/"
    _seat(taught)
    client.get(url)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        _seat(taught)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    # And the list of dates, constant in their number.
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for _ in range(5):
        CourseDateFactory().trainers.add(trainer_user.trainer_profile)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(MINE).status_code == 200


def test_the_public_date_page_names_the_trainers_with_their_organisation(client, taught):
    html = client.get(taught.get_absolute_url()).content.decode()
    assert "Rita Referentin (ISS)" in html


# --- privacy --------------------------------------------------------------------------------------


def test_the_trainer_entry_is_in_the_data_download_and_the_retention_list(trainer_user, taught):
    data = account_export(user=trainer_user)["training"]["training_trainer"]
    assert data["name"] == "Rita Referentin"
    assert data["organisation"] == "ISS"
    assert [d["course"] for d in data["dates"]] == [taught.course.title]
    assert any("Referent/in" in str(what) for what, _ in account_retention()) or any(
        "Trainer entry" in str(what) for what, _ in account_retention()
    )


def test_deleting_the_account_unlinks_and_retires_the_trainer_entry(trainer_user, taught):
    account_delete(user=trainer_user)
    trainer = Trainer.objects.get(name="Rita Referentin")
    assert trainer.user_id is None
    assert not trainer.active
    assert list(taught.trainers.all()) == [trainer]


# --- the data migration ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_trainer_accounts_and_names_into_trainer_entries():
    executor = MigrationExecutor(connection)
    before = [("training", "0007_lifecycle_and_trainers")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("core", "User")
    Course = old.get_model("training", "Course")
    CourseDate = old.get_model("training", "CourseDate")
    account = User.objects.create(email="referent@lwl.example", name="Karl Konto")
    course = Course.objects.create(title="Modul 1", provider="LWL", hours=3)
    start = timezone.now() + timedelta(days=3)
    first = CourseDate.objects.create(
        course=course,
        start=start,
        end=start + timedelta(hours=3),
        capacity=5,
        trainer_names="Dr. Jana Beispiel, Tom Muster und Eva Extern",
    )
    second = CourseDate.objects.create(
        course=course,
        start=start + timedelta(days=7),
        end=start + timedelta(days=7, hours=3),
        capacity=5,
        trainer_names="dr. jana beispiel",
    )
    first.trainers.add(account)
    second.trainers.add(account)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(Trainer.objects.values_list("name", flat=True)) == [
        "Dr. Jana Beispiel",
        "Eva Extern",
        "Karl Konto",
        "Tom Muster",
    ]
    karl = Trainer.objects.get(name="Karl Konto")
    assert karl.user_id == account.pk
    from training.models import CourseDate as Current

    assert sorted(t.name for t in Current.objects.get(pk=first.pk).trainers.all()) == [
        "Dr. Jana Beispiel",
        "Eva Extern",
        "Karl Konto",
        "Tom Muster",
    ]
    assert sorted(t.name for t in Current.objects.get(pk=second.pk).trainers.all()) == [
        "Dr. Jana Beispiel",
        "Karl Konto",
    ]
