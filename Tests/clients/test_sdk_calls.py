"""Every call of NexusOne's Python SDK (`nx1-sdk`) that maps to our route set, made the way the SDK makes it: over
HTTPS only, `Authorization-PSK` and `Content-Type: application/json` on every request (GETs and DELETEs included),
paths joined from parts, query parameters encoded by requests (so booleans arrive as `True`/`False`). The SDK itself
is not in this machine's package mirror; this client reproduces its wire behaviour call for call."""
import os
import subprocess
import tempfile
from urllib.parse import urljoin

import pytest
import requests

from conftest import BIN, Deployment


class SDKStyleClient:
    """What the SDK's base client puts on the wire: https forced, the key in `Authorization-PSK`, JSON content type."""

    def __init__(self, host, api_key, verify):
        assert host.startswith("https://"), "the SDK only speaks HTTPS"
        self.base_url = host.rstrip("/") + "/"
        self.headers = {"Authorization-PSK": api_key, "Content-Type": "application/json"}
        self.verify = verify

    def call(self, method, *parts, params=None, json_data=None):
        url = urljoin(self.base_url, "/".join(str(part).strip("/") for part in parts if part))
        response = requests.request(method, url, params=params, json=json_data, headers=self.headers, verify=self.verify, timeout=30)
        assert response.status_code < 400, f"{method} {url} {params or ''} → {response.status_code} {response.text[:300]}"
        return response.json() if response.content else {}


@pytest.fixture(scope="module")
def https_server():
    tls_dir = os.path.join(tempfile.mkdtemp(prefix="nexusone-sdk-tls-"), "tls")
    subprocess.run([BIN, "dev-cert", "--directory", tls_dir], check=True, capture_output=True)
    cert = os.path.join(tls_dir, "cert.pem")
    deployment = Deployment(prefix="nexusone-sdk-", tls=(cert, os.path.join(tls_dir, "key.pem")))
    yield deployment.server, cert
    deployment.close()


def test_every_sdk_call_in_our_route_set_succeeds_with_the_deployment_psk(https_server):
    server, cert = https_server
    sdk = SDKStyleClient(server.base_url, server.psk, verify=cert)

    assert sdk.call("GET", "api", "health", "ping")["status"] == "ok"
    domains = sdk.call("GET", "api", "metastore", "domains")
    assert "sales" in [domain["name"] for domain in domains]

    suggestions = sdk.call("POST", "api", "query", "suggest", json_data={"domain": "sales"})
    card = sdk.call("POST", "api", "query", json_data={"suggestion_id": suggestions[0]["id"]})
    asked = sdk.call("POST", "api", "query", "ask", json_data={"domain": "sales", "prompt": "orders per channel"})
    submitted = sdk.call("POST", "api", "query", "submit", json_data={"query": "SELECT COUNT(*) AS n FROM orders", "domain": "sales"})
    listed = sdk.call("GET", "api", "query", params={"limit": 20})
    assert {card["id"], asked["id"], submitted["id"]} <= {query["id"] for query in listed}
    embed = sdk.call("POST", "api", "query", "embed", "token", json_data={"query_id": card["id"]})
    assert embed["embed_url"].startswith(server.base_url)

    role = "nx1_ask"
    created = sdk.call("POST", "api", "dataproduct", json_data={
        "name": "sdk_orders", "role_name": role, "query": "SELECT order_id, channel, total_amount FROM orders", "is_view": False})
    product_id, first_key = created["view_id"], created["preshared_key"]
    server.secrets.append(first_key)
    assert "sdk_orders" in [product["name"] for product in sdk.call("GET", "api", "dataproduct", params={"roles": role})]

    # The two calls that failed before: a data-product key made with a PSK, and include_deleted=False.
    made = sdk.call("POST", "api", "dataproduct", product_id, "psk", json_data={"description": "from the SDK", "validity_days": 30})
    server.secrets.append(made["psk"])
    keys = sdk.call("GET", "api", "dataproduct", "psk", params={"include_deleted": False})
    assert {made["id"]} <= {key["id"] for key in keys}
    extended = sdk.call("POST", "api", "dataproduct", "psk", made["id"], "extend", json_data={"validity_days": 10})
    assert extended["valid_until"] > made["valid_until"]

    consumer = SDKStyleClient(server.base_url, made["psk"], verify=cert)
    page = consumer.call("GET", "api", "data", "sdk_orders", params={
        "start": 0, "limit": 100, "psk": made["psk"], "filter": "channel = 'Web'", "order": "total_amount desc"})
    assert page["row_count"] > 0 and all(row[1] == "Web" for row in page["data"])
    # The SDK sends the query-string key next to its own header key; the header is who is calling.
    assert sdk.call("GET", "api", "data", "sdk_orders", params={"start": 0, "limit": 5, "psk": made["psk"]})["columns"]

    sdk.call("DELETE", "api", "dataproduct", "psk", made["id"])
    with_deleted = sdk.call("GET", "api", "dataproduct", "psk", params={"include_deleted": True})
    assert [key["is_deleted"] for key in with_deleted if key["id"] == made["id"]] == [True]
    sdk.call("DELETE", "api", "query", submitted["id"])
    sdk.call("DELETE", "api", "dataproduct", product_id)
    assert requests.get(f"{server.base_url}/api/data/sdk_orders", headers={"Authorization-PSK": first_key}, verify=cert).status_code == 401
