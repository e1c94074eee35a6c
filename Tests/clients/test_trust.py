"""The second trust round's findings (issue: no user can stall the server, the PostgreSQL sandbox holds for functions
nobody named, realms do not read each other's data), tried against real server processes as an attacker would."""
import http.server
import json
import os
import resource
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse, urlunparse

import pytest
import requests

from conftest import ADMIN_PASSWORD, BIN, METRICS_TOKEN, Deployment, Server, free_port, psql, reader_role, wait_until_up


def master_token(server):
    return requests.post(f"{server.base_url}/realms/master/protocol/openid-connect/token",
                         data={"grant_type": "password", "client_id": "admin-cli", "username": "admin",
                               "password": ADMIN_PASSWORD}).json()["access_token"]


def realm_admin_headers(server):
    """A user of the server's realm holding nx1_admin, signed in: domains are the realm administrators' to change."""
    username, password = "admin" + uuid.uuid4().hex[:8], "password-" + uuid.uuid4().hex[:8]
    created = requests.post(f"{server.base_url}/admin/realms/{server.realm}/users", headers={"Authorization": f"Bearer {master_token(server)}"},
                            json={"username": username, "enabled": True, "credentials": [{"value": password}], "realmRoles": ["nx1_admin", "nx1_ask"]})
    assert created.status_code == 201, created.text
    token = requests.post(server.token_url, data={"grant_type": "password", "client_id": "admin-cli", "username": username,
                                                  "password": password}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def service_headers(server):
    token = requests.post(server.token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                  "client_secret": server.client_secret}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def resident_mib(server):
    with open(f"/proc/{server.process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


class ReadinessWatch:
    """Asks /health/ready every 100 ms on its own thread and keeps how long each answer took."""

    def __init__(self, server):
        self.server, self.timings, self.statuses, self.running = server, [], [], True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            started = time.time()
            try:
                self.statuses.append(requests.get(self.server.base_url + "/health/ready", timeout=10).status_code)
            except requests.RequestException:
                self.statuses.append(0)
            self.timings.append(time.time() - started)
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.thread.join()
        return self


def hang_up(server, path, headers):
    """Sends a GET and closes the connection without reading the answer."""
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"] + [f"{name}: {value}" for name, value in headers.items()]
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())


def big_value_warehouse(directory):
    """A SQLite warehouse with one row of 8 MB of control characters (48 MB once escaped as JSON)."""
    path = os.path.join(directory, "hostile-warehouse.sqlite")
    with sqlite3.connect(path) as database:
        database.execute("CREATE TABLE blobs (id INTEGER, v TEXT)")
        database.execute("INSERT INTO blobs VALUES (1, ?)", ("\x01" * 8_000_000,))
    return path


def read_big_page_while_clients_hang_up(server, seen_secrets):
    """Six clients ask for the 48 MB page and hang up at once; readiness keeps answering within a second, the page
    read whole is valid JSON, and the server's memory stays bounded."""
    seen_secrets.append(server.client_secret)
    admin = realm_admin_headers(server)
    created = requests.post(f"{server.base_url}/api/metastore/domains", headers=admin, json={"name": "blobs", "description": "", "tables": ["blobs"]})
    assert created.status_code == 201, created.text
    product = requests.post(f"{server.base_url}/api/dataproduct", headers=service_headers(server),
                            json={"name": "blobs_view", "role_name": "nx1_ask", "query": "SELECT id, v FROM blobs"})
    assert product.status_code == 200, product.text
    key = product.json()["preshared_key"]
    seen_secrets.append(key)
    watch = ReadinessWatch(server)
    for _ in range(2):
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda _: hang_up(server, "/api/data/blobs_view?limit=1", {"Authorization-PSK": key}), range(6)))
        time.sleep(2)
    watch.stop()
    assert watch.statuses and all(status == 200 for status in watch.statuses), watch.statuses
    assert max(watch.timings) < 1.0, f"readiness took {max(watch.timings):.2f} s"
    page = requests.get(f"{server.base_url}/api/data/blobs_view?limit=1", headers={"Authorization-PSK": key}, timeout=120)
    assert page.status_code == 200
    assert page.json()["data"][0][1] == "\x01" * 8_000_000
    csv = requests.get(f"{server.base_url}/api/data/blobs_view?limit=1", headers={"Authorization-PSK": key, "Accept": "text/csv"}, timeout=120)
    assert csv.status_code == 200 and len(csv.content) > 8_000_000
    assert resident_mib(server) < 300
    # Clients that ask and never read hold their pages in memory: together at most the page budget, then 503.
    readers = []
    for _ in range(16):
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect(("127.0.0.1", server.port))
        slow.sendall(f"GET /api/data/blobs_view?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization-PSK: {key}\r\n\r\n".encode())
        readers.append(slow)
    time.sleep(3)
    assert resident_mib(server) < 300, f"{resident_mib(server):.0f} MiB with clients that do not read"
    busy = requests.get(f"{server.base_url}/api/data/blobs_view?limit=1", headers={"Authorization-PSK": key}, timeout=120)
    assert busy.status_code == 503 and busy.headers.get("Retry-After"), busy.status_code
    for slow in readers:
        slow.close()


