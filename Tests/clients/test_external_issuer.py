"""Bring your own Keycloak: a second `nexusone` server plays the customer's Keycloak (it speaks the same OpenID and
admin REST), and the server under test accepts that realm's tokens only from it (`--external-issuer`). On SQLite and
on PostgreSQL."""
import base64
import json
import os
import subprocess
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from keycloak import KeycloakAdmin, KeycloakOpenID

from conftest import ADMIN_PASSWORD, BIN, Deployment


@pytest.fixture(scope="module")
def keycloak():
    """The external issuer: its first deployment's realm `nexusone` is the federated realm."""
    deployment = Deployment(prefix="nexusone-issuer-")
    yield deployment.server
    deployment.close()


@pytest.fixture(scope="module")
def federated(keycloak):
    issuer = f"{keycloak.base_url}/realms/{keycloak.realm}"
    deployment = Deployment(prefix="nexusone-federated-", extra_args=["--external-issuer", issuer])
    deployment.server.started_at = time.time()
    yield deployment.server
    deployment.close()


def service_token(keycloak):
    response = requests.post(keycloak.token_url, data={"grant_type": "client_credentials", "client_id": keycloak.client_id,
                                                       "client_secret": keycloak.client_secret})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def me(server, token=None, psk=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {"Authorization-PSK": psk}
    return requests.get(f"{server.base_url}/api/user/me", headers=headers)


def kid(token):
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def test_the_issuers_tokens_work_and_its_users_get_personal_psks(keycloak, federated, seen_secrets):
    token = service_token(keycloak)
    seen_secrets.append(token)
    answer = me(federated, token)
    assert answer.status_code == 200, answer.text
    assert answer.json()["realm"] == keycloak.realm and "nx1_ask" in answer.json()["roles"]

    # A person at the issuer, made through its admin REST with python-keycloak, signs in there and uses our API.
    admin = KeycloakAdmin(server_url=keycloak.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name=keycloak.realm,
                          user_realm_name="master")
    user_id = admin.create_user({"username": "erin", "email": "erin@example.com", "firstName": "Erin", "enabled": True,
                                 "credentials": [{"type": "password", "value": "erin-Pa55", "temporary": False}]})
    admin.assign_realm_roles(user_id, [admin.get_realm_role("nx1_engineer")])
    seen_secrets.append("erin-Pa55")
    oidc = KeycloakOpenID(server_url=keycloak.base_url + "/", realm_name=keycloak.realm, client_id="admin-cli")
    erin = oidc.token("erin", "erin-Pa55")["access_token"]
    seen_secrets.append(erin)
    answer = me(federated, erin)
    assert answer.status_code == 200, answer.text
    assert answer.json()["sub"] == user_id and answer.json()["username"] == "erin" and "nx1_engineer" in answer.json()["roles"]
    # The admin REST reads bearer tokens as the API does: the issuer's token is erin's (403: not an administrator),
    # not an unknown credential (401), and an issuer's nx1_admin administers the federated realm.
    users = f"{federated.base_url}/admin/realms/{keycloak.realm}/users"
    assert requests.get(users, headers={"Authorization": f"Bearer {erin}"}).status_code == 403
    assert requests.get(users, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    fay_id = admin.create_user({"username": "fay", "enabled": True, "credentials": [{"type": "password", "value": "fay-Pa55word", "temporary": False}]})
    admin.assign_realm_roles(fay_id, [admin.get_realm_role("nx1_admin")])
    seen_secrets.append("fay-Pa55word")
    fay = oidc.token("fay", "fay-Pa55word")["access_token"]
    seen_secrets.append(fay)
    listed = requests.get(users, headers={"Authorization": f"Bearer {fay}"})
    assert listed.status_code == 200, listed.text
    assert "erin" in {user["username"] for user in listed.json()}

    created = requests.post(f"{federated.base_url}/api/user/psk", headers={"Authorization": f"Bearer {erin}"}, json={"description": "laptop"})
    assert created.status_code == 200, created.text
    psk = created.json()["psk"]
    seen_secrets.append(psk)
    answer = me(federated, psk=psk)
    assert answer.status_code == 200 and answer.json()["username"] == "erin" and "nx1_engineer" in answer.json()["roles"]


def test_tokens_from_anywhere_else_are_refused(keycloak, federated):
    # The issuer's master realm is another issuer; the federated realm's own token endpoint says where to go.
    master = requests.post(f"{keycloak.base_url}/realms/master/protocol/openid-connect/token",
                           data={"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": ADMIN_PASSWORD})
    assert me(federated, master.json()["access_token"]).status_code == 401
    local = requests.post(f"{federated.base_url}/realms/{keycloak.realm}/protocol/openid-connect/token",
                          data={"grant_type": "client_credentials", "client_id": keycloak.client_id, "client_secret": keycloak.client_secret})
    assert local.status_code == 400 and keycloak.base_url in local.json()["error_description"]
    # A token whose payload was changed after signing.
    header, payload, signature = service_token(keycloak).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["realm_access"]["roles"].append("nx1_admin")
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert me(federated, f"{header}.{forged}.{signature}").status_code == 401


def test_key_rotation_and_an_outage_at_the_issuer(keycloak, federated):
    before = service_token(keycloak)
    assert me(federated, before).status_code == 200
    # The issuer rotates its key; its next token names a kid we have not seen, and we fetch the keys again (at most
    # every 10 s, so wait until the fetch at start is that old).
    storage = ["--data-dir", keycloak.directory] + (["--database-url", keycloak.database_url] if keycloak.database_url else [])
    subprocess.run([BIN, "keys", "rotate", "--realm", keycloak.realm, *storage, "--log-level", "error"], check=True, capture_output=True)
    keycloak.restart()
    rotated = service_token(keycloak)
    assert kid(rotated) != kid(before)
    time.sleep(max(0, 11 - (time.time() - federated.started_at)))
    assert me(federated, rotated).status_code == 200
    assert me(federated, before).status_code == 200, "the old key still verifies the tokens it signed"

    # The issuer goes away: tokens it signed with the keys we hold keep working, and readiness says what is wrong.
    unseen = service_token(keycloak)
    keycloak.stop()
    try:
        time.sleep(11)  # past the refetch interval, so the forged kid below makes us try the issuer (and fail)
        header = base64.urlsafe_b64encode(json.dumps({"alg": "RS256", "kid": "unknown-kid", "typ": "JWT"}).encode()).decode().rstrip("=")
        assert me(federated, header + "." + unseen.split(".", 1)[1]).status_code == 401
        assert me(federated, unseen).status_code == 200
        ready = requests.get(f"{federated.base_url}/health/ready")
        assert ready.status_code == 200
        status = ready.json()["external_issuers"][0]
        assert status["realm"] == keycloak.realm and status["keys"] >= 2 and status["reachable"] is False
        assert "external issuer unreachable" in open(federated.log_path).read()
    finally:
        keycloak.restart()


def test_deploy_into_the_issuer_leaves_a_client_whose_tokens_and_psk_work(keycloak, federated, seen_secrets):
    storage = ["--data-dir", federated.directory] + (["--database-url", federated.database_url] if federated.database_url else [])
    command = [BIN, "deploy", "--client-name", "corp", "--keycloak-url", keycloak.base_url, "--keycloak-admin-user", "admin",
               "--public-url", federated.base_url, "--output", "json", *storage, "--log-level", "error"]
    env = {**os.environ, "NEXUSONE_KEYCLOAK_ADMIN_PASSWORD": ADMIN_PASSWORD}
    first = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout)
    seen_secrets.extend([first["clientSecret"], first["psk"], first["adminPassword"]])
    assert first["createdRealm"] and first["clientId"] == "corp-nexusone"
    assert first["externalIssuer"] == f"{keycloak.base_url}/realms/corp"
    assert first["token_url"] == f"{keycloak.base_url}/realms/corp/protocol/openid-connect/token"
    again = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout)
    assert not again["createdRealm"] and "clientSecret" not in again and "psk" not in again and "adminPassword" not in again

    # What it made at the issuer, as Keycloak's admin REST shows it.
    admin = KeycloakAdmin(server_url=keycloak.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="corp",
                          user_realm_name="master")
    portal = admin.get_clients()
    assert {"corp-nexusone", "nexusone-portal"} <= {client["clientId"] for client in portal}
    portal_client = next(client for client in portal if client["clientId"] == "nexusone-portal")
    assert portal_client["publicClient"] and portal_client["redirectUris"] == [f"{federated.base_url}/portal/corp/callback"]
    realm_admin = admin.get_users({"username": "admin", "exact": "true"})[0]
    assert "nx1_admin" in {role["name"] for role in admin.get_realm_roles_of_user(realm_admin["id"])}

    federated._args += ["--external-issuer", first["externalIssuer"]]
    federated.restart()
    token = requests.post(first["token_url"], data={"grant_type": "client_credentials", "client_id": first["clientId"],
                                                    "client_secret": first["clientSecret"]}).json()["access_token"]
    seen_secrets.append(token)
    by_token = me(federated, token)
    assert by_token.status_code == 200, by_token.text
    by_psk = me(federated, psk=first["psk"])
    assert by_psk.status_code == 200 and by_psk.json()["sub"] == by_token.json()["sub"], "the PSK and the tokens are one principal"
    assert "nx1_ask" in by_psk.json()["roles"]

    wrong = subprocess.run([*command[:-2], "--keycloak-admin-password", "wrong", "--log-level", "error"], capture_output=True, text=True)
    assert wrong.returncode != 0 and "sign-in" in wrong.stderr and "wrong" not in wrong.stderr


