"""Crash safety against a real server, on SQLite and (in the PostgreSQL pass) on PostgreSQL: SIGKILL while clients
create users, data products and their keys as fast as they can; after a restart every acknowledged write is there and
nothing is half-done (operations.md "Killing the process at any moment loses nothing that was acknowledged")."""
import signal
import threading
import time
import uuid

import requests

from conftest import ADMIN_PASSWORD, Deployment


def test_sigkill_under_writes_loses_no_acknowledged_write_and_leaves_nothing_half_done(seen_secrets):
    deployment = Deployment(prefix="nexusone-crash-")
    server = deployment.server
    realm = server.realm

    def service_token():
        return requests.post(server.token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                     "client_secret": server.client_secret}).json()["access_token"]

    def master_token():
        return requests.post(f"{server.base_url}/realms/master/protocol/openid-connect/token",
                             data={"grant_type": "password", "client_id": "admin-cli", "username": "admin",
                                   "password": ADMIN_PASSWORD}).json()["access_token"]

    bearer = {"Authorization": f"Bearer {service_token()}"}
    admin = {"Authorization": f"Bearer {master_token()}"}
    users, products, keys = [], [], []  # acknowledged: the client had the whole answer
    stop = threading.Event()

    def create_users():
        while not stop.is_set():
            name = "crash_" + uuid.uuid4().hex[:12]
            try:
                response = requests.post(f"{server.base_url}/admin/realms/{realm}/users", headers=admin, timeout=10,
                                         json={"username": name, "enabled": True, "realmRoles": ["nx1_ask"]})
            except requests.RequestException:
                continue
            if response.status_code == 201:
                users.append(name)

    def create_products_and_keys():
        while not stop.is_set():
            name = "crash_" + uuid.uuid4().hex[:12]
            try:
                response = requests.post(f"{server.base_url}/api/dataproduct", headers=bearer, timeout=10,
                                         json={"name": name, "role_name": "nx1_ask", "query": "SELECT order_id FROM orders"})
                if response.status_code != 200:
                    continue
                product = response.json()
                products.append((product["view_id"], name, product["preshared_key"]))
                response = requests.post(f"{server.base_url}/api/dataproduct/{product['view_id']}/psk", headers=bearer,
                                         timeout=10, json={"description": "second key", "validity_days": 30})
                if response.status_code == 200:
                    keys.append((name, response.json()["psk"]))
            except (requests.RequestException, ValueError):
                continue

    threads = [threading.Thread(target=create_users, daemon=True) for _ in range(2)]
    threads += [threading.Thread(target=create_products_and_keys, daemon=True) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(3)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert users and products and keys, "writes were acknowledged before the kill"
        seen_secrets.extend(key for _, _, key in products)
        seen_secrets.extend(key for _, key in keys)

        assert server.restart() == -signal.SIGKILL
        bearer = {"Authorization": f"Bearer {service_token()}"}
        admin = {"Authorization": f"Bearer {master_token()}"}
        listed = requests.get(f"{server.base_url}/admin/realms/{realm}/users?max=100000&search=crash_", headers=admin).json()
        missing_users = set(users) - {user["username"] for user in listed}
        assert not missing_users, f"{len(missing_users)} of {len(users)} acknowledged users lost"

        for _, name, key in products:
            assert requests.get(f"{server.base_url}/api/data/{name}?limit=1", headers={"Authorization-PSK": key}).status_code == 200
        for name, key in keys:
            assert requests.get(f"{server.base_url}/api/data/{name}?limit=1", headers={"Authorization-PSK": key}).status_code == 200

        # Nothing half-done: every product that exists has its view and its first key; every user has the role it
        # was created with.
        existing = [p for p in requests.get(f"{server.base_url}/api/dataproduct", headers=bearer).json() if p["name"].startswith("crash_")]
        assert len(existing) >= len(products)
        for product in existing:
            assert requests.get(f"{server.base_url}/api/data/{product['name']}?limit=1", headers=bearer).status_code == 200
        product_keys = requests.get(f"{server.base_url}/api/dataproduct/psk", headers=bearer).json()
        keyed = {key["view_id"] for key in product_keys}
        assert {product["id"] for product in existing} <= keyed
        for user in listed:
            roles = requests.get(f"{server.base_url}/admin/realms/{realm}/users/{user['id']}/role-mappings/realm", headers=admin).json()
            assert "nx1_ask" in {role["name"] for role in roles}, user["username"]
        print(f"acknowledged before SIGKILL: {len(users)} users, {len(products)} products, {len(keys)} extra keys")
    finally:
        stop.set()
        deployment.close()