def test_escaping_a_huge_page_never_stalls_the_server_sqlite(seen_secrets):
    directory = tempfile.mkdtemp(prefix="nexusone-escape-")
    server = Server(directory, None, extra_args=["--warehouse-url", big_value_warehouse(directory)])
    try:
        read_big_page_while_clients_hang_up(server, seen_secrets)
    finally:
        server.stop()


def postgres_warehouse_with(statements):
    """A fresh PostgreSQL warehouse made by the superuser, and a reading role's URL for it."""
    base = os.environ["TEST_POSTGRES_URL"]
    name = "nx1_trust_wh_" + uuid.uuid4().hex[:10]
    psql(base, f"CREATE DATABASE {name}")
    url = urlunparse(urlparse(base)._replace(path="/" + name))
    for statement in statements:
        psql(url, statement)
    reader_url, role = reader_role(url)
    return name, url, reader_url, role


def drop_warehouse(name, role):
    base = os.environ["TEST_POSTGRES_URL"]
    psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(base, f"DROP ROLE IF EXISTS {role}")


@pytest.mark.postgres
def test_escaping_a_huge_page_never_stalls_the_server_postgres(seen_secrets):
    name, _, reader_url, role = postgres_warehouse_with([
        "CREATE TABLE blobs (id integer, v text)", "INSERT INTO blobs SELECT 1, repeat(chr(1), 8000000)"])
    server = Server(tempfile.mkdtemp(prefix="nexusone-escape-pg-"), None, extra_args=["--warehouse-url", reader_url])
    try:
        read_big_page_while_clients_hang_up(server, seen_secrets)
    finally:
        server.stop()
        drop_warehouse(name, role)


