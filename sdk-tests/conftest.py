"""Fixtures of the SDK tests: one real `unlatch serve` for the session, always stopped afterwards.

The binary is `$UNLATCH_BIN` (default target/debug/unlatch, built by `make sdk-test`). It listens on a
free port, with a fresh SQLite database in a temporary folder, cost-4 bcrypt, a known admin password
and admin API token. Its log goes to `$UNLATCH_SERVER_LOG` (default: the temporary folder).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import unlatch_client as uc
import urllib3

from support import ADMIN_PASSWORD, ADMIN_TOKEN, ADMIN_USERNAME, ROOT, make_client, set_cookie

STRONG_PASSWORD = "DtUYwi&l5I1KX4@Le"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # SIGTERM: graceful shutdown
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _ready(base_url: str, process: subprocess.Popen, timeout: float = 30.0) -> bool:
    # The readiness probe uses urllib3 directly, not the generated client: it must not count as
    # the SDK test of getHealth (test_health does that), and it polls before anything listens.
    http = urllib3.PoolManager(retries=False, timeout=1.0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if http.request("GET", f"{base_url}/health").status == 200:
                return True
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def base_url():
    binary = Path(os.environ.get("UNLATCH_BIN", "target/debug/unlatch"))
    if not binary.is_absolute():
        binary = ROOT / binary
    assert binary.exists(), f"{binary} does not exist: run `cargo build --bin unlatch`"
    workdir = Path(tempfile.mkdtemp(prefix="unlatch-sdk-test-", dir="/tmp"))
    log_path = Path(os.environ.get("UNLATCH_SERVER_LOG") or workdir / "server.log")
    if not log_path.is_absolute():
        log_path = ROOT / log_path
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_bytes(b"")  # this run's log only

    process = None
    try:
        for attempt in range(3):  # a free port may be taken between probing and binding
            port = _free_port()
            url = f"http://localhost:{port}"
            env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TZ") if k in os.environ}
            env.update(
                DATABASE_URL=f"sqlite://{workdir}/unlatch-{attempt}.db",
                HTTP_HOST="127.0.0.1",
                HTTP_PORT=str(port),
                MANAGEMENT_HTTP_PORT="0",
                UNLEASH_URL=url,
                BCRYPT_COST="4",
                INIT_ADMIN_API_TOKENS=ADMIN_TOKEN,
                UNLEASH_DEFAULT_ADMIN_USERNAME=ADMIN_USERNAME,
                UNLEASH_DEFAULT_ADMIN_PASSWORD=ADMIN_PASSWORD,
                # every test talks from 127.0.0.1; the per-IP limits of one minute would otherwise
                # be shared by the whole suite (the limits themselves are tested in tests/)
                SIMPLE_LOGIN_LIMIT_PER_MINUTE="1000",
                PASSWORD_RESET_LIMIT_PER_MINUTE="1000",
                CREATE_USER_RATE_LIMIT_PER_MINUTE="1000",
                LOG_LEVEL="info",
            )
            with open(log_path, "ab") as log:
                log.write(f"--- unlatch serve on {url} (attempt {attempt + 1})\n".encode())
                log.flush()
                process = subprocess.Popen(
                    [str(binary), "serve"],
                    cwd=workdir,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            atexit.register(_stop, process)  # also on an interrupted run
            if _ready(url, process):
                break
            _stop(process)
            process = None
        if process is None:
            tail = log_path.read_text(errors="replace")[-4000:]
            pytest.fail(f"unlatch did not become healthy; its log ({log_path}):\n{tail}")
        yield url
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def admin_token_client(base_url) -> uc.ApiClient:
    """Authenticated with the admin API token through the `apiKey` security scheme."""
    return make_client(base_url, api_token=ADMIN_TOKEN)


@pytest.fixture(scope="session")
def admin_users(admin_token_client) -> uc.UsersApi:
    return uc.UsersApi(admin_token_client)


@pytest.fixture(scope="session")
def anonymous(base_url) -> uc.ApiClient:
    return make_client(base_url)


@pytest.fixture(scope="session")
def auth_api(anonymous) -> uc.AuthApi:
    return uc.AuthApi(anonymous)


def login(base_url: str, username: str, password: str) -> str:
    """Logs in through the generated client; answers the `unleash-session` cookie's value."""
    response = uc.AuthApi(make_client(base_url)).login_with_http_info(
        uc.LoginSchema(username=username, password=password)
    )
    assert response.status_code == 200
    return set_cookie(response.headers).value


@pytest.fixture(scope="session")
def admin_session(base_url) -> str:
    return login(base_url, ADMIN_USERNAME, ADMIN_PASSWORD)


_counter = itertools.count(1)


@pytest.fixture
def create_user(admin_users):
    """Creates a user through the generated client (admin API token); answers the response data."""

    def create(role="Editor", password=None, name=None) -> uc.CreateUserResponseSchema:
        n = next(_counter)
        return admin_users.create_user(
            uc.CreateUserSchema(
                email=f"SDK.User{n}@Example.com",
                name=name or f"SDK User {n}",
                root_role=uc.RootRoleRefSchema(role),
                password=password,
            )
        )

    return create
