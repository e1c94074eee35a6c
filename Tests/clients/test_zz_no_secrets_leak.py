"""Runs last: no secret seen during the run is stored or logged in clear, or shows up in an error body."""
import glob
import os
import re
import subprocess

import requests


def storage_bytes(server):
    if server.database_url:
        return subprocess.run(["pg_dump", "--data-only", server.database_url], check=True, capture_output=True).stdout
    data = b""
    for path in glob.glob(os.path.join(server.directory, "*.sqlite*")):
        with open(path, "rb") as handle:
            data += handle.read()
    return data


def test_error_bodies_do_not_echo_secrets(server):
    response = requests.post(server.token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                     "client_secret": server.client_secret + "x"})
    assert response.status_code == 401
    assert server.client_secret not in response.text


def test_no_secret_in_storage_logs_or_metrics(server, seen_secrets):
    stored = storage_bytes(server)
    with open(server.log_path, "rb") as handle:
        logs = handle.read()
    logs += server.metrics().content
    assert b"nexusone_tokens_issued_total" in logs
    assert len(seen_secrets) >= 5
    for secret in seen_secrets:
        needle = secret.encode()
        assert needle not in stored, f"secret {secret[:6]}… stored in clear"
        assert needle not in logs, f"secret {secret[:6]}… logged"
    for marker in (b"PRIVATE KEY",):
        assert marker not in stored
        assert marker not in logs


def test_request_log_names_the_principal_not_the_credential(server):
    with open(server.log_path, "rb") as handle:
        logs = handle.read()
    assert re.search(rb"path=/api/user/me .*principal=[0-9a-f-]{36}", logs), "authenticated requests log the principal id"
    assert b"Authorization" not in logs
