"""Unlatch's password operations, driven through a Python client generated from **Unleash 8.2.0's own
OpenAPI document** (`make unleash-client`: the document is read from a running Unleash at test time and
the client generated into the git-ignored sdk/unleash-python; neither is committed, both are Unleash's).

A script written against Unleash with that client must work against Unlatch unchanged: every answer
below must deserialize into the client's own models without an exception, with the fields a user of
the client reads, and with no field Unleash's schema does not know (its schemas say
`additionalProperties: false`; the generated models silently drop unknown fields, so that is checked on
the raw JSON).

Quirks of Unleash's generated client, each handled here rather than in Unlatch:
- Its document has no security scheme for the session cookie (only `apiKey` and `bearerToken`, the
  `Authorization` header). A session is sent with the generated `ApiClient(cookie=...)` argument, which
  adds the `Cookie` header to every call.
- Log-out (`POST /logout`) is not in Unleash's document, so it is not driven here (sdk-tests/test_sdk.py
  does, through Unlatch's own client).
- `GET /auth/reset/validate` declares no `token` query parameter in Unleash's document, so the
  generated `validate_token()` cannot send one (Unleash's UI appends `?token=` by hand). `validate_token`
  below does what the generated method does (its own `_validate_token_serialize`, `call_api`,
  `response_deserialize` with the generated response types) with `?token=` added to the URL, so the
  answer still goes through the client's own deserialization into `TokenUserSchema`.
- Its error schemas are not declared for most error statuses, so an `ApiException`'s `data` is None:
  the error bodies are read from `exc.body` (JSON) instead.
No client-side validation had to be switched off: every request below passes the client's own checks.
"""

from __future__ import annotations

import json
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import unleash_client as ul
from unleash_client.exceptions import ApiException

from conftest import STRONG_PASSWORD
from support import ADMIN_PASSWORD, ADMIN_TOKEN, ADMIN_USERNAME, header

TOKEN = r"[A-Za-z0-9_-]{43}"


def client(base_url: str, *, token: str | None = None, session: str | None = None) -> ul.ApiClient:
    config = ul.Configuration(host=base_url)
    if token is not None:
        config.api_key["apiKey"] = token  # Unleash's `apiKey` scheme: the raw Authorization header
    return ul.ApiClient(config, cookie=f"unleash-session={session}" if session else None)


def fields(model_cls) -> set[str]:
    return {f.alias or name for name, f in model_cls.model_fields.items()}


def only_known(model_cls, obj: dict, nested: dict | None = None) -> None:
    """Every key Unlatch sent is a property of Unleash's schema (recursing into `nested` keys)."""
    unknown = set(obj) - fields(model_cls)
    assert not unknown, f"{model_cls.__name__}: fields Unleash's schema does not have: {sorted(unknown)}"
    for key, cls in (nested or {}).items():
        value = obj.get(key)
        for item in value if isinstance(value, list) else [value] if value is not None else []:
            only_known(cls, item)


def raw(response) -> dict:
    return json.loads(response.raw_data)


def error(exc: ApiException) -> dict:
    body = json.loads(exc.body)
    assert set(body) >= {"name", "message"}, body
    return body


def session_of(response) -> str:
    jar = SimpleCookie()
    jar.load(header(response.headers, "set-cookie"))
    return jar["unleash-session"].value


def login(base_url: str, username: str, password: str):
    response = ul.AuthApi(client(base_url)).login_with_http_info(ul.LoginSchema(username=username, password=password))
    assert response.status_code == 200
    assert isinstance(response.data, ul.UserSchema)
    only_known(ul.UserSchema, raw(response))
    return response.data, session_of(response)


def validate_token(api: ul.AuthApi, token: str):
    method, url, headers, body, post_params = api._validate_token_serialize(
        _request_auth=None, _content_type=None, _headers=None, _host_index=0
    )
    response = api.api_client.call_api(method, f"{url}?{urlencode({'token': token})}", headers, body, post_params)
    response.read()
    return api.api_client.response_deserialize(
        response_data=response,
        response_types_map={"200": "TokenUserSchema", "401": "Login401Response", "415": "ValidateToken415Response"},
    )


def token_in(link: str, base_url: str, page: str) -> str:
    match = re.fullmatch(re.escape(f"{base_url}/{page}?token=") + f"({TOKEN})", link)
    assert match, f"{link!r} is not a {page} link of {base_url}"
    return match.group(1)


