#!/usr/bin/env python3
"""Seeds users and tokens for `make bench` through the admin API (standard library only).

    seed.py BASE_URL ADMIN_TOKEN OUT_DIR LOGIN_USERS RESET_TOKENS LOGIN_PASSWORD

Writes into OUT_DIR:
  login_users.txt   one e-mail per line; each user has LOGIN_PASSWORD (set with change-password)
  reset_tokens.txt  one live invite token per line, each of a different user (a newer token of a
                    user expires the older one, so one token per user)
  validate_token.txt  a live token of a user of its own, for GET /auth/reset/validate
Every request must succeed; any other answer stops the benchmark.
"""

import http.client
import json
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

WORKERS = 4


class Client(threading.local):
    """One keep-alive connection per worker thread."""

    def __init__(self, host, port, token):
        self.host, self.port, self.token = host, port, token
        self.conn = None

    def post(self, path, body, expect):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(
                    "POST",
                    path,
                    body=json.dumps(body),
                    headers={"Content-Type": "application/json", "Authorization": self.token},
                )
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
                continue
            if resp.status != expect:
                raise RuntimeError(f"POST {path}: HTTP {resp.status}: {data[:300]!r}")
            return json.loads(data) if data else None
        raise AssertionError("unreachable")


def token_of(created):
    link = created.get("inviteLink")
    if not link:
        raise RuntimeError(f"no inviteLink in {created!r}")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)
    return query["token"][0]


def main():
    base, admin, out, n_login, n_reset, password = sys.argv[1:7]
    n_login, n_reset = int(n_login), int(n_reset)
    url = urllib.parse.urlparse(base)
    client = Client(url.hostname, url.port, admin)

    def create(email):
        body = {"email": email, "name": "Bench User", "rootRole": "Viewer", "sendEmail": False}
        return client.post("/api/admin/user-admin", body, 201)

    def login_user(i):
        email = f"bench-login-{i}@example.com"
        created = create(email)
        client.post(
            f"/api/admin/user-admin/{created['id']}/change-password", {"password": password}, 200
        )
        return email

    def reset_token(i):
        return token_of(create(f"bench-reset-{i}@example.com"))

    with ThreadPoolExecutor(WORKERS) as pool:
        emails = list(pool.map(login_user, range(n_login)))
        tokens = list(pool.map(reset_token, range(n_reset)))
    validate = token_of(create("bench-validate@example.com"))

    with open(f"{out}/login_users.txt", "w") as f:
        f.write("\n".join(emails) + "\n")
    with open(f"{out}/reset_tokens.txt", "w") as f:
        f.write("\n".join(tokens) + "\n")
    with open(f"{out}/validate_token.txt", "w") as f:
        f.write(validate + "\n")
    assert len(set(tokens)) == len(tokens), "duplicate reset tokens"
    print(f"seeded {len(emails)} login users, {len(tokens)} reset tokens, 1 validate token")


if __name__ == "__main__":
    main()
