"""Starts a real `nexusone` server on 127.0.0.1 for the client suites.

Environment:
  NEXUSONE_BIN       the server binary (default: .build/debug/nexusone)
  TEST_POSTGRES_URL  when set, the server uses fresh PostgreSQL databases made from this URL (system database and
                     warehouse); else SQLite
"""
import base64
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from urllib.parse import urlparse, urlunparse

import pytest
import requests
from keycloak import KeycloakAdmin

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("NEXUSONE_BIN", os.path.join(ROOT, ".build", "debug", "nexusone"))
ADMIN_PASSWORD = "client-suite-admin-" + uuid.uuid4().hex[:8]
METRICS_TOKEN = "client-suite-metrics-" + uuid.uuid4().hex[:8]



@contextlib.contextmanager
def throwaway_realm(server, prefix):
    """The server administrator's python-keycloak client, switched to a new realm that is deleted afterwards."""
    realm = prefix + uuid.uuid4().hex[:6]
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    admin.create_realm(payload={"realm": realm, "enabled": True})
    admin.change_current_realm(realm)
    try:
        yield admin
    finally:
        admin.change_current_realm("master")
        admin.delete_realm(realm)

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not start")


def psql(url, statement):
    subprocess.run(["psql", url, "-qc", statement], check=True, capture_output=True)


def reader_role(url):
    """A login role that may only read the tables of the database at `url` (as docs/security.md tells operators to
    make one): `serve` refuses a warehouse role that can do more. Returns its URL and its name, to drop afterwards."""
    role = "nx1_reader_" + uuid.uuid4().hex[:10]
    made = subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), "reader", url, role], check=True, capture_output=True, text=True)
    return made.stdout.strip(), role