@pytest.mark.postgres
def test_rows_of_hundreds_of_megabytes_are_refused_by_postgresql_before_they_reach_the_server(seen_secrets):
    name, _, reader_url, role = postgres_warehouse_with([
        "CREATE TABLE huge (id integer, v text)", "ALTER TABLE huge ALTER COLUMN v SET STORAGE EXTERNAL",
        "INSERT INTO huge SELECT n, repeat('x', 200000000) FROM generate_series(1, 2) n"])
    server = Server(tempfile.mkdtemp(prefix="nexusone-huge-row-"), None, extra_args=["--warehouse-url", reader_url])
    try:
        admin = realm_admin_headers(server)
        assert requests.post(f"{server.base_url}/api/metastore/domains", headers=admin,
                             json={"name": "huge", "description": "", "tables": ["huge"]}).status_code == 201
        before = resident_mib(server)
        answer = requests.post(f"{server.base_url}/api/query/submit", headers=service_headers(server), json={"query": "SELECT * FROM huge"})
        assert answer.status_code == 200 and "8 MiB" in (answer.json()["error"] or ""), answer.text
        data = requests.get(f"{server.base_url}/api/query/{answer.json()['id']}/data?limit=2", headers=service_headers(server))
        assert data.status_code == 422 and data.json()["detail"][0]["loc"] == ["query", "limit"], data.text
        # Stored small, sent big: 60 million NULLs are a 7.5 MB bitmap and 240 MB on the wire.
        nulls = requests.post(f"{server.base_url}/api/query/submit", headers=service_headers(server),
                              json={"query": "SELECT array_fill(CAST(NULL AS integer), ARRAY[60000000]) AS a"})
        assert "8 MiB" in (nulls.json()["error"] or ""), nulls.text
        # Stored small, sent big in another way: jsonb sends numerics as text (1e131071: 131,072 digits).
        digits = requests.post(f"{server.base_url}/api/query/submit", headers=service_headers(server),
                               json={"query": "SELECT jsonb_agg(CAST('1e131071' AS numeric)) AS j FROM generate_series(1, 4000)"})
        assert "8 MiB" in (digits.json()["error"] or ""), digits.text
        # An error quoting a value of the user's making is cut before it is answered or stored; one of megabytes is not
        # even read, and reading errors happens on threads of the warehouse's own: readiness and other realms' tokens
        # do not wait for it.
        quoted = requests.post(f"{server.base_url}/api/query/submit", headers=service_headers(server),
                               json={"query": "SELECT CAST(repeat('x', 200000) AS integer) AS a"})
        assert len(quoted.content) < 10_000 and quoted.json()["error"].endswith("…"), len(quoted.content)
        watch = ReadinessWatch(server)
        with ThreadPoolExecutor(max_workers=4) as pool:
            errors = list(pool.map(lambda _: requests.post(f"{server.base_url}/api/query/submit", headers=service_headers(server),
                                                           json={"query": "SELECT CAST(repeat('x', 100000000) AS integer) AS a"}), range(4)))
        watch.stop()
        assert all("was not read" in (answer.json()["error"] or "") for answer in errors), [answer.text[:200] for answer in errors]
        assert max(watch.timings) < 1.0, f"readiness took {max(watch.timings):.2f} s"
        assert resident_mib(server) < max(300, before + 64)
    finally:
        server.stop()
        drop_warehouse(name, role)


def keycloak_credential(password, iterations):
    import base64
    import hashlib
    salt = os.urandom(16)
    value = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return {"type": "password", "secretData": json.dumps({"value": base64.b64encode(value).decode(), "salt": base64.b64encode(salt).decode()}),
            "credentialData": json.dumps({"hashIterations": iterations, "algorithm": "pbkdf2-sha256"})}


