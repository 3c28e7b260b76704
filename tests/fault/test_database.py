"""PostgreSQL connections terminated (pg_terminate_backend) mid-load: an affected request
answers the German error page, nothing is half-written (a registration and its mail commit
together), and the pools recover so later requests succeed."""

import threading
import time

import requests

from .conftest import browser, logged_in, login, register

ERROR_PAGE = "Ein Fehler ist aufgetreten"


def _terminate_backends(topology) -> int:
    rows = topology.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    return len(rows)


def test_connections_terminated_mid_load_error_page_nothing_half_written_pool_recovers(
    topology, people
):
    scenario = people("pgkill", 12)
    sessions = []
    for address in scenario["emails"]:
        session = browser()
        assert logged_in(login(session, topology.url, address))
        sessions.append(session)

    answers: list[requests.Response] = []
    failures: list[Exception] = []
    stop = threading.Event()

    def load():
        session = requests.Session()
        while not stop.is_set():
            try:
                answers.append(session.get(f"{topology.url}/fortbildung/", timeout=30))
            except requests.RequestException as error:
                failures.append(error)

    registered: list[requests.Response] = []

    def registrations():
        for session in sessions:
            registered.append(register(session, topology.url, scenario["date"]))
            time.sleep(0.2)

    threads = [threading.Thread(target=load) for _ in range(3)]
    threads.append(threading.Thread(target=registrations))
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        assert _terminate_backends(topology) > 0
        time.sleep(2)
        _terminate_backends(topology)
        threads[-1].join(timeout=60)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=35)

    assert failures == []
    assert len(registered) == len(sessions)
    for answer in [*answers, *registered]:
        assert answer.status_code in (200, 302, 500), answer.status_code
        if answer.status_code == 500:
            assert ERROR_PAGE in answer.text

    # Nothing half-written: each registration that stands has its confirmation in the outbox
    # (they commit together), and each one the server confirmed (302) stands.
    def standing() -> set[str]:
        return {
            email
            for (email,) in topology.sql(
                "SELECT u.email FROM training_registration r JOIN core_user u "
                "ON u.id = r.participant_id WHERE r.course_date_id = %s",
                [scenario["date"]],
            )
        }

    def mailed() -> set[str]:
        rows = topology.sql(
            "SELECT recipients FROM core_outgoingmail WHERE recipients LIKE %s",
            [f"%{scenario['emails'][0].rsplit('-', 1)[0]}-%"],
        )
        return {email for (recipients,) in rows for email in recipients.strip(",").split(",")}

    confirmed = {
        email
        for email, answer in zip(scenario["emails"], registered, strict=True)
        if answer.status_code == 302
    }
    assert confirmed <= standing()
    assert mailed() == standing()
    # The pools recover: whoever's registration failed registers when trying again.
    for session, answer in zip(sessions, registered, strict=True):
        if answer.status_code != 302:
            assert register(session, topology.url, scenario["date"]).status_code in (200, 302)
    assert standing() == set(scenario["emails"])
    assert mailed() == standing()

    def healthy():
        codes = [
            requests.get(f"{topology.url}/fortbildung/", timeout=30).status_code for _ in range(12)
        ]
        return codes == [200] * 12

    topology.wait_until(healthy, 20, "every request succeeds again", step=0.5)
    assert topology.healthz() == 200
