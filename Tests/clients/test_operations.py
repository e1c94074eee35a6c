"""Operations, against real servers: SIGTERM drains without failing a request, and three nodes on one PostgreSQL
behind nginx restart one by one under load without a single failed request (operations.md)."""
import http.client
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlencode

import pytest
import requests

from conftest import Deployment, SharedPostgres, free_port, psql


class Load:
    """Callers that repeat `calls` from threads until stopped, each on a new connection, as a proxy without upstream
    keep-alive sends them. Records (time, what, outcome) for every call: a status code or the exception's text.
    `sending` says whether to send at all: a load balancer stops sending to a node it has taken out."""

    def __init__(self, calls, threads=4, sending=lambda: True):
        self.calls, self.results, self._stop, self._sending = calls, [], threading.Event(), sending
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(index,), daemon=True) for index in range(threads)]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, index):
        turn = index
        while not self._stop.is_set():
            if not self._sending():
                time.sleep(0.01)
                continue
            what, call = self.calls[turn % len(self.calls)]
            turn += 1
            try:
                outcome = call().status_code
            except requests.RequestException as error:
                outcome = str(error)
            with self._lock:
                self.results.append((time.time(), what, outcome))

    def failures(self):
        return [result for result in self.results if result[2] != 200]


def client_credentials(base_url, server):
    return requests.post(f"{base_url}/realms/{server.realm}/protocol/openid-connect/token", timeout=10,
                         data={"grant_type": "client_credentials", "client_id": server.client_id, "client_secret": server.client_secret})


class SlowTokenRequest(threading.Thread):
    """A token request whose body arrives only once `release` is set: in flight from before SIGTERM until after the
    server stopped accepting. Its answer says whether in-flight requests are finished."""

    def __init__(self, server, release):
        super().__init__(daemon=True)
        self.release, self.status, self.body = release, None, None
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        body = urlencode({"grant_type": "client_credentials", "client_id": server.client_id, "client_secret": server.client_secret})
        self.rest = body.encode()
        self.connection.putrequest("POST", f"/realms/{server.realm}/protocol/openid-connect/token")
        self.connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        self.connection.putheader("Content-Length", str(len(self.rest)))
        self.connection.endheaders(self.rest[:10])
        self.rest = self.rest[10:]

    def run(self):
        self.release.wait(timeout=60)
        self.connection.send(self.rest)
        response = self.connection.getresponse()
        self.status, self.body = response.status, response.read()


def refuses_connections(base):
    try:
        requests.get(f"{base}/api/health/ping", timeout=1)
        return False
    except requests.ConnectionError as error:
        return "Connection refused" in str(error)


def test_sigterm_turns_readiness_503_at_once_keeps_serving_through_the_grace_and_finishes_in_flight_requests():
    grace = 2
    deployment = Deployment(prefix="nexusone-drain-", extra_env={"NEXUSONE_SHUTDOWN_GRACE": str(grace)})
    server = deployment.server
    base = server.base_url
    calls = [("psk", lambda: requests.get(f"{base}/api/user/me", headers={"Authorization-PSK": server.psk}, timeout=10)),
             ("token", lambda: client_credentials(base, server))]
    # A load balancer that takes the node out half a second after its readiness first said 503 (a health check's lag).
    taken_out = []
    try:
        with Load(calls, sending=lambda: not taken_out or time.time() < taken_out[0] + 0.5) as load:
            time.sleep(1)
            listener_closed = threading.Event()
            slow = SlowTokenRequest(server, release=listener_closed)
            signalled = time.time()
            server.process.send_signal(signal.SIGTERM)
            slow.start()
            while requests.get(f"{base}/health/ready", timeout=2).status_code == 200:
                assert time.time() - signalled < 1.0, "readiness still 200 a second after SIGTERM"
                time.sleep(0.05)
            assert time.time() - signalled < 1.0
            taken_out.append(time.time())
            assert requests.get(f"{base}/health/ready", timeout=2).json() == {"detail": "Shutting down"}
            time.sleep(max(0, signalled + grace - 0.4 - time.time()))
            assert requests.get(f"{base}/api/health/ping", timeout=2).status_code == 200, "still serving near the grace's end"
            while not refuses_connections(base):
                assert time.time() - signalled < grace + 5, "still accepting 5 s after the grace"
                time.sleep(0.02)
            closed = time.time()
            listener_closed.set()  # only now does the slow request's body arrive
            slow.join(timeout=30)
            assert server.process.wait(timeout=30) == 0, "a drained server exits 0"
        assert closed - signalled >= grace, "the server accepted connections for the whole grace period"
        assert load.failures() == []
        after_503 = [r for r in load.results if taken_out[0] < r[0] < taken_out[0] + 0.5]
        assert after_503 and all(r[2] == 200 for r in after_503), "requests were still answered during the drain"
        assert slow.status == 200 and b"access_token" in slow.body, "the request in flight when accepting stopped was finished"
        log = open(server.log_path).read()
        assert "draining before shutdown" in log
        assert "hasn't been called" not in log
    finally:
        deployment.close()


