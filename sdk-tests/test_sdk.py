"""Unlatch driven only through the Python client generated from openapi.yaml (`make sdk`).

Every request goes through the generated API classes (`AuthApi`, `UsersApi`, `OperationalApi`) with
the generated models; authentication uses the spec's security schemes through the generated
`Configuration`. The client is never edited. Where it cannot express something, the test asserts
the behaviour a client should see and says which change to openapi.yaml fixes it.

The last test checks that every operation in openapi.yaml was called by the tests above it, so a new
operation without an SDK test fails `make sdk-test`.
"""

from __future__ import annotations

import re

import pytest
import unlatch_client as uc
import yaml
from unlatch_client import exceptions as errors
from conftest import STRONG_PASSWORD, login
from support import (
    ADMIN_PASSWORD,
    ADMIN_TOKEN,
    ADMIN_USERNAME,
    CALLED,
    OPERATIONS,
    ROOT,
    SESSION_COOKIE,
    SPEC,
    error_of,
    header,
    make_client,
    set_cookie,
)

TOKEN = r"[A-Za-z0-9_-]{43}"  # 32 random bytes, base64url
HUNTER2_FAILS = [
    "The password must be at least 10 characters long.",
    "The password must contain at least one uppercase letter.",
    "The password must contain at least one special character.",
]
QWERTY_FAILS = [
    "The password must contain at least one uppercase letter.",
    "The password must contain at least one number.",
    "The password must contain at least one special character.",
]


def token_of(link: str, base_url: str, page: str) -> str:
    match = re.fullmatch(re.escape(f"{base_url}/{page}?token=") + f"({TOKEN})", link)
    assert match, f"{link!r} is not a {page} link of {base_url}"
    return match.group(1)


def assert_owasp(exc_info, expected_rules):
    assert exc_info.value.status == 400
    error = error_of(exc_info.value)
    assert error.name == "OwaspValidationError"
    assert error.message == expected_rules[0]
    assert error.details and error.details[0].validation_errors == expected_rules
    assert error.details[0].message == expected_rules[0]


def assert_invalid_token(exc_info):
    assert exc_info.value.status == 401
    error = error_of(exc_info.value)
    assert error.name == "InvalidTokenError"
    assert error.message == "Token was not valid"


# --- operational --------------------------------------------------------------------------------


def test_health(anonymous):
    response = uc.OperationalApi(anonymous).get_health_with_http_info()
    assert response.status_code == 200
    assert isinstance(response.data, uc.HealthCheckSchema)
    assert response.data.health == "GOOD"


def test_liveness_and_readiness(anonymous):
    api = uc.OperationalApi(anonymous)
    live = api.get_health_live_with_http_info()
    assert live.status_code == 200
    assert live.data.health == "GOOD"
    ready = api.get_health_ready_with_http_info()
    assert ready.status_code == 200
    assert isinstance(ready.data, uc.ReadinessSchema)
    assert (ready.data.health, ready.data.database, ready.data.outbox) == ("GOOD", "up", "running")
    assert ready.data.schema_version == ready.data.expected_schema_version


def test_metrics_need_an_admin(anonymous, admin_token_client):
    with pytest.raises(uc.ApiException) as exc_info:  # not public: see the management listener
        uc.OperationalApi(anonymous).get_metrics()
    assert exc_info.value.status == 401
    uc.OperationalApi(anonymous).get_health()
    response = uc.OperationalApi(admin_token_client).get_metrics_with_http_info()
    assert response.status_code == 200
    assert isinstance(response.data, str)
    assert 'http_requests_total{operation="getHealth",status="200"}' in response.data
    assert "unlatch_hash_queue_depth" in response.data


# --- logging in -------------------------------------------------------------------------------


def test_admin_login_answers_the_user_and_sets_the_session_cookie(base_url, auth_api):
    response = auth_api.login_with_http_info(
        uc.LoginSchema(username=ADMIN_USERNAME, password=ADMIN_PASSWORD)
    )
    assert response.status_code == 200
    user = response.data
    assert isinstance(user, uc.UserSchema)
    assert user.username == ADMIN_USERNAME
    assert user.id >= 1
    assert user.account_type == "User"
    assert user.root_role == 1
    assert user.login_attempts == 0
    assert user.created_at is not None

    cookie = set_cookie(response.headers)
    assert re.fullmatch(TOKEN, cookie.value)
    assert cookie["path"] == "/"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["expires"]
    assert not cookie["secure"]  # UNLEASH_URL is http