def test_the_portal_signs_in_through_the_issuer(keycloak, federated):
    """The portal's authorization-code flow with PKCE, at the issuer's login page, as a browser follows it."""
    admin = KeycloakAdmin(server_url=keycloak.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name=keycloak.realm,
                          user_realm_name="master")
    callback = f"{federated.base_url}/portal/{keycloak.realm}/callback"
    if not admin.get_client_id("nexusone-portal"):
        admin.create_client({"clientId": "nexusone-portal", "publicClient": True, "standardFlowEnabled": True,
                             "directAccessGrantsEnabled": False, "redirectUris": [callback]})
    browser = requests.Session()
    start = browser.get(f"{federated.base_url}/portal/{keycloak.realm}/login", allow_redirects=False)
    assert start.status_code == 302
    location = urlparse(start.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{keycloak.base_url}/realms/{keycloak.realm}/protocol/openid-connect/auth"
    fields = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert fields["code_challenge_method"] == "S256" and fields["redirect_uri"] == callback
    # The issuer's login page, submitted.
    login = browser.post(start.headers["Location"].split("?")[0], data={**fields, "username": "erin", "password": "erin-Pa55"}, allow_redirects=False)
    assert login.status_code == 302 and login.headers["Location"].startswith(callback), login.text
    back = browser.get(login.headers["Location"], allow_redirects=False)
    assert back.status_code == 302 and back.headers["Location"] == f"/portal/{keycloak.realm}/"
    home = browser.get(f"{federated.base_url}/portal/{keycloak.realm}/")
    assert home.status_code == 200 and "Erin" in home.text
    # The callback link in another browser (without the sealed sign-in cookie) starts over; it never signs in.
    replay = requests.get(login.headers["Location"], allow_redirects=False)
    assert replay.status_code == 302 and "/protocol/openid-connect/auth" in replay.headers["Location"]
