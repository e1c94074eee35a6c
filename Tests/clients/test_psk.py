"""Pre-shared keys with curl, across two server processes, and the served OpenAPI document."""
import base64
import json
import os
import subprocess
import tempfile
import time
import uuid

import pytest
import requests
from openapi_spec_validator import validate

from conftest import ADMIN_PASSWORD, Server, psql


def curl_json(*args):
    return json.loads(subprocess.run(["curl", "-s", *args], check=True, capture_output=True, text=True).stdout)


def test_deployment_psk_works_with_curl(server):
    assert server.psk.startswith("nx1s_")
    me = curl_json(f"{server.base_url}/api/user/me", "-H", f"Authorization-PSK: {server.psk}")
    assert me["auth"] == "psk"
    assert me["username"] == f"service-account-{server.client_id.lower()}"


def test_personal_psk_with_curl(server, seen_secrets):
    admin = requests.post(f"{server.base_url}/realms/master/protocol/openid-connect/token",
                          data={"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": ADMIN_PASSWORD}).json()
    token = admin["access_token"]
    seen_secrets.append(token)
    created = curl_json("-X", "POST", f"{server.base_url}/api/user/psk", "-H", f"Authorization: Bearer {token}",
                        "-H", "Content-Type: application/json", "-d", '{"description":"ci"}')
    key = created["psk"]
    seen_secrets.append(key)
    assert curl_json(f"{server.base_url}/api/user/me", "-H", f"Authorization-PSK: {key}")["username"] == "admin"
    regenerated = curl_json("-X", "POST", f"{server.base_url}/api/user/psk/regenerate", "-H", f"Authorization: Bearer {token}")
    seen_secrets.append(regenerated["psk"])
    assert curl_json(f"{server.base_url}/api/user/me", "-H", f"Authorization-PSK: {key}") == {"detail": "Invalid PSK"}
    deleted = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", f"{server.base_url}/api/user/psk",
                              "-H", f"Authorization: Bearer {token}"], check=True, capture_output=True, text=True).stdout
    assert deleted == "204"


def test_served_openapi_document_validates(server):
    document = requests.get(f"{server.base_url}/openapi.json").json()
    validate(document)
    assert set(document["components"]["securitySchemes"]) == {"OAuth2AuthorizationCodeBearer", "APIKeyHeader"}


@pytest.mark.postgres
def test_revocation_on_one_node_holds_on_the_other_within_a_second(server, seen_secrets):
    base = os.environ["TEST_POSTGRES_URL"]
    name = "nx1_nodes_" + uuid.uuid4().hex[:10]
    psql(base, f"CREATE DATABASE {name}")
    url = base.rsplit("/", 1)[0] + "/" + name
    key_env = {"NEXUSONE_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
    node_a = Server(tempfile.mkdtemp(prefix="nexusone-node-a-"), url, extra_env=key_env)
    node_b = Server(tempfile.mkdtemp(prefix="nexusone-node-b-"), url, extra_args=["--no-demo"], extra_env=key_env)
    try:
        token = requests.post(f"{node_a.base_url}/realms/master/protocol/openid-connect/token",
                              data={"grant_type": "password", "client_id": "admin-cli", "username": "admin",
                                    "password": ADMIN_PASSWORD}).json()["access_token"]
        key = requests.post(f"{node_a.base_url}/api/user/psk", headers={"Authorization": f"Bearer {token}"}, json={}).json()["psk"]
        seen_secrets.append(key)
        header = {"Authorization-PSK": key}
        assert requests.get(f"{node_b.base_url}/api/user/me", headers=header).status_code == 200  # cached on B now
        assert requests.get(f"{node_b.base_url}/api/user/me", headers=header).status_code == 200
        assert requests.delete(f"{node_a.base_url}/api/user/psk", headers={"Authorization": f"Bearer {token}"}).status_code == 204
        deadline = time.time() + 1.0
        status = 200
        while time.time() < deadline and status == 200:
            status = requests.get(f"{node_b.base_url}/api/user/me", headers=header).status_code
        assert status == 401, "node B still accepted the key a second after node A deleted it"
    finally:
        node_a.stop()
        node_b.stop()
        psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