def test_the_profile_shows_the_root_role(base_url, admin_session):
    profile = uc.UsersApi(make_client(base_url, session=admin_session)).get_profile()
    assert isinstance(profile, uc.ProfileSchema)
    assert (profile.root_role.id, profile.root_role.name, profile.root_role.type) == (1, "Admin", "root")
    assert profile.can_change_password is True
    assert profile.projects == [] and profile.groups == [] and profile.features == []


def test_get_me_with_the_session_cookie(base_url, admin_session):
    me = uc.UsersApi(make_client(base_url, session=admin_session)).get_me()
    assert isinstance(me, uc.MeSchema)
    assert me.user.username == ADMIN_USERNAME
    assert me.user.root_role == 1
    assert me.user.seen_at is not None  # the session fixture logged in
    assert [p.permission for p in me.permissions] == ["ADMIN"]
    assert me.feedback == []
    assert me.splash == {}


def test_wrong_password_is_password_mismatch(auth_api):
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth_api.login(uc.LoginSchema(username=ADMIN_USERNAME, password="Not-the-Passw0rd!"))
    assert exc_info.value.status == 401
    error = error_of(exc_info.value)
    assert error.name == "PasswordMismatch"
    assert error.message.startswith("The combination of password and username you provided is invalid.")


# --- credentials --------------------------------------------------------------------------------


def test_no_credentials_is_authentication_required(anonymous):
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        uc.UsersApi(anonymous).get_me()
    error = error_of(exc_info.value)
    assert exc_info.value.status == 401
    assert error.name == "AuthenticationRequired"
    assert error.message.startswith("You must log in to use Unleash. Your request had no authorization header")
    assert error.path == "/auth/simple/login"
    assert error.type == "password"
    assert error.default_hidden is False


def test_an_unknown_api_token_is_unauthorized_error(base_url):
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        uc.UsersApi(make_client(base_url, api_token="*:*.not-a-token")).get_users()
    error = error_of(exc_info.value)
    assert error.name == "UnauthorizedError"
    assert error.message == "You must log in to use Unleash."


def test_the_admin_token_as_a_bearer_token(base_url):
    users = uc.UsersApi(make_client(base_url, bearer=ADMIN_TOKEN)).get_users()
    assert ADMIN_USERNAME in [u.username for u in users.users]


def test_a_non_admin_session_is_refused_admin_calls(base_url, create_user):
    viewer = create_user(role="Viewer", password=STRONG_PASSWORD)
    users = uc.UsersApi(make_client(base_url, session=login(base_url, viewer.email, STRONG_PASSWORD)))
    assert users.get_me().user.id == viewer.id
    with pytest.raises(errors.ForbiddenException) as exc_info:
        users.get_users()
    error = error_of(exc_info.value)
    assert error.name == "PermissionError"
    assert error.permissions == ["ADMIN"]


# --- admin user calls ---------------------------------------------------------------------------


def test_create_user_answers_the_invite_link_and_role(base_url, admin_users):
    response = admin_users.create_user_with_http_info(
        uc.CreateUserSchema(
            email="Grace.Hopper@Example.com",
            name="Grace Hopper",
            root_role=uc.RootRoleRefSchema("Editor"),
            send_email=True,
        )
    )
    assert response.status_code == 201
    created = response.data
    assert isinstance(created, uc.CreateUserResponseSchema)
    assert header(response.headers, "location") == str(created.id)
    assert created.email == "grace.hopper@example.com"  # stored lower-case
    assert created.name == "Grace Hopper"
    assert created.username is None
    assert created.seen_at is None
    assert created.login_attempts == 0
    assert created.account_type == "User"
    # the role is echoed exactly as it was sent (a name stays a name), as Unleash does
    assert isinstance(created.root_role, uc.RootRoleRefSchema)
    assert created.root_role.actual_instance == "Editor"
    assert created.image_url.startswith("https://gravatar.com/avatar/")
    token_of(created.invite_link, base_url, "new-user")
    assert created.email_sent is False  # no mail relay is configured

    # the role may be given by id too
    viewer = admin_users.create_user(
        uc.CreateUserSchema(username="sdk-viewer", root_role=uc.RootRoleRefSchema(3))
    )
    assert viewer.username == "sdk-viewer"
    assert viewer.root_role.actual_instance == 3  # a number stays a number
    assert viewer.email_sent is False

    with pytest.raises(errors.BadRequestException) as exc_info:
        admin_users.create_user(
            uc.CreateUserSchema(email="grace.hopper@example.com", root_role=uc.RootRoleRefSchema("Viewer"))
        )
    error = error_of(exc_info.value)
    assert error.name == "BadDataError"
    assert error.message == "User already exists"


