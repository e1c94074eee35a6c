"""`nexusone realm import|export` with files made as Keycloak makes them: passwords hashed with PBKDF2 (hashlib) and
Argon2 (argon2-cffi) in Keycloak's `secretData`/`credentialData`, then signed in with python-keycloak and authlib
against the running server. Runs on SQLite and on PostgreSQL (the session server's storage)."""
import base64
import hashlib
import json
import os
import stat
import subprocess
import tempfile
import uuid

import pytest
import requests
from argon2 import PasswordHasher, Type
from authlib.integrations.requests_client import OAuth2Session
from keycloak import KeycloakOpenID
from keycloak.exceptions import KeycloakAuthenticationError

from conftest import BIN


def b64(data):
    return base64.b64encode(data).decode()


def pbkdf2_credential(password, algorithm, iterations, length):
    salt = os.urandom(16)
    digest = {"pbkdf2": "sha1", "pbkdf2-sha256": "sha256", "pbkdf2-sha512": "sha512"}[algorithm]
    key = hashlib.pbkdf2_hmac(digest, password.encode(), salt, iterations, length)
    return {"id": str(uuid.uuid4()), "type": "password", "createdDate": 1700000000000,
            "secretData": json.dumps({"value": b64(key), "salt": b64(salt), "additionalParameters": {}}),
            "credentialData": json.dumps({"hashIterations": iterations, "algorithm": algorithm, "additionalParameters": {}})}


def argon2_credential(password):
    """Keycloak 24+'s default: Argon2id, 5 iterations, 7 MiB, one lane, 32-byte hash."""
    encoded = PasswordHasher(time_cost=5, memory_cost=7168, parallelism=1, hash_len=32, salt_len=16, type=Type.ID).hash(password)
    _, _, version, settings, salt, key = encoded.split("$")
    unpad = lambda text: base64.b64decode(text + "=" * (-len(text) % 4))
    return {"type": "password",
            "secretData": json.dumps({"value": b64(unpad(key)), "salt": b64(unpad(salt)), "additionalParameters": {}}),
            "credentialData": json.dumps({"hashIterations": 5, "algorithm": "argon2", "additionalParameters": {
                "hashLength": ["32"], "memory": ["7168"], "type": ["id"], "version": ["1.3"], "parallelism": ["1"]}})}


PASSWORDS = {"sha1user": "Sha1-pass!", "sha256user": "Sha256 pass ünïcode", "sha512user": "sha512-pass", "argonuser": "argon-pass"}
CLIENT_SECRET = "kc-secret-" + uuid.uuid4().hex


def keycloak_export(realm):
    credentials = {
        "sha1user": pbkdf2_credential(PASSWORDS["sha1user"], "pbkdf2", 20000, 32),
        "sha256user": pbkdf2_credential(PASSWORDS["sha256user"], "pbkdf2-sha256", 27500, 64),
        "sha512user": pbkdf2_credential(PASSWORDS["sha512user"], "pbkdf2-sha512", 210000, 64),
        "argonuser": argon2_credential(PASSWORDS["argonuser"]),
    }
    users = [{"id": str(uuid.uuid4()), "username": name, "enabled": True, "email": f"{name}@example.com", "firstName": name,
              "createdTimestamp": 1700000000000, "attributes": {"department": ["finance"]},
              "credentials": [credentials[name]], "realmRoles": [f"default-roles-{realm}", "nx1_ask"],
              "clientRoles": {"reports": ["viewer"]}} for name in PASSWORDS]
    users.append({"username": "service-account-reports", "serviceAccountClientId": "reports", "realmRoles": ["nx1_ask"]})
    return {
        "id": realm, "realm": realm, "enabled": True, "accessTokenLifespan": 600, "ssoSessionIdleTimeout": 1800,
        "roles": {"realm": [{"name": "nx1_ask", "description": "Ask"}, {"name": f"default-roles-{realm}", "composite": True,
                                                                         "composites": {"realm": ["offline_access", "uma_authorization"]}}],
                  "client": {"reports": [{"name": "viewer", "description": "Reads reports"}]}},
        "defaultRole": {"name": f"default-roles-{realm}", "composite": True},
        "clients": [
            {"clientId": "reports", "enabled": True, "publicClient": False, "secret": CLIENT_SECRET, "serviceAccountsEnabled": True,
             "standardFlowEnabled": True, "directAccessGrantsEnabled": True, "redirectUris": ["http://localhost:3000/*"],
             "protocol": "openid-connect", "clientAuthenticatorType": "client-secret"},
            {"clientId": "security-admin-console", "publicClient": True},
        ],
        "users": users,
        "groups": [],
    }


def nexusone(server, *args, check=True):
    storage = ["--data-dir", server.directory] + (["--database-url", server.database_url] if server.database_url else [])
    return subprocess.run([BIN, *args, *storage, "--log-level", "error"], check=check, capture_output=True, text=True)


def write(document):
    path = tempfile.mktemp(suffix="-realm.json")
    with open(path, "w") as file:
        json.dump(document, file)
    return path


