"""The README walkthrough with curl — token or PSK to a card and to paged data — and a schemathesis run against the
served OpenAPI document."""
import json
import os
import subprocess
import sys
import time

import pytest
import requests

from conftest import Deployment, SharedPostgres


def curl(*args):
    return subprocess.run(["curl", "-s", *args], check=True, capture_output=True, text=True).stdout


def curl_json(*args):
    return json.loads(curl(*args))


def service_token(server):
    return curl_json("-X", "POST", server.token_url, "-d", "grant_type=client_credentials", "-d", "scope=profile",
                     "-d", f"client_id={server.client_id}", "-d", f"client_secret={server.client_secret}")["access_token"]


def test_walkthrough_from_token_to_card_and_paged_data(server, seen_secrets):
    base = server.base_url
    token = service_token(server)
    seen_secrets.append(token)
    bearer = ["-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json"]

    domains = curl_json(f"{base}/api/metastore/domains", *bearer)
    assert [d["urn"] for d in domains] == ["urn:li:domain:catalog", "urn:li:domain:customers", "urn:li:domain:sales"]
    suggestions = curl_json("-X", "POST", f"{base}/api/query/suggest", *bearer, "-d", '{"domain":"sales"}')
    assert suggestions[0]["prompt"] == "How many orders are there per channel?"
    card = curl_json("-X", "POST", f"{base}/api/query", *bearer, "-d", json.dumps({"suggestion_id": suggestions[0]["id"]}))
    assert card["error"] is None and card["card_url"].endswith(f"/queries/{card['id']}")
    rows = curl_json(f"{base}/api/query/{card['id']}/data", *bearer)
    assert rows["columns"] == ["channel", "orders_count"]
    assert sum(row[1] for row in rows["data"]) == 6000

    # The deployment PSK stands for the same service account: it reads the same card.
    assert curl_json(f"{base}/api/query/{card['id']}/data", "-H", f"Authorization-PSK: {server.psk}") == rows

    product = curl_json("-X", "POST", f"{base}/api/dataproduct", *bearer, "-d",
                        json.dumps({"name": "orders_2024", "role_name": "nx1_ask",
                                    "query": "SELECT order_id, order_date, channel, total_amount FROM orders WHERE order_date >= '2024-01-01'"}))
    key = product["preshared_key"]
    seen_secrets.append(key)
    assert key.startswith("nx1d_")

    walked, start = [], 0
    while start is not None:
        page = curl_json(f"{base}/api/data/orders_2024?start={start}&limit=1000&order=order_id&psk={key}")
        walked += page["data"]
        start = page["next_start"]
    assert len(walked) == len({row[0] for row in walked}) > 3000

    filtered = curl_json("-G", f"{base}/api/data/orders_2024", "-H", f"Authorization-PSK: {key}",
                         "--data-urlencode", "filter=channel = 'Web' and total_amount > 1000", "--data-urlencode", "order=total_amount desc")
    assert filtered["row_count"] > 0 and all(row[2] == "Web" and row[3] > 1000 for row in filtered["data"])
    amounts = [row[3] for row in filtered["data"]]
    assert amounts == sorted(amounts, reverse=True)
    csv = curl(f"{base}/api/data/orders_2024?limit=2&order=order_id", "-H", f"Authorization-PSK: {key}", "-H", "Accept: text/csv")
    assert csv.splitlines()[:1] == ["order_id,order_date,channel,total_amount"] and len(csv.splitlines()) == 3

    refused = curl_json("-G", f"{base}/api/data/orders_2024", "-H", f"Authorization-PSK: {key}", "--data-urlencode",
                        "filter=channel = 'Web'; DROP TABLE orders")
    assert refused["detail"][0]["loc"] == ["query", "filter"] and "position 16" in refused["detail"][0]["msg"]
    assert curl_json(f"{base}/api/user/me", "-H", f"Authorization-PSK: {key}")["detail"].startswith("A data-product key")


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path):
    deployment = Deployment(prefix="nexusone-schemathesis-")
    try:
        server = deployment.server
        token = service_token(server)
        headers = {"Authorization": f"Bearer {token}"}
        product = requests.post(f"{server.base_url}/api/dataproduct", headers=headers,
                                json={"name": "orders_view", "role_name": "nx1_ask", "query": "SELECT * FROM orders"}).json()
        query = requests.post(f"{server.base_url}/api/query/submit", headers=headers, json={"query": "SELECT 1 AS one"}).json()
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            f'[[operations]]\ninclude-name = "GET /api/data/{{view_name}}"\nparameters = {{ view_name = "{product["view_name"]}" }}\n'
            f'[[operations]]\ninclude-path-regex = "^/api/query/\\\\{{id\\\\}}"\nparameters = {{ id = "{query["id"]}" }}\n')
        schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
        # positive_data_acceptance is left out: no schema can say that `query` must be read-only SQL or that a name
        # must be new, so schema-valid requests are rightly refused with 422/409.
        result = subprocess.run(
            [schemathesis, "--config-file", str(config), "run", f"{server.base_url}/openapi.json",
             "-H", f"Authorization: Bearer {token}", "-H", f"Authorization-PSK: {server.psk}",
             "--exclude-checks", "positive_data_acceptance", "--max-examples", "30", "--seed", "20261129"],
            capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    finally:
        deployment.close()


@pytest.mark.postgres
def test_deleting_a_product_on_one_node_ends_its_key_on_the_other_within_a_second(seen_secrets):
    storage = SharedPostgres("nx1_nodes_")
    node_a = storage.node("nexusone-node-a-")
    node_b = storage.node("nexusone-node-b-", first=False)
    try:
        token = service_token(node_a)
        bearer = {"Authorization": f"Bearer {token}"}
        product = requests.post(f"{node_a.base_url}/api/dataproduct", headers=bearer,
                                json={"name": "shared_view", "role_name": "nx1_ask", "query": "SELECT order_id FROM orders"}).json()
        key = product["preshared_key"]
        seen_secrets.append(key)
        url = f"{node_b.base_url}/api/data/shared_view?limit=5"
        assert requests.get(url, headers={"Authorization-PSK": key}).status_code == 200  # cached on B now
        assert requests.get(url, headers=bearer).status_code == 200
        assert requests.delete(f"{node_a.base_url}/api/dataproduct/{product['view_id']}", headers=bearer).status_code == 204
        deadline = time.time() + 1.0
        statuses = (200, 200)
        while time.time() < deadline and statuses != (401, 404):
            statuses = (requests.get(url, headers={"Authorization-PSK": key}).status_code, requests.get(url, headers=bearer).status_code)
        assert statuses == (401, 404), "node B still served the product a second after node A deleted it"
    finally:
        node_a.stop()
        node_b.stop()
        storage.close()