def test_list_and_get_users(admin_users, create_user):
    created = create_user(role="Editor")
    answer = admin_users.get_users()
    assert [(r.id, r.name, r.type) for r in answer.root_roles] == [(1, "Admin", "root"), (2, "Editor", "root"), (3, "Viewer", "root")]
    listed = {u.id: u for u in answer.users}
    assert created.id in listed
    assert listed[created.id].email == created.email
    assert listed[created.id].root_role == 2  # a role id in lists
    assert listed[created.id].name == created.name

    user = admin_users.get_user(created.id)
    assert isinstance(user, uc.UserSchema)
    assert (user.id, user.email, user.name, user.root_role) == (created.id, created.email, created.name, 2)

    with pytest.raises(errors.NotFoundException) as exc_info:
        admin_users.get_user(999_999)
    error = error_of(exc_info.value)
    assert (error.name, error.message) == ("NotFoundError", "No user found")


def test_delete_user(base_url, admin_users, create_user):
    created = create_user(password=STRONG_PASSWORD)
    response = admin_users.delete_user_with_http_info(created.id)
    assert response.status_code == 200
    assert response.data is None
    assert created.id not in [u.id for u in admin_users.get_users().users]
    with pytest.raises(errors.NotFoundException) as exc_info:
        admin_users.get_user(created.id)
    assert error_of(exc_info.value).name == "NotFoundError"
    with pytest.raises(errors.NotFoundException):
        admin_users.delete_user(created.id)
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        uc.AuthApi(make_client(base_url)).login(uc.LoginSchema(username=created.email, password=STRONG_PASSWORD))
    assert error_of(exc_info.value).name == "PasswordMismatch"


# --- tokens -------------------------------------------------------------------------------------


def test_invite_link_sets_the_first_password(base_url, auth_api, create_user):
    created = create_user(role="Editor")
    token = token_of(created.invite_link, base_url, "new-user")

    found = auth_api.validate_token(token=token)
    assert isinstance(found, uc.TokenUserSchema)
    assert (found.id, found.email, found.name, found.token) == (created.id, created.email, created.name, token)
    assert found.created_by == "admin"  # as Unleash names an admin API token
    assert (found.role.id, found.role.name, found.role.type) == (2, "Editor", "root")

    # the policy is checked before the token, and a refused password leaves the token usable
    with pytest.raises(errors.BadRequestException) as exc_info:
        auth_api.change_password(uc.ChangePasswordSchema(token=token, password="hunter2"))
    assert_owasp(exc_info, HUNTER2_FAILS)
    assert auth_api.validate_token(token=token).id == created.id

    response = auth_api.change_password_with_http_info(
        uc.ChangePasswordSchema(token=token, password=STRONG_PASSWORD)
    )
    assert response.status_code == 200
    assert response.data is None

    with pytest.raises(errors.UnauthorizedException) as exc_info:  # spent
        auth_api.validate_token(token=token)
    assert_invalid_token(exc_info)

    session = login(base_url, created.email.upper(), STRONG_PASSWORD)  # e-mail, any case
    me = uc.UsersApi(make_client(base_url, session=session)).get_me()
    assert (me.user.id, me.user.email) == (created.id, created.email)
    assert me.permissions == []


