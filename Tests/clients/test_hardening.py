"""The security review's findings, tried against real server processes as an attacker would."""
import base64
import json
import os
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

from conftest import ADMIN_PASSWORD, BIN, ROOT, Deployment, Server, free_port, psql


def token_status(server, address, secret):
    """POSTs a client-credentials request from a given loopback address (curl --interface) and returns the status."""
    return subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--interface", address, "-X", "POST", server.token_url,
         "-d", "grant_type=client_credentials", "-d", f"client_id={server.client_id}", "-d", f"client_secret={secret}"],
        check=True, capture_output=True, text=True).stdout


def test_a_stranger_cannot_lock_the_client_out_while_guessing_stays_slow(seen_secrets):
    deployment = Deployment(prefix="nexusone-throttle-api-", extra_env={"NEXUSONE_AUTH_FAILURE_LIMIT": "3"})
    server = deployment.server
    try:
        seen_secrets.append(server.client_secret)
        assert token_status(server, "127.0.0.1", server.client_secret) == "200"  # the owner's usual address
        statuses = [token_status(server, "127.0.0.2", "wrong-secret") for _ in range(5)]
        assert statuses[:3] == ["401"] * 3 and statuses[3:] == ["429", "429"]
        assert token_status(server, "127.0.0.1", server.client_secret) == "200"
        # Many addresses guessing: the client is under guard; new addresses wait, its known address does not.
        for index in range(20):
            token_status(server, f"127.0.1.{index + 1}", "wrong-secret")
        assert token_status(server, "127.0.2.1", server.client_secret) == "429"
        assert token_status(server, "127.0.0.1", server.client_secret) == "200"
    finally:
        deployment.close()


def test_debug_logging_prints_no_configuration_secret():
    directory = tempfile.mkdtemp(prefix="nexusone-debug-log-")
    key = base64.b64encode(os.urandom(32)).decode()
    server = Server(directory, None, extra_env={"NEXUSONE_ENCRYPTION_KEY": key})
    try:
        assert requests.get(server.base_url + "/health/ready").status_code == 200
    finally:
        server.stop()
    with open(server.log_path, "rb") as handle:
        logs = handle.read()
    assert b" debug " in logs or b'"debug"' in logs, "the server ran at debug level"
    for secret in (key, ADMIN_PASSWORD, server.client_secret, server.psk):
        assert secret.encode() not in logs


