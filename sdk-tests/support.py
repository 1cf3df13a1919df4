"""Shared helpers of the SDK tests: clients built from the generated `unlatch_client` package, the
record of which operations the tests reached, and small parsers.

Nothing here changes what the generated client sends or receives. The one piece of instrumentation
(`_record`) wraps `ApiClient.param_serialize`, which every generated API method goes through, only
to note which operation of openapi.yaml was called.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path

import unlatch_client as uc
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "Sdk-tests-Adm1n-P4ss!"
ADMIN_TOKEN = "*:*.sdk-admin-token"
SESSION_COOKIE = "unleash-session"

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def spec_operations() -> dict[tuple[str, str], str]:
    """(METHOD, path template) -> operationId, for every operation in openapi.yaml."""
    routes = {}
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                routes[(method.upper(), path)] = operation["operationId"]
    return routes


OPERATIONS = spec_operations()

# operationIds the tests sent through the generated client
CALLED: set[str] = set()

_param_serialize = uc.ApiClient.param_serialize


def _record(self, method, resource_path, *args, **kwargs):
    operation = OPERATIONS.get((method.upper(), resource_path))
    assert operation is not None, f"the client sent {method} {resource_path}, not in openapi.yaml"
    CALLED.add(operation)
    return _param_serialize(self, method, resource_path, *args, **kwargs)


uc.ApiClient.param_serialize = _record


def make_client(
    base_url: str,
    *,
    session: str | None = None,
    api_token: str | None = None,
    bearer: str | None = None,
    follow_redirects: bool = True,
) -> uc.ApiClient:
    """A generated-client ApiClient, authenticated the way the spec's security schemes say:
    `sessionCookie` (the `unleash-session` cookie), `apiKey` (raw `Authorization`) or `bearerToken`.

    `follow_redirects=False` sets urllib3 `retries=False` (the generated Configuration's `retries`
    option). By default urllib3 follows a 302 and re-sends the POST to the Location, which for
    `/logout` is a page of the web UI, not part of the API.
    """
    config = uc.Configuration(host=base_url, retries=None if follow_redirects else False)
    if session is not None:
        config.api_key["sessionCookie"] = session
    if api_token is not None:
        config.api_key["apiKey"] = api_token
    if bearer is not None:
        config.access_token = bearer
    return uc.ApiClient(config)


def header(headers, name: str) -> str | None:
    """A response header, by case-insensitive name. (`ApiResponse.headers` is a plain dict, while
    an `ApiException`'s headers are urllib3's case-insensitive HTTPHeaderDict.)"""
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def set_cookie(headers, name: str = SESSION_COOKIE):
    """The `Set-Cookie` morsel called `name` from a response's headers."""
    raw = header(headers, "set-cookie")
    assert raw, f"no Set-Cookie in {dict(headers or {})}"
    jar = SimpleCookie()
    jar.load(raw)
    assert name in jar, f"no {name} cookie in {raw!r}"
    return jar[name]


def error_of(exc: uc.ApiException) -> uc.ErrorSchema:
    """The error body as the client parsed it. The client only parses it when openapi.yaml declares
    `ErrorSchema` for that status, so this also checks the spec."""
    assert isinstance(exc.data, uc.ErrorSchema), (
        f"HTTP {exc.status}: the client did not parse the body as ErrorSchema "
        f"(is that status declared for the operation in openapi.yaml?): {exc.body!r}"
    )
    return exc.data