def test_admin_reset_link_then_reset_then_login(base_url, admin_session, auth_api, create_user):
    created = create_user(role="Viewer", password="Old-passw0rd-123")
    invite = token_of(created.invite_link, base_url, "new-user")

    # made with the admin's session this time, so createdBy names the admin
    admin = uc.UsersApi(make_client(base_url, session=admin_session))
    response = admin.reset_user_password_with_http_info(uc.IdSchema(id=created.email))
    assert response.status_code == 200
    assert isinstance(response.data, uc.ResetPasswordSchema)
    token = token_of(response.data.reset_password_url, base_url, "reset-password")

    found = auth_api.validate_token(token=token)
    assert (found.id, found.email, found.token, found.created_by) == (created.id, created.email, token, ADMIN_USERNAME)
    assert (found.role.id, found.role.name) == (3, "Viewer")

    with pytest.raises(errors.UnauthorizedException) as exc_info:  # a newer token expires older ones
        auth_api.validate_token(token=invite)
    assert_invalid_token(exc_info)

    with pytest.raises(errors.NotFoundException) as exc_info:
        admin.reset_user_password(uc.IdSchema(id="nobody@example.com"))
    assert error_of(exc_info.value).name == "NotFoundError"
    with pytest.raises(uc.ApiException) as exc_info:  # one link per user per 60 s
        admin.reset_user_password(uc.IdSchema(id=created.email))
    assert exc_info.value.status == 429
    assert error_of(exc_info.value).name == "RateLimitError"

    assert auth_api.change_password(uc.ChangePasswordSchema(token=token, password="New-passw0rd-456")) is None
    user = uc.AuthApi(make_client(base_url)).login(uc.LoginSchema(username=created.email, password="New-passw0rd-456"))
    assert user.id == created.id
    assert user.root_role == 3


def test_a_bad_token_is_invalid_token_error(auth_api):
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth_api.validate_token(token="not-a-token")
    assert_invalid_token(exc_info)
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth_api.validate_token()  # no token at all
    assert_invalid_token(exc_info)
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth_api.change_password(uc.ChangePasswordSchema(token="A" * 43, password=STRONG_PASSWORD))
    assert_invalid_token(exc_info)


def test_a_weak_password_surfaces_owasp_validation_error(auth_api):
    # the policy comes before the token check, so even a bad token gets the rule list
    with pytest.raises(errors.BadRequestException) as exc_info:
        auth_api.change_password(uc.ChangePasswordSchema(token="A" * 43, password="hunter2"))
    assert_owasp(exc_info, HUNTER2_FAILS)


# --- password checks and changes ------------------------------------------------------------------


def test_validate_password_public_and_admin(auth_api, admin_users):
    response = auth_api.validate_password_with_http_info(uc.ValidatePasswordSchema(password="simple123-_ASsad"))
    assert response.status_code == 200
    assert response.data is None
    with pytest.raises(errors.BadRequestException) as exc_info:
        auth_api.validate_password(uc.ValidatePasswordSchema(password="hunter2"))
    assert_owasp(exc_info, HUNTER2_FAILS)

    response = admin_users.validate_user_password_with_http_info(uc.PasswordSchema(password="Pässwörd12!"))
    assert response.status_code == 200
    assert response.data is None
    with pytest.raises(errors.BadRequestException) as exc_info:
        admin_users.validate_user_password(uc.PasswordSchema(password="qwertyabcde"))
    assert_owasp(exc_info, QWERTY_FAILS)