class Server:
    """A running server, what its first start printed, and every secret seen (for the leak check)."""

    def __init__(self, directory, database_url, extra_args=(), tls=None, extra_env=None):
        self.directory = directory
        self.port = free_port()
        scheme = "https" if tls else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.log_path = os.path.join(directory, "server.log")
        self.stdout_path = os.path.join(directory, "stdout.txt")
        # Debug level on purpose: the leak check then proves that no level logs a secret.
        args = [BIN, "serve", "--port", str(self.port), "--data-dir", directory, "--admin-password", ADMIN_PASSWORD,
                "--log-level", "debug"]
        if database_url:
            args += ["--database-url", database_url]
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        args += list(extra_args)
        # No drain by default: every test stops its servers, and 5 s each would add minutes; test_operations drains.
        env = {**os.environ, "NEXUSONE_AUTH_FAILURE_LIMIT": "1000", "NEXUSONE_METRICS_TOKEN": METRICS_TOKEN, "NEXUSONE_SHUTDOWN_GRACE": "0",
               **(extra_env or {})}
        self._args, self._env, self._tls = args, env, tls
        self._start()
        self.secrets = [ADMIN_PASSWORD, METRICS_TOKEN]
        self.banner = open(self.stdout_path).read()
        self.realm = self._field("Realm")
        self.client_id = self._field("Client ID")
        self.client_secret = self._field("Client secret")
        self.psk = self._field("PSK")
        admin = re.search(r"Administrator: (\S+) / (\S+)", self.banner)
        self.realm_admin = (admin.group(1), admin.group(2)) if admin else None
        for value in (self.client_secret, self.psk, self.realm_admin[1] if self.realm_admin else None):
            if value:
                self.secrets.append(value)

    def _start(self):
        self.process = subprocess.Popen(self._args, stdout=open(self.stdout_path, "a"), stderr=open(self.log_path, "a"), env=self._env)
        if self._tls:
            self._wait_tls(self._tls)
        else:
            wait_until_up(self.base_url + "/api/health/ping", self.process)

    def restart(self):
        """The same server again, on the same port and storage (its issuer URLs stay the same); returns how the
        stopped one exited."""
        code = self.stop()
        self._start()
        return code

    def _wait_tls(self, tls):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base_url + "/api/health/ping", verify=tls[0], timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("TLS server did not start")

    def _field(self, name):
        match = re.search(rf"^\s+{re.escape(name)}:\s+(\S+)", self.banner, re.M)
        return match.group(1) if match else None

    def metrics(self):
        return requests.get(self.base_url + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
                            verify=False if self.base_url.startswith("https") else True)

    @property
    def token_url(self):
        return f"{self.base_url}/realms/{self.realm}/protocol/openid-connect/token"

    def stop(self):
        """SIGTERM, then SIGKILL if it has not exited within 15 s; returns the exit status."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class Deployment:
    """A server on fresh storage: SQLite in a temporary directory, or — when TEST_POSTGRES_URL is set — a fresh
    PostgreSQL system database and a PostgreSQL warehouse holding the demo data set."""

    def __init__(self, prefix="nexusone-clients-", extra_env=None, tls=None, extra_args=()):
        self.directory = tempfile.mkdtemp(prefix=prefix)
        self.base = os.environ.get("TEST_POSTGRES_URL")
        self.databases = []
        self.roles = []
        database_url, extra = None, []
        if self.base:
            database_url = self._database("nx1_clients_")
            warehouse_url = self._database("nx1_warehouse_")
            subprocess.run([BIN, "warehouse", "load-demo", "--data-dir", self.directory, "--warehouse-url", warehouse_url],
                           check=True, capture_output=True)
            reader_url, role = reader_role(warehouse_url)
            self.roles.append(role)
            extra = ["--warehouse-url", reader_url]
        extra += list(extra_args)
        self.server = Server(self.directory, database_url, extra_args=extra, extra_env=extra_env, tls=tls)

    def _database(self, prefix):
        name = prefix + uuid.uuid4().hex[:12]
        psql(self.base, f"CREATE DATABASE {name}")
        self.databases.append(name)
        return urlunparse(urlparse(self.base)._replace(path="/" + name))

    def close(self):
        self.server.stop()
        for name in self.databases:
            psql(self.base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for role in self.roles:
            psql(self.base, f"DROP ROLE IF EXISTS {role}")
        if os.environ.get("KEEP_TEST_DATA") is None:
            shutil.rmtree(self.directory, ignore_errors=True)


class SharedPostgres:
    """One deployment's storage for several nodes (tests marked `postgres`): a fresh system database, a warehouse with
    the demo data set, and what every node behind one load balancer shares — the encryption key and the public URL
    (so a token from one node is valid on the others)."""

    def __init__(self, prefix):
        self.base = os.environ["TEST_POSTGRES_URL"]
        self.names = [prefix + uuid.uuid4().hex[:10], prefix + "wh_" + uuid.uuid4().hex[:10]]
        for name in self.names:
            psql(self.base, f"CREATE DATABASE {name}")
        self.system_url, self.warehouse_url = (urlunparse(urlparse(self.base)._replace(path="/" + name)) for name in self.names)
        subprocess.run([BIN, "warehouse", "load-demo", "--data-dir", tempfile.mkdtemp(), "--warehouse-url", self.warehouse_url],
                       check=True, capture_output=True)
        self.reader_url, self.role = reader_role(self.warehouse_url)
        self.env = {"NEXUSONE_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
        self.args = ["--warehouse-url", self.reader_url, "--public-url", "http://nexusone.test"]

    def node(self, prefix, first=True, extra_env=None):
        """A server on this storage; only the first makes the first deployment."""
        return Server(tempfile.mkdtemp(prefix=prefix), self.system_url, extra_args=self.args + ([] if first else ["--no-demo"]),
                      extra_env={**self.env, **(extra_env or {})})

    def close(self):
        for name in self.names:
            psql(self.base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(self.base, f"DROP ROLE IF EXISTS {self.role}")


@pytest.fixture(scope="session")
def server():
    deployment = Deployment()
    yield deployment.server
    deployment.close()


@pytest.fixture(scope="session")
def seen_secrets(server):
    """Tests add every secret they handle here; the last test greps storage and logs for them."""
    return server.secrets
