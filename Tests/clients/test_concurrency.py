"""Single use and uniqueness under concurrency, against a real server: many simultaneous requests for one code, one
refresh token or one name, over several rounds, on SQLite and (in the PostgreSQL pass) on PostgreSQL, where requests
truly run in parallel. Exactly one may succeed each time."""
import base64
import hashlib
import re
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from conftest import ADMIN_PASSWORD, Deployment

ROUNDS = 3
CALLERS = 40


@pytest.fixture(scope="module")
def own_server():
    """A server of its own: the names these tests create must not show up in other suites' listings."""
    deployment = Deployment(prefix="nexusone-concurrency-")
    yield deployment.server
    deployment.close()


def at_once(count, call):
    """Runs `call` `count` times in parallel threads, released together; returns the responses."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: call(), range(count)))


def statuses(responses):
    return sorted(response.status_code for response in responses)


def admin_token(server):
    return requests.post(f"{server.base_url}/realms/master/protocol/openid-connect/token",
                         data={"grant_type": "password", "client_id": "admin-cli", "username": "admin",
                               "password": ADMIN_PASSWORD}).json()["access_token"]


def make_user(server, admin, roles=()):
    username = "user" + uuid.uuid4().hex[:10]
    password = "password-" + uuid.uuid4().hex[:8]
    created = requests.post(f"{server.base_url}/admin/realms/{server.realm}/users", headers={"Authorization": f"Bearer {admin}"},
                            json={"username": username, "enabled": True, "credentials": [{"value": password}], "realmRoles": list(roles)})
    assert created.status_code == 201, created.text
    return username, password


def password_grant(server, username, password):
    response = requests.post(server.token_url, data={"grant_type": "password", "client_id": "admin-cli", "username": username,
                                                     "password": password, "scope": "openid"})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_refresh_token_works_once_however_many_use_it_at_once(own_server):
    server = own_server
    username, password = make_user(server, admin_token(own_server))
    for _ in range(ROUNDS):
        refresh = password_grant(server, username, password)["refresh_token"]
        responses = at_once(CALLERS, lambda: requests.post(
            server.token_url, data={"grant_type": "refresh_token", "client_id": "admin-cli", "refresh_token": refresh}))
        assert statuses(responses).count(200) == 1, statuses(responses)
        assert all(r.json()["error"] == "invalid_grant" for r in responses if r.status_code != 200)


def authorization_code(server, username, password, client_id, redirect):
    """The login page's form, posted like a browser, until the redirect with a code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    fields = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect, "scope": "openid", "state": "s",
              "code_challenge": challenge, "code_challenge_method": "S256", "username": username, "password": password}
    response = requests.post(f"{server.base_url}/realms/{server.realm}/protocol/openid-connect/auth", data=fields, allow_redirects=False)
    assert response.status_code == 302, response.text
    return parse_qs(urlparse(response.headers["Location"]).query)["code"][0], verifier