def test_change_my_password(base_url, create_user):
    created = create_user(password="First-passw0rd-1")
    session = login(base_url, created.email, "First-passw0rd-1")
    me = uc.UsersApi(make_client(base_url, session=session))

    with pytest.raises(errors.UnauthorizedException) as exc_info:
        me.change_my_password(
            uc.PasswordSchema(password="Second-passw0rd-2", confirm_password="Second-passw0rd-2", old_password="Wrong-passw0rd-0")
        )
    error = error_of(exc_info.value)
    assert error.name == "PasswordMismatch"
    assert error.message.startswith("The old password you provided is invalid.")

    with pytest.raises(errors.BadRequestException) as exc_info:
        me.change_my_password(uc.PasswordSchema(password="hunter2", confirm_password="hunter2", old_password="First-passw0rd-1"))
    assert_owasp(exc_info, HUNTER2_FAILS)

    with pytest.raises(errors.BadRequestException) as exc_info:
        me.change_my_password(
            uc.PasswordSchema(password="Second-passw0rd-2", confirm_password="Other-passw0rd-3", old_password="First-passw0rd-1")
        )
    assert error_of(exc_info.value).name == "BadDataError"

    with pytest.raises(errors.BadRequestException) as exc_info:  # the current password is in the history
        me.change_my_password(
            uc.PasswordSchema(password="First-passw0rd-1", confirm_password="First-passw0rd-1", old_password="First-passw0rd-1")
        )
    assert error_of(exc_info.value).name == "PasswordPreviouslyUsedError"

    response = me.change_my_password_with_http_info(
        uc.PasswordSchema(password="Second-passw0rd-2", confirm_password="Second-passw0rd-2", old_password="First-passw0rd-1")
    )
    assert response.status_code == 200
    assert response.data is None
    assert me.get_me().user.id == created.id  # the caller's own session is kept

    auth = uc.AuthApi(make_client(base_url))
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth.login(uc.LoginSchema(username=created.email, password="First-passw0rd-1"))
    assert error_of(exc_info.value).name == "PasswordMismatch"
    assert auth.login(uc.LoginSchema(username=created.email, password="Second-passw0rd-2")).id == created.id


def test_admin_changes_a_users_password(base_url, admin_users, create_user):
    created = create_user(password="First-passw0rd-1")
    session = login(base_url, created.email, "First-passw0rd-1")
    users_as_user = uc.UsersApi(make_client(base_url, session=session))
    assert users_as_user.get_me().user.id == created.id

    with pytest.raises(errors.BadRequestException) as exc_info:
        admin_users.change_user_password(created.id, uc.PasswordSchema(password="hunter2"))
    assert_owasp(exc_info, HUNTER2_FAILS)

    response = admin_users.change_user_password_with_http_info(created.id, uc.PasswordSchema(password="Admin-set-passw0rd"))
    assert response.status_code == 200
    assert response.data is None

    with pytest.raises(errors.UnauthorizedException):  # all of the user's sessions ended
        users_as_user.get_me()
    assert login(base_url, created.email, "Admin-set-passw0rd")

    with pytest.raises(errors.NotFoundException) as exc_info:
        admin_users.change_user_password(999_999, uc.PasswordSchema(password="Admin-set-passw0rd"))
    assert error_of(exc_info.value).name == "NotFoundError"


def test_send_reset_password_email(base_url, auth_api, create_user):
    created = create_user()
    invite = token_of(created.invite_link, base_url, "new-user")

    response = auth_api.send_reset_password_email_with_http_info(uc.EmailSchema(email=created.email))
    assert response.status_code == 200
    assert response.data is None
    # the mailed link's token is new, so the invite token has expired (the mail itself, with the
    # token redacted, only reaches the server log: no relay is configured)
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth_api.validate_token(token=invite)
    assert_invalid_token(exc_info)

    # an unknown address and a repeat answer the same, so the answer reveals no accounts
    assert auth_api.send_reset_password_email(uc.EmailSchema(email="nobody@example.com")) is None
    assert auth_api.send_reset_password_email(uc.EmailSchema(email=created.email)) is None


# --- logging out --------------------------------------------------------------------------------


def test_logout_through_the_generated_client(base_url, create_user):
    """What a client team expects: `logout()` on a logged-in client returns normally and the
    session is over. Fails until openapi.yaml (and the server) are fixed:

    - `/logout` has `security: []`, so the generated client never sends the session cookie on it
      and cannot end its own session;
    - the only answer is a 302, and the generated client raises `ApiException` for every non-2xx
      status (and, following the redirect, re-POSTs to the web UI's /signed-out page).

    The fix: `security: [{sessionCookie: []}, {}]` (cookie optional) and a 204 answer for callers
    that are not a browser navigation (no `text/html` in `Accept`), keeping the 302 for the web UI's
    log-out form.
    """
    created = create_user(password=STRONG_PASSWORD)
    client = make_client(base_url, session=login(base_url, created.email, STRONG_PASSWORD), follow_redirects=False)
    try:
        response = uc.AuthApi(client).logout_with_http_info()
    except uc.ApiException as e:
        pytest.fail(
            f"logout() raised {type(e).__name__} (HTTP {e.status}): a logged-out client must get a 2xx. "
            "Spec fix: answer 204 to API clients and keep the 302 for browser navigations."
        )
    assert 200 <= response.status_code < 300
    assert set_cookie(response.headers).value == ""
    with pytest.raises(errors.UnauthorizedException):
        uc.UsersApi(client).get_me()