def test_wrong_passwords_against_costly_hashes_stall_neither_readiness_nor_other_realms(seen_secrets):
    """Users imported with Keycloak 24's pbkdf2-sha256 cost (600,000 iterations, ~0.3 s a try), and 40 callers sending
    wrong passwords: readiness answers within a second, and another realm's client-credentials tokens keep coming fast,
    because hashing has threads of its own. A costlier hash is not imported at all."""
    deployment = Deployment(prefix="nexusone-hash-flood-")
    server = deployment.server
    try:
        seen_secrets.append(server.client_secret)
        export = {"realm": "hashed", "enabled": True, "users": [
            {"username": f"victim{index}", "enabled": True, "credentials": [keycloak_credential("right-password", 600_000)]} for index in range(4)
        ] + [{"username": "costly", "enabled": True, "credentials": [keycloak_credential("right-password", 2_000_000)]}]}
        path = os.path.join(deployment.directory, "hashed-realm.json")
        with open(path, "w") as handle:
            json.dump(export, handle)
        database = ["--database-url", server.database_url] if server.database_url else []
        imported = subprocess.run([BIN, "realm", "import", path, "--data-dir", deployment.directory, "--output", "json"] + database,
                                  capture_output=True, text=True, env={**os.environ, **server._env})
        assert imported.returncode == 0, imported.stderr
        report = json.loads(imported.stdout)
        assert "costly" in report["passwordResetsRequired"], report
        stop = time.time() + 6
        hashed_url = f"{server.base_url}/realms/hashed/protocol/openid-connect/token"

        def guess(index):
            statuses = []
            while time.time() < stop:
                statuses.append(requests.post(hashed_url, data={"grant_type": "password", "client_id": "admin-cli", "username": f"victim{index % 4}",
                                                                "password": "wrong"}).status_code)
            return statuses

        watch = ReadinessWatch(server)
        token_times = []
        with ThreadPoolExecutor(max_workers=40) as pool:
            guesses = [pool.submit(guess, index) for index in range(40)]
            time.sleep(1)
            while time.time() < stop - 0.5:
                started = time.time()
                answer = requests.post(server.token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                               "client_secret": server.client_secret})
                token_times.append(time.time() - started)
                assert answer.status_code == 200
                time.sleep(0.1)
            statuses = [status for future in guesses for status in future.result()]
        watch.stop()
        assert set(statuses) <= {401, 503}, set(statuses)
        assert all(status == 200 for status in watch.statuses), watch.statuses
        assert max(watch.timings) < 1.0, f"readiness took {max(watch.timings):.2f} s"
        assert max(token_times) < 0.1, f"tokens of another realm took {sorted(token_times)}"
        right = requests.post(hashed_url, data={"grant_type": "password", "client_id": "admin-cli", "username": "victim1", "password": "right-password"})
        assert right.status_code == 200, right.text
    finally:
        deployment.close()


def test_a_function_sqlite_cannot_interrupt_is_refused_before_it_outruns_the_deadline(server, seen_secrets):
    """instr() on 1.6 MB and 0.8 MB once ran 14.7 s; three of them held every sandbox connection."""
    headers = service_headers(server)
    attack = ("SELECT instr(printf('%.1600000c', 'a'), printf('%.800000c', 'a') || 'b') AS n" if not server.database_url
              else "SELECT position(repeat('a', 800000) || 'b' in repeat('a', 1600000)) AS n")
    started = time.time()
    with ThreadPoolExecutor(max_workers=4) as pool:
        attacks = [pool.submit(requests.post, f"{server.base_url}/api/query/submit", headers=headers, json={"query": attack}) for _ in range(3)]
        time.sleep(0.2)
        other = requests.post(f"{server.base_url}/api/query/submit", headers=headers, json={"query": "SELECT 1 AS one"})
        other_took = time.time() - started
        answers = [future.result() for future in attacks]
    assert other.status_code == 200 and other.json()["error"] is None
    assert other_took < 2.0, f"another user's SELECT 1 waited {other_took:.1f} s"
    for answer in answers:
        assert answer.status_code == 200
    if not server.database_url:
        assert all("could run past the query's deadline" in (answer.json()["error"] or "") for answer in answers), [a.text for a in answers]
        # An error quoting megabytes of the user's making is cut before it is answered or stored.
        quoted = requests.post(f"{server.base_url}/api/query/submit", headers=headers,
                               json={"query": "SELECT json_extract('{}', '$x' || printf('%.6000000c', ' ')) AS v"})
        assert len(quoted.content) < 10_000 and quoted.json()["error"].endswith("…"), len(quoted.content)
    assert time.time() - started < 7


