"""The production topology of `make prod` (deploy/prod.sh) for the fault tests, with an SMTP test
server (aiosmtpd) that counts what arrives by Message-ID.

The topology gets its own PostgreSQL database (DATABASE_URL's name + "_fault", dropped and made
afresh each run, or FAULT_DATABASE_URL) and Redis: FAULT_REDIS_URL if set, else a redis-server
of its own on a free port (Topology.redis, which a test may restart; the shared Redis is never
restarted), else db 14 of TEST_REDIS_URL's server. It listens on 127.0.0.1:FAULT_PORT (8095)
and keeps its sockets and log in a temporary folder. RESTART=1 makes deploy/prod.sh start a
process that dies again, as systemd's Restart= does on a server (honcho alone stops everything
when one process ends).
Every process started here is stopped at the end, failed run or not, by its process group.
"""

import asyncio
import collections
import contextlib
import email
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "fault-passwort-123"
TEST_DEADLINE_SECONDS = 150
# A loaded CI machine may need longer (migrations, the demo's search-index tasks draining).
START_DEADLINE_SECONDS = int(os.environ.get("FAULT_START_SECONDS", "300"))


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.fault)


def _missing(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _deadline(request):
    """Each test is bounded in time: past its deadline it fails (the topology is torn down by
    the session fixture as usual)."""
    seconds = getattr(request.node.get_closest_marker("deadline"), "args", [TEST_DEADLINE_SECONDS])[
        0
    ]

    def expired(signum, frame):
        raise TimeoutError(f"fault test took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --- the SMTP test server -----------------------------------------------------------------------


class MailCounter:
    """aiosmtpd handler: counts each message by its Message-ID. hold_next() keeps the next
    message's DATA unanswered until release(); a held message the sender never saw accepted
    (its process was killed meanwhile) is dropped, as a real server does without its 250."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: collections.Counter = collections.Counter()
        self._hold = False
        self.held = threading.Event()
        self._released = threading.Event()
        self._drop_held = False
        self.held_peer = None

    def hold_next(self):
        self.held.clear()
        self._released.clear()
        self._drop_held = False
        self._hold = True

    def release(self, *, drop: bool):
        self._drop_held = drop
        self._released.set()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        message_id = (message["Message-ID"] or "").strip()
        if self._hold:
            self._hold = False
            self.held_peer = session.peer
            self.held.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            if self._drop_held:
                return "451 Sender gone before acceptance"
        with self.lock:
            self.received[message_id] += 1
        return "250 Message accepted for delivery"

    def counts(self) -> dict:
        with self.lock:
            return dict(self.received)


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = MailCounter()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the topology -------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    result, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            result.append(child)
            todo.append(child)
    return result


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@dataclass
class Topology:
    url: str  # http://127.0.0.1:PORT
    database_url: str
    env: dict
    process: subprocess.Popen
    log: Path
    smtp: SMTPServer
    seen_groups: set = field(default_factory=set)
    redis: object = None  # tests.events.live_servers.PrivateRedis when the topology has its own

    def processes(self, pattern: str) -> list[int]:
        """Pids of the topology's processes whose command line matches `pattern` (not the
        restart loops' shells)."""
        pids = []
        for pid in descendants(self.process.pid):
            line = cmdline(pid)
            if re.search(pattern, line) and not line.startswith(("/bin/sh", "sh ")):
                pids.append(pid)
            with contextlib.suppress(OSError):
                self.seen_groups.add(os.getpgid(pid))
        return pids

    def manage(self, *args: str, timeout: float = 60) -> str:
        """manage.py in the topology's environment (a timer's job, or a scenario's setup)."""
        done = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def shell(self, code: str, timeout: float = 60) -> str:
        return self.manage("shell", "-c", code, timeout=timeout)

    def sql(self, query: str, params=()) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def healthz(self) -> int:
        try:
            return requests.get(f"{self.url}/healthz", timeout=5).status_code
        except requests.RequestException:
            return 0

    def wait_until(self, condition, seconds: float, what: str, step: float = 0.25):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(step)
        raise AssertionError(f"not within {seconds} s: {what}")

    def stop(self):
        """honcho stops its children on SIGTERM; whatever is left is killed by process group."""
        groups = set(self.seen_groups)
        for pid in descendants(self.process.pid):
            with contextlib.suppress(OSError):
                groups.add(os.getpgid(pid))
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        groups.add(self.process.pid)  # prod.sh/honcho leads its own session
        for group in groups:
            if group == os.getpgrp():
                continue
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


class _Attached:
    def __init__(self, pid):
        self.pid = pid

    def poll(self):
        return None

    def terminate(self):
        pass

    def wait(self, timeout=None):
        pass


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def topology():
    if not shutil.which("nginx"):
        _missing("nginx is not installed (apt-get install -y nginx)")
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        _missing("needs PostgreSQL (set DATABASE_URL)")
    redis_url = os.environ.get("FAULT_REDIS_URL")
    private_redis = None
    if not redis_url and not os.environ.get("FAULT_ATTACH") and shutil.which("redis-server"):
        from tests.events.live_servers import PrivateRedis

        private_redis = PrivateRedis().start()
        redis_url = private_redis.url
    if not redis_url:
        test_redis = os.environ.get("TEST_REDIS_URL")
        if not test_redis:
            _missing("needs Redis (set TEST_REDIS_URL or FAULT_REDIS_URL)")
        redis_url = _with_db(test_redis, "14")
    database_url = os.environ.get("FAULT_DATABASE_URL") or _with_db(
        base, urlsplit(base).path.lstrip("/") + "_fault"
    )
    attach = os.environ.get("FAULT_ATTACH")  # developing: a topology started by hand, its pid
    if not attach:
        import redis

        redis.Redis.from_url(redis_url).flushdb()

    port = int(os.environ.get("FAULT_PORT", "8095"))
    # nginx's workers run as nobody when started by root: the sockets' folder must be open to
    # them (pytest's tmp_path is not).
    run = Path(tempfile.mkdtemp(prefix="kinderstark-fault-"))
    run.chmod(0o755)
    smtp = SMTPServer(int(os.environ.get("FAULT_SMTP_PORT", 0)) or _free_port())
    smtp.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "RUN": str(run),
        "RESTART": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MAIL_RETRY_BASE_SECONDS": "1",
        "MAIL_STALLED_SECONDS": "3",
        "GUNICORN_WORKERS": "3",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    log = run / "topology.log"
    if attach:
        process = _Attached(int(attach))
    else:
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(ROOT / "deploy" / "prod.sh")],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
    topo = Topology(
        url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        env=env,
        process=process,
        log=log,
        smtp=smtp,
        redis=private_redis,
    )
    try:

        def ready():
            assert process.poll() is None, f"deploy/prod.sh ended:\n{log.read_text()[-4000:]}"
            return (
                topo.healthz() == 200
                and len(topo.processes(r"manage\.py db_worker")) == 2
                and len(topo.processes(r"daphne")) == 2
            )

        try:
            topo.wait_until(ready, START_DEADLINE_SECONDS, "the topology answers", step=1)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{log.read_text()[-4000:]}") from None
        yield topo
    finally:
        if not attach:
            topo.stop()
        smtp.stop()
        if private_redis is not None:
            private_redis.remove()
        if os.environ.get("FAULT_KEEP_LOG"):
            sys.stderr.write(log.read_text()[-20000:])
        shutil.rmtree(run, ignore_errors=True)


# --- people and dates in the topology's database ------------------------------------------------

SETUP = """
import json
from django.contrib.auth.hashers import make_password
from tests import factories
municipality = factories.MunicipalityFactory(
    slug="fault-{tag}", name="Faultstadt {tag}", municipality_key="{key}"
)
password = make_password({password!r})
emails = []
for number in range({count}):
    address = f"fault-{tag}-{{number}}@kommune.example"
    user = factories.member(municipality, email=address, password=None)
    user.password = password
    user.save(update_fields=["password"])
    emails.append(user.email)
date = factories.CourseDateFactory(capacity=1000)
print(json.dumps({{"date": date.pk, "emails": emails}}))
"""


@pytest.fixture
def people(topology):
    """make(tag, count): `count` approved members of a new municipality (password PASSWORD)
    and an open date with room for all; returns {"date": pk, "emails": [...]}."""
    import json

    def make(tag: str, count: int) -> dict:
        tag = f"{tag}-{uuid.uuid4().hex[:6]}"  # the database outlives a run
        out = topology.shell(
            SETUP.format(
                tag=tag, count=count, password=PASSWORD, key=f"f{uuid.uuid4().int % 10**7:07d}"
            )
        )
        return json.loads(out.strip().splitlines()[-1])

    return make


# --- HTTP as a person does it -------------------------------------------------------------------


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connections from a given loopback address (127.0.0.x), so nginx sees that client."""

    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser(source: str | None = None) -> requests.Session:
    session = requests.Session()
    if source:
        adapter = SourceAddressAdapter(source)
        session.mount("http://", adapter)
    return session


def login(session: requests.Session, url: str, email_address: str, password: str = PASSWORD):
    """Log in through the login form; returns the POST's response (302 away on success)."""
    session.get(f"{url}/konto/login/", timeout=30).raise_for_status()
    return session.post(
        f"{url}/konto/login/",
        data={
            "login": email_address,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and "/konto/login" not in response.headers.get(
        "Location", ""
    )


def register(session: requests.Session, url: str, date: int):
    return session.post(
        f"{url}/fortbildung/termine/{date}/anmelden/",
        data={"notes": "", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )


def outbox_ids(topology: Topology, since_id: int = 0) -> dict[str, str]:
    """Message-ID -> status of the outbox's mails after `since_id`."""
    rows = topology.sql(
        "SELECT message->'headers'->>'Message-ID', status FROM core_outgoingmail WHERE id > %s",
        [since_id],
    )
    return {mid.strip(): status for mid, status in rows}


def last_mail_id(topology: Topology) -> int:
    return topology.sql("SELECT coalesce(max(id), 0) FROM core_outgoingmail")[0][0]