def test_logout_ends_the_session_today(base_url, create_user):
    """The server side of logout as the spec describes it now, reached with the generated client's
    documented escape hatches: `_headers` (per-call headers) to send the session cookie that
    `security: []` leaves out (`_request_auth` does not help: the client ignores it on operations
    without security), redirects off, and the 302 taken from the raised ApiException."""
    created = create_user(password=STRONG_PASSWORD)
    session = login(base_url, created.email, STRONG_PASSWORD)
    client = make_client(base_url, session=session, follow_redirects=False)
    assert uc.UsersApi(client).get_me().user.id == created.id

    try:
        response = uc.AuthApi(client).logout_with_http_info(_headers={"Cookie": f"{SESSION_COOKIE}={session}"})
        status, headers = response.status_code, response.headers
    except uc.ApiException as e:
        status, headers = e.status, e.headers
    if status == 302:
        assert header(headers, "location") == "/signed-out"  # relative, as Unleash sends it
    else:
        assert 200 <= status < 300
    assert set_cookie(headers).value == ""
    assert header(headers, "clear-site-data") == '"cookies", "storage"'
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        uc.UsersApi(client).get_me()
    assert error_of(exc_info.value).name == "AuthenticationRequired"  # an ended session is no session


# --- the contract itself and the audit log ------------------------------------------------------


def _text(data) -> str:
    return data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data


def test_the_service_serves_its_own_contract(anonymous):
    """What a client team expects: `get_open_api_spec()` answers the document. Fails until
    openapi.yaml is fixed: the generated Python client deserializes only JSON and `text/*`, so for
    `application/yaml` with `schema: {type: string}` it raises "Unsupported content type". The fix:
    `schema: {type: string, format: binary}` (the client then answers the raw bytes, a Blob in
    TypeScript), keeping `application/yaml`."""
    try:
        response = uc.OperationalApi(anonymous).get_open_api_spec_with_http_info()
    except uc.ApiException as e:
        pytest.fail(f"get_open_api_spec() raised {type(e).__name__}: status {e.status}, {e.reason}")
    assert response.status_code == 200
    assert _text(response.data) == (ROOT / "openapi.yaml").read_text(encoding="utf-8")


def test_the_served_contract_today(anonymous):
    """The server side of GET /docs/openapi.yaml, read through the generated client's documented
    `*_without_preload_content` variant (the raw urllib3 response), which skips deserializing."""
    raw = uc.OperationalApi(anonymous).get_open_api_spec_without_preload_content()
    assert raw.status == 200
    assert (header(raw.headers, "content-type") or "").startswith("application/yaml")
    body = raw.read().decode("utf-8")
    assert body == (ROOT / "openapi.yaml").read_text(encoding="utf-8")  # the spec it was built from
    assert yaml.safe_load(body) == SPEC


def test_the_contract_as_json(anonymous):
    """GET /docs/openapi.json, where Unleash serves its own document: the same contract."""
    response = uc.OperationalApi(anonymous).get_open_api_json_with_http_info()
    assert response.status_code == 200
    assert response.data == SPEC