@pytest.mark.postgres
def test_serve_refuses_a_privileged_warehouse_role_and_the_system_database():
    base = os.environ["TEST_POSTGRES_URL"]
    name, superuser_url, reader_url, role = postgres_warehouse_with(["CREATE TABLE t (x integer)"])
    replicator = "nx1_repl_" + uuid.uuid4().hex[:8]
    psql(base, f"CREATE ROLE {replicator} LOGIN REPLICATION PASSWORD 'replicator'")
    replication_url = urlunparse(urlparse(superuser_url)._replace(netloc=f"{replicator}:replicator@{urlparse(base).hostname}:{urlparse(base).port}"))
    directory = tempfile.mkdtemp(prefix="nexusone-privileged-")
    try:
        for url, reason in ((superuser_url, "superuser"), (replication_url, "REPLICATION")):
            refused = subprocess.run([BIN, "serve", "--data-dir", directory, "--port", str(free_port()), "--warehouse-url", url],
                                     capture_output=True, text=True, timeout=60)
            assert refused.returncode != 0 and "refusing to serve" in refused.stderr and reason in refused.stderr, refused.stderr
        checked = subprocess.run([BIN, "warehouse", "check", "--data-dir", directory, "--warehouse-url", replication_url, "--output", "json"],
                                 capture_output=True, text=True)
        assert checked.returncode == 1
        assert {"severity": "problem", "message": "the role has REPLICATION", "blocks_serving": True} in json.loads(checked.stdout)["findings"]
        # The system database as the warehouse: its tables hold every hash and its advisory lock guards migrations.
        system = urlunparse(urlparse(base)._replace(path="/" + name))
        same = subprocess.run([BIN, "serve", "--data-dir", directory, "--port", str(free_port()), "--database-url", system,
                               "--warehouse-url", reader_url.replace("127.0.0.1", "localhost")], capture_output=True, text=True, timeout=60)
        assert same.returncode != 0 and "is the system database" in same.stderr, same.stderr
        # A lab may allow a privileged role; the server says so at the highest level.
        lab = Server(tempfile.mkdtemp(prefix="nexusone-lab-"), None, extra_args=["--warehouse-url", superuser_url, "--allow-privileged-warehouse"])
        try:
            with open(lab.log_path) as log:
                assert "can do more than read" in log.read()
        finally:
            lab.stop()
    finally:
        drop_warehouse(name, role)
        psql(base, f"DROP ROLE IF EXISTS {replicator}")


def test_a_proxys_clients_are_throttled_one_by_one_and_a_regular_outlives_a_strangers_spraying(seen_secrets):
    deployment = Deployment(prefix="nexusone-proxy-", extra_env={"NEXUSONE_AUTH_FAILURE_LIMIT": "3", "NEXUSONE_TRUSTED_PROXIES": "127.0.0.1/32"})
    server = deployment.server
    try:
        seen_secrets.append(server.client_secret)

        def attempt(forwarded_for, secret, username=None):
            data = {"grant_type": "client_credentials", "client_id": server.client_id, "client_secret": secret}
            if username:
                data = {"grant_type": "password", "client_id": "admin-cli", "username": username, "password": secret}
            return requests.post(server.token_url, data=data, headers={"X-Forwarded-For": forwarded_for}).status_code

        assert attempt("198.51.100.1", server.client_secret) == 200  # a regular behind the proxy
        for index in range(20):  # a stranger behind the same proxy sprays many accounts
            attempt("203.0.113.66", "wrong", username=f"nobody{index}")
        assert attempt("203.0.113.66", "wrong", username="another") == 429
        assert attempt("198.51.100.1", server.client_secret) == 200
        assert attempt("198.51.100.2", server.client_secret) == 200  # a new client behind the proxy
        # A client that forges the header itself, straight to the server from an address that is not a proxy, is itself.
        forged = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--interface", "127.0.0.2", "-H", "X-Forwarded-For: 198.51.100.1",
                                 "-X", "POST", server.token_url, "-d", "grant_type=password", "-d", "client_id=admin-cli", "-d", "username=x",
                                 "-d", "password=y"], capture_output=True, text=True).stdout
        assert forged == "401"
    finally:
        deployment.close()