def test_the_password_operations_through_unleashs_own_client(base_url):
    admin = ul.UsersApi(client(base_url, token=ADMIN_TOKEN))
    auth = ul.AuthApi(client(base_url))

    # log-in (the admin), and the profile page's call
    me, admin_session = login(base_url, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert (me.username, me.root_role, me.account_type) == (ADMIN_USERNAME, 1, "User")
    assert me.image_url.startswith("https://gravatar.com/avatar/")
    profile = ul.UsersApi(client(base_url, session=admin_session)).get_profile_with_http_info()
    assert isinstance(profile.data, ul.ProfileSchema)
    only_known(ul.ProfileSchema, raw(profile), {"rootRole": ul.RoleSchema})
    assert (profile.data.root_role.id, profile.data.root_role.name, profile.data.root_role.type) == (1, "Admin", "root")
    assert profile.data.can_change_password is True
    me_again = ul.UsersApi(client(base_url, session=admin_session)).get_me_with_http_info()
    assert isinstance(me_again.data, ul.MeSchema)
    only_known(ul.MeSchema, raw(me_again), {"user": ul.UserSchema})
    assert me_again.data.user.id == me.id

    # admin: create users, the role given by name and by id, and echoed as given
    created = admin.create_user_with_http_info(
        ul.CreateUserSchema(email="Ada.Unleash@Example.com", name="Ada", root_role=ul.CreateUserSchemaRootRole("Editor"))
    )
    assert created.status_code == 201
    assert isinstance(created.data, ul.CreateUserResponseSchema)
    only_known(ul.CreateUserResponseSchema, raw(created))
    ada = created.data
    assert (ada.email, ada.name, ada.account_type) == ("ada.unleash@example.com", "Ada", "User")
    assert ada.root_role.actual_instance == "Editor"
    invite = token_in(ada.invite_link, base_url, "new-user")
    by_id = admin.create_user(ul.CreateUserSchema(username="unleash-client-viewer", root_role=ul.CreateUserSchemaRootRole(3)))
    assert by_id.root_role.actual_instance == 3

    # admin: list users (with the root roles) and get one
    users = admin.get_users_with_http_info()
    assert isinstance(users.data, ul.UsersSchema)
    only_known(ul.UsersSchema, raw(users), {"users": ul.UserSchema, "rootRoles": ul.RoleSchema})
    listed = {u.id: u for u in users.data.users}
    assert listed[ada.id].root_role == 2 and listed[by_id.id].root_role == 3
    assert [(r.id, r.name) for r in users.data.root_roles] == [(1, "Admin"), (2, "Editor"), (3, "Viewer")]
    one = admin.get_user_with_http_info(ada.id)
    assert isinstance(one.data, ul.UserSchema)
    only_known(ul.UserSchema, raw(one))
    assert one.data.email == ada.email

    # validate-password, public and admin
    assert auth.validate_password_with_http_info(ul.ValidatePasswordSchema(password=STRONG_PASSWORD)).status_code == 200
    with pytest.raises(ApiException) as exc_info:
        auth.validate_password(ul.ValidatePasswordSchema(password="hunter2"))
    assert exc_info.value.status == 400
    body = error(exc_info.value)
    assert body["name"] == "OwaspValidationError"
    assert body["details"][0]["validationErrors"][0] == "The password must be at least 10 characters long."
    assert admin.validate_user_password_with_http_info(ul.PasswordSchema(password=STRONG_PASSWORD)).status_code == 200

    # the invite link: validate the token, set the first password, the link is spent
    found = validate_token(auth, invite)
    assert isinstance(found.data, ul.TokenUserSchema)
    only_known(ul.TokenUserSchema, raw(found), {"role": ul.RoleSchema})
    assert (found.data.id, found.data.email, found.data.token, found.data.created_by) == (ada.id, ada.email, invite, "admin")
    assert (found.data.role.id, found.data.role.name) == (2, "Editor")
    assert auth.change_password_with_http_info(ul.ChangePasswordSchema(token=invite, password=STRONG_PASSWORD)).status_code == 200
    with pytest.raises(ApiException) as exc_info:
        validate_token(auth, invite)
    assert (exc_info.value.status, error(exc_info.value)["name"]) == (401, "InvalidTokenError")
    user, ada_session = login(base_url, ada.email, STRONG_PASSWORD)
    assert (user.id, user.root_role) == (ada.id, 2)

    # change own password
    mine = ul.UsersApi(client(base_url, session=ada_session))
    response = mine.change_my_password_with_http_info(
        ul.PasswordSchema(password="Second-passw0rd-2", confirm_password="Second-passw0rd-2", old_password=STRONG_PASSWORD)
    )
    assert response.status_code == 200
    login(base_url, ada.email, "Second-passw0rd-2")

    # admin: a reset link, then the reset through it
    link = admin.reset_user_password_with_http_info(ul.IdSchema(id=ada.email))
    assert isinstance(link.data, ul.ResetPasswordSchema)
    only_known(ul.ResetPasswordSchema, raw(link))
    reset = token_in(link.data.reset_password_url, base_url, "reset-password")
    assert validate_token(auth, reset).data.created_by == "admin"
    assert auth.change_password_with_http_info(ul.ChangePasswordSchema(token=reset, password="Third-passw0rd-3")).status_code == 200
    login(base_url, ada.email, "Third-passw0rd-3")

    # admin: change a user's password
    assert admin.change_user_password_with_http_info(ada.id, ul.PasswordSchema(password="Fourth-passw0rd-4")).status_code == 200
    login(base_url, ada.email, "Fourth-passw0rd-4")

    # the forgotten-password mail (no relay here: the answer is all a client sees)
    assert auth.send_reset_password_email_with_http_info(ul.EmailSchema(email=ada.email)).status_code == 200

    # a wrong password and no credentials, as Unleash's client sees them
    with pytest.raises(ApiException) as exc_info:
        auth.login(ul.LoginSchema(username=ada.email, password="Third-passw0rd-3"))
    assert (exc_info.value.status, error(exc_info.value)["name"]) == (401, "PasswordMismatch")
    with pytest.raises(ApiException) as exc_info:
        ul.UsersApi(client(base_url)).get_profile()
    assert (exc_info.value.status, error(exc_info.value)["name"]) == (401, "AuthenticationRequired")