def test_a_second_sigterm_ends_the_drain_early_and_the_server_still_exits_0():
    deployment = Deployment(prefix="nexusone-drain-twice-", extra_env={"NEXUSONE_SHUTDOWN_GRACE": "60"})
    server = deployment.server
    try:
        signalled = time.time()
        server.process.send_signal(signal.SIGTERM)
        while requests.get(f"{server.base_url}/health/ready", timeout=2).status_code == 200:
            time.sleep(0.05)
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 0
        assert time.time() - signalled < 20, "the second signal ended the 60 s drain"
        assert "second signal: the drain ends early" in open(server.log_path).read()
    finally:
        deployment.close()


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream nexusone {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://nexusone;
            # The default: a refused connection goes to the next node; a request that reached a node is never sent twice.
            proxy_next_upstream error timeout;
            proxy_set_header Host $host;
        }}
    }}
}}
"""


class Nginx:
    """Debian's nginx in front of the nodes, as open-source nginx is run for rolling restarts: it has no active health
    checks, so the operator takes a node out of the upstream (`down`, reload) before stopping it, and puts it back
    once it is ready. A reload lets old workers finish what they were sending."""

    def __init__(self, ports):
        self.directory = tempfile.mkdtemp(prefix="nexusone-nginx-")
        os.chmod(self.directory, 0o755)  # workers run as nobody when the test runs as root
        self.port, self.ports, self.conf = free_port(), ports, os.path.join(self.directory, "nginx.conf")
        self.url = f"http://127.0.0.1:{self.port}"
        self._write(down=())
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen([binary, "-c", self.conf, "-p", self.directory], stdout=subprocess.DEVNULL,
                                        stderr=open(os.path.join(self.directory, "stderr.txt"), "w"))
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                requests.get(f"{self.url}/api/health/ping", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start: " + open(os.path.join(self.directory, "stderr.txt")).read())

    def _write(self, down):
        servers = "\n".join(f"        server 127.0.0.1:{p}{' down' if p in down else ''};" for p in self.ports)
        with open(self.conf, "w") as conf:
            conf.write(NGINX_CONF.format(dir=self.directory, servers=servers, port=self.port))

    def set_down(self, *ports):
        self._write(down=ports)
        self.process.send_signal(signal.SIGHUP)
        time.sleep(1)  # new workers take over; the old ones finish their requests and exit

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def next_release_migration(database_url):
    """What the next release's migration Job does while the old release serves: an additive migration (a column with
    a default, a table, an index built without blocking writes) and its schema version, which this build does not know."""
    version = int(subprocess.run(["psql", database_url, "-tAc", "SELECT MAX(version) FROM schema_migrations"],
                                 check=True, capture_output=True, text=True).stdout) + 1
    psql(database_url, "BEGIN; ALTER TABLE users ADD COLUMN nickname TEXT NOT NULL DEFAULT '';"
                       " CREATE TABLE user_preferences (user_id TEXT PRIMARY KEY, theme TEXT NOT NULL);"
                       f" INSERT INTO schema_migrations (version, name, applied_at) VALUES ({version}, 'NextRelease', 0); COMMIT;")
    psql(database_url, "CREATE INDEX CONCURRENTLY users_nickname ON users (nickname)")


@pytest.mark.postgres
def test_three_nodes_behind_nginx_restart_one_by_one_under_load_across_a_schema_migration_without_a_failed_request(seen_secrets):
    storage = SharedPostgres("nx1_roll_")
    drain = {"NEXUSONE_SHUTDOWN_GRACE": "1"}
    nodes = [storage.node("nexusone-roll-", first=index == 0, extra_env=drain) for index in range(3)]
    first = nodes[0]
    nginx = Nginx([node.port for node in nodes])
    proxy = nginx.url
    try:
        token = client_credentials(proxy, first).json()["access_token"]
        # Made on the first node: it serves with the demo, so it gives the realm the demo domains the product reads.
        product = requests.post(f"{first.base_url}/api/dataproduct", headers={"Authorization": f"Bearer {token}"},
                                json={"name": "rolling_view", "role_name": "nx1_ask",
                                      "query": "SELECT order_id, channel, total_amount FROM orders"}).json()
        key = product["preshared_key"]
        seen_secrets.append(key)
        calls = [("token", lambda: client_credentials(proxy, first)),
                 ("psk", lambda: requests.get(f"{proxy}/api/user/me", headers={"Authorization-PSK": first.psk}, timeout=10)),
                 ("data page", lambda: requests.get(f"{proxy}/api/data/rolling_view?limit=100&order=order_id",
                                                    headers={"Authorization-PSK": key}, timeout=10))]
        with Load(calls, threads=6) as load:
            time.sleep(2)
            for index, node in enumerate(nodes):
                if index == 1:
                    next_release_migration(storage.system_url)
                nginx.set_down(node.port)
                assert node.restart() == 0  # SIGTERM: drain, finish, exit 0; then the same node again, ready
                assert node.process.poll() is None
                nginx.set_down()
                time.sleep(1)
        assert all(node.process.poll() is None for node in nodes)
        assert load.failures() == []
        started, ended = load.results[0][0], load.results[-1][0]
        per_second = {}
        for when, what, outcome in load.results:
            per_second[int(when - started)] = per_second.get(int(when - started), 0) + 1
        assert all(per_second.get(second, 0) > 0 for second in range(int(ended - started))), "the load never stopped"
        assert {what for _, what, _ in load.results} == {"token", "psk", "data page"}
        for node in nodes[1:]:
            assert "the database schema is newer than this build's" in open(node.log_path).read()
        print(f"rolling restart: {len(load.results)} requests, none failed")
    finally:
        nginx.stop()
        for node in nodes:
            node.stop()
        storage.close()