def test_half_open_connections_and_trickled_bodies_are_closed_and_the_server_stays_up():
    directory = tempfile.mkdtemp(prefix="nexusone-slow-")
    port = free_port()
    env = {**os.environ, "NEXUSONE_HTTP_IDLE_TIMEOUT": "2", "NEXUSONE_HTTP_REQUEST_TIMEOUT": "2", "NEXUSONE_SHUTDOWN_GRACE": "0",
           "NEXUSONE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))  # noqa: E731 — as tight as the attack found it
    process = subprocess.Popen([BIN, "serve", "--port", str(port), "--data-dir", directory], stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(directory, "server.log"), "w"), env=env, preexec_fn=limit)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/api/health/ping", process)
        # A body trickled a byte at a time keeps the idle timer from firing; the request deadline cuts it off.
        trickle = socket.create_connection(("127.0.0.1", port))
        trickle.sendall(b"POST /api/query/submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        trickle.settimeout(0.5)
        started, closed = time.time(), False
        while not closed and time.time() - started < 10:
            try:
                trickle.sendall(b" ")
                closed = trickle.recv(4096) == b""
            except socket.timeout:
                continue
            except OSError:
                closed = True
        assert closed and time.time() - started < 6, "the trickled body was not cut off"
        # 57 connections that never finish their request head: more than the 16 this descriptor limit leaves room for.
        sockets = []
        for _ in range(57):
            half = socket.create_connection(("127.0.0.1", port))
            half.sendall(b"GET /health/ready HTTP/1.1\r\nHost: x\r\n")
            sockets.append(half)
        deadline = time.time() + 20
        for half in sockets:
            half.settimeout(max(0.1, deadline - time.time()))
            assert half.recv(1024) == b"", "a half-open connection was kept"
        assert process.poll() is None, "the server died"
        started = time.time()
        assert requests.get(base_url + "/health/ready", timeout=5).status_code == 200
        assert time.time() - started < 1.0
        with open(os.path.join(directory, "server.log")) as log:
            assert "Too many open files" not in log.read()
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_deploy_into_keycloak_never_follows_a_redirect_with_the_administrators_password():
    received = []

    class Elsewhere(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    elsewhere = http.server.HTTPServer(("127.0.0.1", 0), Elsewhere)
    target = f"http://127.0.0.1:{elsewhere.server_address[1]}"

    class Redirecting(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    redirecting = http.server.HTTPServer(("127.0.0.1", 0), Redirecting)
    for listener in (elsewhere, redirecting):
        threading.Thread(target=listener.serve_forever, daemon=True).start()
    try:
        result = subprocess.run([BIN, "deploy", "--data-dir", tempfile.mkdtemp(prefix="nexusone-redirect-"), "--client-name", "companya",
                                 "--keycloak-url", f"http://127.0.0.1:{redirecting.server_address[1]}", "--keycloak-admin-user", "admin"],
                                capture_output=True, text=True, env={**os.environ, "NEXUSONE_KEYCLOAK_ADMIN_PASSWORD": "kc-admin-secret-1"}, timeout=60)
        assert result.returncode != 0
        assert "redirect" in result.stderr + result.stdout
        assert "kc-admin-secret-1" not in result.stderr + result.stdout
        assert received == [], "the password went to the redirect's target"
    finally:
        for listener in (elsewhere, redirecting):
            listener.shutdown()


def test_database_files_are_readable_by_their_owner_only(server):
    if server.database_url:
        pytest.skip("the system database is PostgreSQL")
    assert os.stat(server.directory).st_mode & 0o777 == 0o700
    for name in ("nexusone.sqlite", "nexusone.sqlite-wal", "nexusone.sqlite-shm", "warehouse.sqlite", "encryption.key"):
        path = os.path.join(server.directory, name)
        if os.path.exists(path):
            assert os.stat(path).st_mode & 0o777 == 0o600, f"{name} is {oct(os.stat(path).st_mode & 0o777)}"
    assert os.path.exists(os.path.join(server.directory, "nexusone.sqlite-wal"))
