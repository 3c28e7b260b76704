"""Run the whole test suite as `make test` and CI do.

Finds out which services are reachable (PostgreSQL, Redis, Chromium, nginx), says so, and runs
pytest three times: the main suite (with pytest-asyncio for the consumers), the browser journeys
(with pytest-playwright; the two plugins clash in one process) and the fault tests against the
production topology (tests/fault: it starts deploy/prod.sh once for all of them). With
REQUIRE_SERVICES=1 a missing service is a failure, not a skip.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/kinderstark"
REDIS_URL = "redis://127.0.0.1:6379/0"


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main() -> int:
    env = dict(os.environ)
    required = env.get("REQUIRE_SERVICES") == "1"
    problems = []

    if "DATABASE_URL" not in env:
        if reachable("127.0.0.1", 5432):
            env["DATABASE_URL"] = POSTGRES_URL
        else:
            problems.append("PostgreSQL is not reachable on 127.0.0.1:5432")
    if "TEST_REDIS_URL" not in env:
        if reachable("127.0.0.1", 6379):
            env["TEST_REDIS_URL"] = REDIS_URL
        else:
            problems.append("Redis is not reachable on 127.0.0.1:6379")
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        problems.append("Chromium is not installed (apt-get install -y chromium)")
    if not shutil.which("nginx"):
        problems.append("nginx is not installed (apt-get install -y nginx)")

    print(f"tests: database {env.get('DATABASE_URL', 'SQLite')}")
    print(f"tests: redis {env.get('TEST_REDIS_URL', 'none')}")
    for problem in problems:
        print(f"tests: {'FAIL' if required else 'skipping what needs it'}: {problem}")
    if problems and required:
        return 1

    python = sys.executable
    pytest_no_tests_collected = 5
    main_run = subprocess.call(
        [
            python,
            "-m",
            "pytest",
            "-p",
            "no:playwright",
            "--ignore=tests/e2e",
            "--ignore=tests/fault",
            *sys.argv[1:],
        ],
        cwd=ROOT,
        env=env,
    )
    # pytest-asyncio is off in this process, so its ini options are unknown here: not a problem.
    browser_run = subprocess.call(
        [
            python,
            "-m",
            "pytest",
            "-p",
            "no:asyncio",
            "-W",
            "ignore::pytest.PytestConfigWarning",
            "tests/e2e",
            *sys.argv[1:],
        ],
        cwd=ROOT,
        env=env,
    )
    fault_run = subprocess.call(
        [python, "-m", "pytest", "-p", "no:playwright", "tests/fault", *sys.argv[1:]],
        cwd=ROOT,
        env=env,
    )
    print(
        f"tests: main suite exit {main_run}, browser journeys exit {browser_run}, "
        f"fault tests exit {fault_run}"
    )
    runs = (main_run, browser_run, fault_run)
    if sys.argv[1:]:
        # Options given on the command line (-k ...) go to every run; one of them selecting no
        # test is not a failure then. Without options every run has tests, and none is an error.
        runs = tuple(0 if code == pytest_no_tests_collected else code for code in runs)
    return next((code for code in runs if code), 0)


if __name__ == "__main__":
    sys.exit(main())
