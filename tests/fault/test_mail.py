"""Faults of the mail path: a task worker killed while sending, the SMTP server down during
registrations. Every mail of the outbox arrives exactly once (counted by Message-ID)."""

import os
import signal
import time
from pathlib import Path

from .conftest import browser, last_mail_id, logged_in, login, outbox_ids, register

ENQUEUE = """
from django.core.mail import send_mail
from django.db import transaction
with transaction.atomic():
    for number in range({count}):
        address = f"fault-{tag}-{{number}}@kommune.example"
        send_mail(f"Fault {tag} {{number}}", "Text", None, [address])
"""


def _socket_inode(port: int) -> str | None:
    """The inode of the loopback TCP socket whose local port is `port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                return fields[9]
    return None


def _owner(pids: list[int], inode: str) -> int | None:
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _assert_exactly_once(topology, since: int, expected: int):
    outbox = outbox_ids(topology, since)
    assert len(outbox) == expected
    received = topology.smtp.handler.counts()
    assert {mid: status for mid, status in outbox.items() if status != "sent"} == {}
    assert {mid: received.get(mid, 0) for mid in outbox if received.get(mid, 0) != 1} == {}
    assert {mid: n for mid, n in received.items() if n != 1} == {}


def test_task_worker_killed_while_sending_every_mail_arrives_once(topology):
    smtp = topology.smtp.handler
    since = last_mail_id(topology)
    workers = topology.processes(r"manage\.py db_worker")
    assert len(workers) == 2

    smtp.hold_next()
    topology.shell(ENQUEUE.format(count=30, tag="kill"))
    assert smtp.held.wait(30), "no mail reached the SMTP server"
    # The worker whose connection delivers the held mail dies before the server accepts it.
    victim = _owner(workers, _socket_inode(smtp.held_peer[1]))
    assert victim is not None, "the held SMTP connection belongs to no task worker"
    os.kill(victim, signal.SIGKILL)
    topology.wait_until(lambda: not _alive(victim), 10, "the killed worker is gone")
    smtp.release(drop=True)

    # The other worker sends the rest; the killed one's task is lost with it, so the timer's
    # requeue_mail (MAIL_STALLED_SECONDS=3 here) enqueues its mail again.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if all(status == "sent" for status in outbox_ids(topology, since).values()):
            break
        topology.manage("requeue_mail")
        time.sleep(1)
    _assert_exactly_once(topology, since, 30)
    # The killed worker was started again (systemd's Restart=always on a server).
    topology.wait_until(
        lambda: len(topology.processes(r"manage\.py db_worker")) == 2, 30, "two task workers"
    )


def test_smtp_down_during_registrations_mails_arrive_after_once(topology, people):
    scenario = people("smtp", 8)
    sessions = []
    for address in scenario["emails"]:
        session = browser()
        assert logged_in(login(session, topology.url, address))
        session.get(f"{topology.url}/fortbildung/termine/{scenario['date']}/", timeout=30)
        sessions.append(session)
    since = last_mail_id(topology)

    topology.smtp.stop()
    down_since = time.monotonic()
    try:
        for session in sessions:
            response = register(session, topology.url, scenario["date"])
            assert response.status_code == 302, response.status_code
        count = topology.sql(
            "SELECT count(*) FROM training_registration WHERE course_date_id = %s",
            [scenario["date"]],
        )[0][0]
        assert count == len(sessions)
        # Down for 20 s: nothing of these can have arrived, and the workers keep trying.
        time.sleep(max(0.0, 20 - (time.monotonic() - down_since)))
        outbox = outbox_ids(topology, since)
        assert len(outbox) >= len(sessions)
        assert all(status == "queued" for status in outbox.values())
        attempts = topology.sql(
            "SELECT max(attempts) FROM core_outgoingmail WHERE id > %s", [since]
        )[0][0]
        assert attempts >= 2
    finally:
        topology.smtp.start()

    topology.wait_until(
        lambda: all(status == "sent" for status in outbox_ids(topology, since).values()),
        60,
        "every mail sent after the SMTP server is back",
        step=1,
    )
    _assert_exactly_once(topology, since, len(outbox_ids(topology, since)))