def test_the_audit_log(base_url, admin_users, create_user):
    created = create_user(password=STRONG_PASSWORD)
    auth = uc.AuthApi(make_client(base_url))
    with pytest.raises(errors.UnauthorizedException):
        auth.login(uc.LoginSchema(username=created.email, password="Wrong-passw0rd-0"))
    assert auth.login(uc.LoginSchema(username=created.email, password=STRONG_PASSWORD)).id == created.id
    admin_users.change_user_password(created.id, uc.PasswordSchema(password="Admin-set-passw0rd"))

    page = admin_users.get_events(limit=500)
    assert isinstance(page, uc.EventsSchema)
    assert page.total >= len(page.events) >= 4
    ids = [e.id for e in page.events]
    assert ids == sorted(ids, reverse=True), "newest first"
    times = [e.created_at for e in page.events]
    assert times == sorted(times, reverse=True)

    # the spec says "a username, e-mail or user id"; the admin's password change names `user <id>`
    subject = {created.email, str(created.id), f"user {created.id}"}
    about = [e for e in page.events if e.subject in subject]
    kinds = [e.type for e in about]
    for kind in ("user-created", "login-failed", "login-succeeded", "password-set-by-admin"):
        assert kind in kinds, f"no {kind} event about {created.email}: {about}"
    # newest first: the admin's change came after the log-ins, which came after the creation
    assert kinds.index("password-set-by-admin") < kinds.index("login-succeeded") < kinds.index("user-created")
    by_kind = {e.type: e for e in reversed(about)}  # the newest of each kind
    # an admin API token acts as Unleash records it: by its name (`admin` for a configured one), -42
    assert by_kind["user-created"].actor == "admin"
    assert by_kind["user-created"].created_by_user_id == -42
    assert by_kind["user-created"].data["id"] == created.id
    assert by_kind["user-created"].data["email"] == created.email
    assert by_kind["password-set-by-admin"].actor == "admin"
    assert by_kind["login-failed"].ip == "127.0.0.1"
    assert by_kind["login-succeeded"].ip == "127.0.0.1"
    for event in about:  # never a secret
        text = event.to_json()
        assert STRONG_PASSWORD not in text and "Wrong-passw0rd-0" not in text and "Admin-set-passw0rd" not in text

    # paging
    first, second = admin_users.get_events(limit=1), admin_users.get_events(limit=1, offset=1)
    assert [e.id for e in first.events] == [page.events[0].id]
    assert [e.id for e in second.events] == [page.events[1].id]
    assert first.total == page.total


# --- after a takeover: a user's own sessions, "this wasn't me" ------------------------------------


def test_a_user_lists_and_ends_their_own_sessions(base_url, create_user):
    user = create_user(role="Viewer", password=STRONG_PASSWORD)
    first, second, third = (login(base_url, user.email, STRONG_PASSWORD) for _ in range(3))
    mine = uc.UsersApi(make_client(base_url, session=third))
    listed = mine.get_my_sessions()
    assert isinstance(listed, uc.SessionsSchema)
    assert len(listed.sessions) == 3
    assert [s.current for s in listed.sessions].count(True) == 1
    assert listed.sessions[0].current  # newest first
    for session in listed.sessions:
        assert session.ip == "127.0.0.1"
        assert session.created_at is not None
        assert session.id not in (first, second, third)  # not the session's secret

    other = listed.sessions[1]
    response = mine.end_my_session_with_http_info(other.id)
    assert response.status_code == 204
    assert len(mine.get_my_sessions().sessions) == 2
    with pytest.raises(errors.NotFoundException) as exc_info:
        mine.end_my_session(other.id)
    assert error_of(exc_info.value).name == "NotFoundError"

    response = mine.end_my_other_sessions_with_http_info()
    assert response.status_code == 204
    assert [s.current for s in mine.get_my_sessions().sessions] == [True]
    for cookie in (first, second):
        with pytest.raises(errors.UnauthorizedException):
            uc.UsersApi(make_client(base_url, session=cookie)).get_me()


def test_sessions_are_a_session_cookie_s_not_an_api_token_s(admin_users):
    with pytest.raises(errors.ForbiddenException) as exc_info:
        admin_users.get_my_sessions()
    assert error_of(exc_info.value).name == "SessionRequiredError"


def test_an_unknown_not_me_token_changes_nothing(auth_api):
    with pytest.raises(errors.UnauthorizedException) as exc_info:
        auth_api.report_not_me(uc.NotMeSchema(token="not-a-token"))
    assert_invalid_token(exc_info)


# --- coverage of the contract -------------------------------------------------------------------


def test_every_operation_in_openapi_yaml_was_called():
    """Runs last: every operationId of openapi.yaml went through the generated client above."""
    missing = sorted(set(OPERATIONS.values()) - CALLED)
    assert not missing, f"operations in openapi.yaml without an SDK test in sdk-tests/: {missing}"
