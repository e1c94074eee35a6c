"""The operator commands, as scripts call them (`--output json`, exit codes)."""
import json
import subprocess
import tempfile

from conftest import BIN


def nexusone(*args, check=True):
    return subprocess.run([BIN, *args, "--log-level", "error"], check=check, capture_output=True, text=True)


def test_deploy_is_idempotent_and_psk_commands_manage_keys():
    data = tempfile.mkdtemp(prefix="nexusone-cli-")
    first = json.loads(nexusone("deploy", "--data-dir", data, "--client-name", "acme", "--client-id", "acme-api", "--output", "json").stdout)
    assert first["clientId"] == "acme-api"
    assert len(first["clientSecret"]) == 32
    assert first["psk"].startswith("nx1s_")
    assert first["token_url"].endswith("/realms/acme/protocol/openid-connect/token")
    again = json.loads(nexusone("deploy", "--data-dir", data, "--client-name", "acme", "--client-id", "acme-api", "--output", "json").stdout)
    assert again["clientId"] == "acme-api"
    assert "clientSecret" not in again and "psk" not in again and "adminPassword" not in again

    key = nexusone("psk", "create", "--data-dir", data, "--realm", "acme", "--user", "admin", "--description", "ops").stdout.strip()
    assert key.startswith("nx1p_")
    listed = json.loads(nexusone("psk", "list", "--data-dir", data, "--realm", "acme", "--output", "json").stdout)
    personal = next(entry for entry in listed if entry["kind"] == "personal")
    assert key not in json.dumps(listed)
    assert personal["hint"] == key[:5] + "…" + key[-4:]
    nexusone("psk", "revoke", "--data-dir", data, "--realm", "acme", "--id", personal["id"])
    listed = json.loads(nexusone("psk", "list", "--data-dir", data, "--realm", "acme", "--output", "json").stdout)
    assert next(entry for entry in listed if entry["kind"] == "personal")["active"] == "false"

    failed = nexusone("psk", "create", "--data-dir", data, "--realm", "acme", "--user", "nobody", check=False)
    assert failed.returncode != 0
    assert "no user 'nobody'" in failed.stderr


def test_warehouse_and_domain_commands():
    data = tempfile.mkdtemp(prefix="nexusone-cli-domains-")
    nexusone("deploy", "--data-dir", data, "--client-name", "acme")
    assert nexusone("warehouse", "load-demo", "--data-dir", data).stdout.strip() == "demo data loaded"
    assert nexusone("warehouse", "load-demo", "--data-dir", data).stdout.strip() == "demo data already present"
    listed = json.loads(nexusone("domain", "list", "--data-dir", data, "--realm", "acme", "--output", "json").stdout)
    assert [domain["name"] for domain in listed] == ["catalog", "customers", "sales"]

    assert nexusone("domain", "create", "finance", "--data-dir", data, "--realm", "acme", "--table", "orders",
                    "--table", "order_items").stdout.strip() == "urn:li:domain:finance"
    duplicate = nexusone("domain", "create", "finance", "--data-dir", data, "--realm", "acme", "--table", "orders", check=False)
    assert duplicate.returncode != 0 and "exists already" in duplicate.stderr
    unknown = nexusone("domain", "create", "ghosts", "--data-dir", data, "--realm", "acme", "--table", "no_such_table", check=False)
    assert unknown.returncode != 0 and "no table named 'no_such_table'" in unknown.stderr
    nexusone("domain", "update", "finance", "--data-dir", data, "--realm", "acme", "--table", "products", "--description", "Prices")
    listed = json.loads(nexusone("domain", "list", "--data-dir", data, "--realm", "acme", "--output", "json").stdout)
    assert next(domain for domain in listed if domain["name"] == "finance")["tables"] == "products"
    nexusone("domain", "delete", "finance", "--data-dir", data, "--realm", "acme")
    listed = json.loads(nexusone("domain", "list", "--data-dir", data, "--realm", "acme", "--output", "json").stdout)
    assert "finance" not in [domain["name"] for domain in listed]
