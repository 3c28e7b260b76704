"""A gunicorn worker killed with SIGKILL under load: the other workers answer meanwhile and the
master starts a new one. The task workers take only the CPU the web processes leave."""

import os
import signal
import threading
import time
from pathlib import Path

import requests


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_gunicorn_worker_killed_under_load_the_others_answer(topology):
    workers = topology.processes(r"gunicorn")
    # The master is the gunicorn process whose parent is no gunicorn process.
    parents = {pid: _parent(pid) for pid in workers}
    master = [pid for pid in workers if parents[pid] not in workers]
    assert len(master) == 1
    children = [pid for pid in workers if parents[pid] == master[0]]
    assert len(children) == 3

    answers: list[int] = []
    stop = threading.Event()

    def load():
        session = requests.Session()
        while not stop.is_set():
            try:
                answers.append(session.get(f"{topology.url}/", timeout=30).status_code)
            except requests.RequestException:
                answers.append(0)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        before = len(answers)
        os.kill(children[0], signal.SIGKILL)
        time.sleep(8)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
    after_kill = answers[before:]
    # At most the request the killed worker was answering fails (nginx says 502).
    assert len([code for code in after_kill if code != 200]) <= 1, after_kill
    assert after_kill.count(200) >= 10
    topology.wait_until(
        lambda: (
            len([p for p in topology.processes(r"gunicorn") if p != master[0] and p != children[0]])
            == 3
        ),
        20,
        "gunicorn starts a worker in the killed one's place",
    )
    assert requests.get(f"{topology.url}/", timeout=30).status_code == 200


def _autogroup_nice(pid: int) -> int:
    # "/autogroup-42 nice 19": Linux shares the CPU between sessions by this value first.
    return int(Path(f"/proc/{pid}/autogroup").read_text().split()[-1])


def test_the_task_workers_yield_the_cpu_to_the_web_processes(topology):
    """honcho starts every process in a session of its own, and Linux shares the CPU between
    sessions before it looks at nice: with nice alone the workers had the same share as
    gunicorn, and a registration burst's mails halved its registrations per second."""
    workers = topology.processes(r"manage\.py db_worker")
    assert len(workers) == 2
    for pid in workers:
        assert _autogroup_nice(pid) == 19
        assert os.getpriority(os.PRIO_PROCESS, pid) == 10
    for pid in topology.processes(r"gunicorn|daphne"):
        assert _autogroup_nice(pid) == 0
        assert os.getpriority(os.PRIO_PROCESS, pid) == 0