def test_an_authorization_code_is_redeemed_once_and_a_second_redemption_revokes_the_first(own_server):
    server = own_server
    admin = admin_token(own_server)
    client_id, redirect = "concurrency-" + uuid.uuid4().hex[:8], "http://127.0.0.1:9/callback"
    created = requests.post(f"{server.base_url}/admin/realms/{server.realm}/clients", headers={"Authorization": f"Bearer {admin}"},
                            json={"clientId": client_id, "publicClient": True, "redirectUris": [redirect]})
    assert created.status_code == 201
    username, password = make_user(server, admin)
    for _ in range(ROUNDS):
        code, verifier = authorization_code(server, username, password, client_id, redirect)
        form = {"grant_type": "authorization_code", "client_id": client_id, "code": code, "redirect_uri": redirect, "code_verifier": verifier}
        responses = at_once(CALLERS, lambda: requests.post(server.token_url, data=form))
        winners = [r for r in responses if r.status_code == 200]
        assert len(winners) == 1, statuses(responses)
        assert all(r.json()["error"] == "invalid_grant" for r in responses if r.status_code != 200)
        # RFC 6749 §4.1.2: what the first redemption issued is revoked once the code is presented again.
        tokens = winners[0].json()
        me = requests.get(f"{server.base_url}/api/user/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert me.status_code == 401
        refreshed = requests.post(server.token_url, data={"grant_type": "refresh_token", "client_id": client_id,
                                                          "refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 400


def test_a_code_used_once_keeps_working_for_its_tokens(own_server):
    server = own_server
    """The revocation above is the replay's doing: a code redeemed once leaves its tokens alone."""
    admin = admin_token(own_server)
    client_id, redirect = "single-" + uuid.uuid4().hex[:8], "http://127.0.0.1:9/callback"
    requests.post(f"{server.base_url}/admin/realms/{server.realm}/clients", headers={"Authorization": f"Bearer {admin}"},
                  json={"clientId": client_id, "publicClient": True, "redirectUris": [redirect]})
    username, password = make_user(server, admin)
    code, verifier = authorization_code(server, username, password, client_id, redirect)
    tokens = requests.post(server.token_url, data={"grant_type": "authorization_code", "client_id": client_id, "code": code,
                                                   "redirect_uri": redirect, "code_verifier": verifier}).json()
    me = requests.get(f"{server.base_url}/api/user/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200


def exactly_one_created(responses, created=(200, 201)):
    codes = statuses(responses)
    assert sum(code in created for code in codes) == 1, codes
    assert all(code == 409 for code in codes if code not in created), codes


def test_every_unique_name_is_taken_once(own_server, seen_secrets):
    server = own_server
    admin = admin_token(own_server)
    headers = {"Authorization": f"Bearer {admin}"}
    service = requests.post(server.token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                    "client_secret": server.client_secret}).json()["access_token"]
    service_headers = {"Authorization": f"Bearer {service}"}
    for _ in range(ROUNDS):
        name = "n" + uuid.uuid4().hex[:10]
        base = f"{server.base_url}/admin/realms/{server.realm}"
        exactly_one_created(at_once(CALLERS, lambda: requests.post(f"{base}/clients", headers=headers, json={"clientId": name})))
        exactly_one_created(at_once(CALLERS, lambda: requests.post(
            f"{base}/users", headers=headers, json={"username": name, "credentials": [{"value": "pw-" + name}]})))
        exactly_one_created(at_once(CALLERS, lambda: requests.post(f"{base}/roles", headers=headers, json={"name": name})))
        exactly_one_created(at_once(CALLERS, lambda: requests.post(
            f"{server.base_url}/api/dataproduct", headers=service_headers,
            json={"name": name, "role_name": "nx1_ask", "query": "SELECT order_id FROM orders"})))
        exactly_one_created(at_once(CALLERS, lambda: requests.post(
            f"{server.base_url}/api/metastore/domains", headers=headers_of_admin_user(server, admin),
            json={"name": name, "description": "d", "tables": ["orders"]})))


_admins = {}


def headers_of_admin_user(server, admin):
    """A realm user holding nx1_admin (domains are the realm's; the master administrator is another realm's)."""
    if server.realm not in _admins:
        username, password = make_user(server, admin, roles=["nx1_admin"])
        _admins[server.realm] = {"Authorization": f"Bearer {password_grant(server, username, password)['access_token']}"}
    return _admins[server.realm]


def test_a_user_has_one_personal_psk_however_many_are_asked_for_at_once(own_server, seen_secrets):
    server = own_server
    admin = admin_token(own_server)
    for _ in range(ROUNDS):
        username, password = make_user(server, admin)
        bearer = {"Authorization": f"Bearer {password_grant(server, username, password)['access_token']}"}
        responses = at_once(CALLERS, lambda: requests.post(f"{server.base_url}/api/user/psk", headers=bearer, json={}))
        exactly_one_created(responses)
        key = next(r.json()["psk"] for r in responses if r.status_code == 200)
        seen_secrets.append(key)
        # Simultaneous regenerates: each one replaces the secret before it, and exactly one secret is live afterwards.
        regenerated = at_once(10, lambda: requests.post(f"{server.base_url}/api/user/psk/regenerate", headers=bearer, json={}))
        assert statuses(regenerated) == [200] * 10
        new_keys = [r.json()["psk"] for r in regenerated]
        seen_secrets.extend(new_keys)
        live = [k for k in new_keys + [key] if requests.get(f"{server.base_url}/api/user/me", headers={"Authorization-PSK": k}).status_code == 200]
        assert len(live) == 1, f"{len(live)} secrets are live after simultaneous regenerates"


def test_an_embed_link_opens_once(own_server):
    server = own_server
    token = requests.post(server.token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                  "client_secret": server.client_secret}).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    query = requests.post(f"{server.base_url}/api/query/submit", headers=bearer, json={"query": "SELECT COUNT(*) AS n FROM orders"}).json()
    for _ in range(ROUNDS):
        link = requests.post(f"{server.base_url}/api/query/embed/token", headers=bearer, json={"query_id": query["id"]}).json()["embed_url"]
        path = urlparse(link)._replace(scheme="", netloc="").geturl()
        responses = at_once(CALLERS, lambda: requests.get(server.base_url + path))
        assert statuses(responses).count(200) == 1, statuses(responses)
        assert all(r.status_code == 403 for r in responses if r.status_code != 200)
