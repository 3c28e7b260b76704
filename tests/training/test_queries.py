"""Query counts of the dates list and a date page: pinned, and not growing with rows."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import OutgoingMail
from tests.factories import CourseDateFactory, MunicipalityFactory, coordinator, member
from training.models import Registration, RegistrationStatus
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    cache.clear()  # the course list's rendered HTML, kept for seconds
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _fill(course_date, people):
    for person in people:
        registration_create(course_date=course_date, participant=person, by=person)


def test_dates_list_query_count(client, django_assert_max_num_queries):
    for _ in range(3):
        _fill(CourseDateFactory(capacity=2), [member() for _ in range(3)])
    url = reverse("training:date_list")
    few = _count(client, url)
    for _ in range(12):
        _fill(CourseDateFactory(capacity=2), [member() for _ in range(3)])
    many = _count(client, url)
    assert many == few
    with django_assert_max_num_queries(4):
        client.get(url)
    # Within seconds the same list is the cached HTML: no query for it.
    with django_assert_max_num_queries(0):
        client.get(url)


def test_dates_list_query_count_logged_in(client):
    person = member()
    client.force_login(person)
    CourseDateFactory()
    few = _count(client, reverse("training:date_list"))
    for _ in range(10):
        CourseDateFactory()
    assert _count(client, reverse("training:date_list")) == few


def test_date_page_query_count(client, django_assert_max_num_queries):
    town = MunicipalityFactory()
    boss = coordinator(town)
    course_date = CourseDateFactory(capacity=2)
    _fill(course_date, [member(town) for _ in range(3)])  # one of the town's people waits
    url = course_date.get_absolute_url()
    anonymous = _count(client, url)
    client.force_login(boss)
    few = _count(client, url)
    _fill(course_date, [member(town) for _ in range(10)] + [member() for _ in range(10)])
    many = _count(client, url)
    assert many == few
    # The coordinator's list of the town's registrations, and the date's live registrations as
    # plain rows for the waiting one's standing (with_standings).
    with django_assert_max_num_queries(8):
        client.get(url)
    client.logout()
    assert _count(client, url) == anonymous <= 6


def test_my_training_query_count(client):
    person = member()
    client.force_login(person)
    _fill(CourseDateFactory(), [person])
    plain = _count(client, reverse("training:my_training"))
    # On a cold cache: the session, the user, the registrations, whether a trainer, the site's
    # menu.
    assert plain <= 5
    # Waiting registrations get their positions in one more query, for all of them at once.
    _fill(CourseDateFactory(capacity=1), [member(), person])
    few = _count(client, reverse("training:my_training"))
    assert few == plain + 1
    for _ in range(8):
        _fill(CourseDateFactory(capacity=1), [member(), person])
    assert _count(client, reverse("training:my_training")) == few
    content = client.get(reverse("training:my_training")).content.decode()
    assert content.count("(Position 1)") == 9  # the first in each of the 9 queues


def test_participant_list_query_count(staff_client):
    course_date = CourseDateFactory(capacity=3)
    _fill(course_date, [member() for _ in range(4)])
    url = reverse("training:staff_participants", args=[course_date.pk])
    few = _count(staff_client, url)
    _fill(course_date, [member() for _ in range(15)])
    assert _count(staff_client, url) == few


# --- the register and cancel POSTs: what they do, and how much of it under the date's lock --------


def _locked(queries) -> list[str]:
    """The statements from the course date's row lock to the end of the request, savepoints
    (the test's transaction) left out: what every other registration of the date waits for."""
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    start = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s and "training_coursedate" in s)
    return sql[start:]


@pytest.fixture
def database_tasks(settings):
    """Tasks as in production: their rows are written in the change's transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.parametrize("seat", [True, False], ids=["seat", "waiting list"])
def test_the_register_post_query_count(client, seat, database_tasks, django_assert_max_num_queries):
    """Pinned (8 with the test transaction's SAVEPOINT and RELEASE): the user (with staff or not
    and the membership); before the lock the outbox row and its task; under the lock the lock
    itself (the only read of the date), one count, the insert. The mail is written later by the
    worker."""
    course_date = CourseDateFactory(capacity=1, max_per_municipality=None)
    if not seat:
        _fill(course_date, [member()])
    person = member()
    client.force_login(person)
    url = reverse("training:register", args=[course_date.pk])
    with django_assert_max_num_queries(8) as queries:
        response = client.post(url, {"notes": ""})
    assert response.status_code == 302
    assert person.training_registrations.get().status == ("confirmed" if seat else "waiting")
    locked = _locked(queries)
    assert len(locked) <= 3, locked
    assert not any("core_outgoingmail" in s or "dbtaskresult" in s for s in locked), locked


def test_the_cancel_post_query_count(client, database_tasks, django_assert_max_num_queries):
    """Pinned for a cancellation that promotes the next person (11 with the test transaction's
    SAVEPOINT and RELEASE): the user, the registration; under the lock the lock, the registration
    as it is now, its update, the date's live registrations (seats and queue in one read), the
    promotion, then the cancellation's mail and the promoted person's in one insert, and one task
    sending both."""
    course_date = CourseDateFactory(capacity=1)
    person, waiting = member(), member()
    _fill(course_date, [person, waiting])
    registration = person.training_registrations.get()
    client.force_login(person)
    url = reverse("training:cancel", args=[registration.pk])
    queued_before = OutgoingMail.objects.count()
    with django_assert_max_num_queries(11) as queries:
        response = client.post(url, {"next": course_date.get_absolute_url()})
    assert response.status_code == 302
    assert waiting.training_registrations.get().status == "confirmed"
    assert len(_locked(queries)) <= 7, _locked(queries)
    mails = list(OutgoingMail.objects.order_by("pk")[queued_before:])
    assert [m.recipients for m in mails] == [f",{person.email},", f",{waiting.email},"]
    task = DBTaskResult.objects.filter(task_path="core.tasks.send_outgoing_mail").latest(
        "enqueued_at"
    )
    assert task.args_kwargs == {"args": [m.pk for m in mails], "kwargs": {}}


def test_my_training_lists_the_next_date_first_then_the_past_ones(client):
    """Upcoming dates soonest first (what a person looks for), then the past, latest first."""
    person = member()
    client.force_login(person)
    now = timezone.now()
    for days, title in ((40, "Später"), (10, "Bald"), (-30, "Vergangen früh"), (-5, "Vergangen")):
        start = now + timedelta(days=days)
        course_date = CourseDateFactory(
            start=start, end=start + timedelta(hours=6), course__title=title
        )
        Registration.objects.create(
            course_date=course_date, participant=person, status=RegistrationStatus.CONFIRMED
        )
    content = client.get(reverse("training:my_training")).content.decode()
    table = content[content.index("<table") : content.index("</table>")]
    found = sorted(
        ("Bald", "Später", "Vergangen", "Vergangen früh"), key=lambda t: table.index(f">{t}<")
    )
    assert found == ["Bald", "Später", "Vergangen", "Vergangen früh"]