@pytest.mark.postgres
def test_a_disabled_users_tokens_fail_on_the_other_node_within_a_second():
    base = os.environ["TEST_POSTGRES_URL"]
    name = "nx1_cutoff_" + uuid.uuid4().hex[:10]
    psql(base, f"CREATE DATABASE {name}")
    url = base.rsplit("/", 1)[0] + "/" + name
    key_env = {"NEXUSONE_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
    # Behind one load balancer both nodes have one public URL, so a token of one is the other's too.
    public = ["--public-url", "https://nexusone.example"]
    node_a = Server(tempfile.mkdtemp(prefix="nexusone-node-a-"), url, extra_args=public, extra_env=key_env)
    node_b = Server(tempfile.mkdtemp(prefix="nexusone-node-b-"), url, extra_args=public + ["--no-demo"], extra_env=key_env)
    try:
        admin = requests.post(f"{node_a.base_url}/realms/master/protocol/openid-connect/token",
                              data={"grant_type": "password", "client_id": "admin-cli", "username": "admin",
                                    "password": ADMIN_PASSWORD}).json()["access_token"]
        admin_headers = {"Authorization": f"Bearer {admin}"}
        realm = node_a.realm
        created = requests.post(f"{node_a.base_url}/admin/realms/{realm}/users", headers=admin_headers,
                                json={"username": "carol", "enabled": True, "credentials": [{"value": "carol-password-1"}]})
        user_id = created.headers["Location"].rsplit("/", 1)[1]
        token = requests.post(node_a.token_url, data={"grant_type": "password", "client_id": "admin-cli", "username": "carol",
                                                      "password": "carol-password-1"}).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert requests.get(f"{node_b.base_url}/api/user/me", headers=bearer).status_code == 200  # verified and cached on B
        assert requests.put(f"{node_a.base_url}/admin/realms/{realm}/users/{user_id}", headers=admin_headers,
                            json={"enabled": False}).status_code == 204
        deadline = time.time() + 1.0
        status = 200
        while time.time() < deadline and status == 200:
            status = requests.get(f"{node_b.base_url}/api/user/me", headers=bearer).status_code
        assert status == 401, "node B still accepted the disabled user's token a second later"
    finally:
        node_a.stop()
        node_b.stop()
        psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_readiness_answers_503_within_a_second_when_postgresql_stops():
    directory = tempfile.mkdtemp(prefix="nexusone-pg-outage-")
    cluster = tempfile.mkdtemp(prefix="nexusone-pg-outage-cluster-")  # owned by the postgres user once started
    port = free_port()
    script = os.path.join(ROOT, "scripts", "postgres.sh")
    url = subprocess.run([script, "start", cluster, str(port)], check=True, capture_output=True, text=True).stdout.strip()
    server = Server(directory, url)
    try:
        assert requests.get(server.base_url + "/health/ready", timeout=2).status_code == 200
        subprocess.run([script, "stop", cluster], check=True, capture_output=True)
        for _ in range(3):
            started = time.time()
            response = requests.get(server.base_url + "/health/ready", timeout=5)
            assert response.status_code == 503
            assert time.time() - started < 1.0
        assert requests.get(server.base_url + "/health/live", timeout=2).status_code == 200
        subprocess.run([script, "start", cluster, str(port)], check=True, capture_output=True)
        deadline = time.time() + 10
        while time.time() < deadline and requests.get(server.base_url + "/health/ready", timeout=2).status_code != 200:
            time.sleep(0.2)
        assert requests.get(server.base_url + "/health/ready", timeout=2).status_code == 200, "service resumes by itself"
    finally:
        server.stop()
        subprocess.run([script, "stop", cluster], capture_output=True)


@pytest.mark.postgres
def test_warehouse_check_reports_a_writer_and_passes_a_read_only_role():
    base = os.environ["TEST_POSTGRES_URL"]
    name = "nx1_check_" + uuid.uuid4().hex[:10]
    role = "nx1_reader_" + uuid.uuid4().hex[:8]
    psql(base, f"CREATE DATABASE {name}")
    warehouse = base.rsplit("/", 1)[0] + "/" + name
    data = tempfile.mkdtemp(prefix="nexusone-check-")
    try:
        subprocess.run([BIN, "warehouse", "load-demo", "--data-dir", data, "--warehouse-url", warehouse], check=True, capture_output=True)
        writer = subprocess.run([BIN, "warehouse", "check", "--data-dir", data, "--warehouse-url", warehouse, "--output", "json"],
                                capture_output=True, text=True)
        assert writer.returncode == 1
        report = json.loads(writer.stdout)
        assert report["ok"] is False
        assert any("can write to public.orders" in finding["message"] for finding in report["findings"])
        for statement in (f"CREATE ROLE {role} LOGIN", f"GRANT CONNECT ON DATABASE {name} TO {role}",
                          f"GRANT USAGE ON SCHEMA public TO {role}", f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"):
            psql(warehouse, statement)
        reader_url = warehouse.replace("postgres@", f"{role}@", 1)
        reader = subprocess.run([BIN, "warehouse", "check", "--data-dir", data, "--warehouse-url", reader_url, "--output", "json"],
                                capture_output=True, text=True)
        assert reader.returncode == 0, reader.stdout + reader.stderr
        report = json.loads(reader.stdout)
        assert report["ok"] is True
        assert all(finding["severity"] == "note" for finding in report["findings"])
    finally:
        psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(base, f"DROP ROLE IF EXISTS {role}")