@pytest.fixture(scope="module")
def imported(server, seen_secrets):
    realm = "kcimport" + uuid.uuid4().hex[:6]
    seen_secrets.extend([CLIENT_SECRET, *PASSWORDS.values()])
    path = write(keycloak_export(realm))
    dry = json.loads(nexusone(server, "realm", "import", path, "--dry-run", "--output", "json").stdout)
    assert dry["dryRun"] and dry["realmCreated"] and dry["users"]["created"] == 4
    assert requests.get(f"{server.base_url}/realms/{realm}/.well-known/openid-configuration").status_code == 404, "a dry run changes nothing"
    report = json.loads(nexusone(server, "realm", "import", path, "--output", "json").stdout)
    return realm, path, report


def test_import_reports_what_it_did(imported):
    _, _, report = imported
    assert report["realmCreated"] and not report["dryRun"]
    assert report["users"] == {"created": 4, "updated": 1, "unchanged": 0}  # the service account gets its roles
    assert report["clients"]["created"] == 1 and report["passwordsImported"] == 4
    assert report["passwordResetsRequired"] == [] and report["generatedSecrets"] == []
    assert any("security-admin-console" in note for note in report["notes"])


def test_imported_users_sign_in_with_their_keycloak_passwords(server, imported, seen_secrets):
    realm, _, _ = imported
    oidc = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="reports", client_secret_key=CLIENT_SECRET)
    for username, password in PASSWORDS.items():
        token = oidc.token(username, password)
        seen_secrets.extend([token["access_token"], token["refresh_token"]])
        claims = oidc.decode_token(token["access_token"])
        assert claims["preferred_username"] == username
        assert "nx1_ask" in claims["realm_access"]["roles"] and claims["resource_access"]["reports"]["roles"] == ["viewer"]
        # The second sign-in uses the bcrypt hash the first one stored.
        assert oidc.token(username, password)["access_token"]
        with pytest.raises(KeycloakAuthenticationError):
            oidc.token(username, password + "x")
        me = requests.get(f"{server.base_url}/api/user/me", headers={"Authorization": f"Bearer {token['access_token']}"})
        assert me.status_code == 200 and me.json()["username"] == username


def test_imported_client_keeps_its_secret_and_service_account(server, imported, seen_secrets):
    realm, _, _ = imported
    session = OAuth2Session("reports", CLIENT_SECRET)
    token = session.fetch_token(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token", grant_type="client_credentials")
    seen_secrets.append(token["access_token"])
    me = requests.get(f"{server.base_url}/api/user/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "service-account-reports"


def test_reimport_changes_nothing(server, imported):
    _, path, _ = imported
    again = json.loads(nexusone(server, "realm", "import", path, "--output", "json").stdout)
    assert not again["realmCreated"] and not again["realmUpdated"]
    assert again["users"]["created"] == again["users"]["updated"] == 0
    assert again["clients"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert again["roles"]["created"] == again["roles"]["updated"] == 0 and again["compositesAdded"] == 0


def test_export_round_trips_into_a_new_realm(server, imported, seen_secrets):
    realm, _, _ = imported
    output = tempfile.mktemp(suffix="-export.json")
    nexusone(server, "realm", "export", "--realm", realm, "--output", output)
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    masked = json.load(open(output))
    assert next(c for c in masked["clients"] if c["clientId"] == "reports")["secret"] == "**********"
    assert CLIENT_SECRET not in open(output).read()

    nexusone(server, "realm", "export", "--realm", realm, "--output", output, "--include-secrets")
    document = json.load(open(output))
    assert next(c for c in document["clients"] if c["clientId"] == "reports")["secret"] == CLIENT_SECRET
    user = next(u for u in document["users"] if u["username"] == "sha256user")
    assert user["attributes"] == {"department": ["finance"]} and "nx1_ask" in user["realmRoles"]
    assert user["clientRoles"] == {"reports": ["viewer"]}
    assert json.loads(user["credentials"][0]["credentialData"])["algorithm"] == "bcrypt"  # rehashed at sign-in

    copy = realm + "copy"
    document["realm"] = document["id"] = copy
    document["roles"]["realm"] = [dict(role, name=role["name"].replace(realm, copy)) for role in document["roles"]["realm"]]
    for entry in document["users"]:
        entry["realmRoles"] = [name.replace(realm, copy) for name in entry.get("realmRoles", [])]
    report = json.loads(nexusone(server, "realm", "import", write(document), "--output", "json").stdout)
    assert report["realmCreated"] and report["passwordsImported"] == 4 and report["generatedSecrets"] == []
    oidc = KeycloakOpenID(server_url=server.base_url + "/", realm_name=copy, client_id="reports", client_secret_key=CLIENT_SECRET)
    for username, password in PASSWORDS.items():
        token = oidc.token(username, password)
        seen_secrets.extend([token["access_token"], token["refresh_token"]])
        assert "nx1_ask" in oidc.decode_token(token["access_token"])["realm_access"]["roles"]


def test_a_file_that_is_not_an_export_is_refused_clearly(server):
    path = write({"users": []})
    failed = nexusone(server, "realm", "import", path, check=False)
    assert failed.returncode != 0 and "is not a Keycloak realm export: missing realm" in failed.stderr
    bad = write({"realm": "Bad Realm!"})
    failed = nexusone(server, "realm", "import", bad, check=False)
    assert failed.returncode != 0 and "Invalid realm name" in failed.stderr
