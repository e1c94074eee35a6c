"""`nexusone backup` and `nexusone restore` with the real CLI: a snapshot of a live SQLite system database taken while
users are being created, restored into a new data directory, serves everything acknowledged before the backup began;
restore refuses damaged, foreign and too-new files; PostgreSQL gets the pg_dump way (operations.md "Backup")."""
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import threading
import time
import uuid

import requests

from conftest import ADMIN_PASSWORD, BIN, Server


def nexusone(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


def master_token(server):
    return requests.post(f"{server.base_url}/realms/master/protocol/openid-connect/token",
                         data={"grant_type": "password", "client_id": "admin-cli", "username": "admin",
                               "password": ADMIN_PASSWORD}).json()["access_token"]


def create_user(server, admin, username, password):
    return requests.post(f"{server.base_url}/admin/realms/{server.realm}/users", headers={"Authorization": f"Bearer {admin}"},
                         json={"username": username, "enabled": True, "credentials": [{"value": password}]})


def usernames(server, admin, realm):
    users = requests.get(f"{server.base_url}/admin/realms/{realm}/users?max=10000", headers={"Authorization": f"Bearer {admin}"}).json()
    return {user["username"] for user in users}


def test_backup_of_a_live_database_restores_everything_acknowledged_before_it_began(seen_secrets):
    directory = tempfile.mkdtemp(prefix="nexusone-backup-")
    server = Server(directory, None)  # SQLite: the one system database `backup` copies
    restored_dir = tempfile.mkdtemp(prefix="nexusone-restored-")
    backup = os.path.join(tempfile.mkdtemp(prefix="nexusone-backup-files-"), "nexusone.sqlite")
    restored = None
    try:
        admin = master_token(server)
        password = "before-" + uuid.uuid4().hex
        seen_secrets.append(password)
        assert create_user(server, admin, "before_backup", password).status_code == 201

        acknowledged, stop = [], threading.Event()

        def writer():
            while not stop.is_set():
                name = "live_" + uuid.uuid4().hex[:12]
                if create_user(server, admin, name, "x-" + uuid.uuid4().hex).status_code == 201:
                    acknowledged.append((time.time(), name))

        threads = [threading.Thread(target=writer, daemon=True) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        began = time.time()
        result = nexusone("backup", "--data-dir", directory, "--output", backup)
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert result.returncode == 0, result.stderr
        assert "Backed up to" in result.stdout and "encryption key" in result.stdout
        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
        before = {name for when, name in acknowledged if when < began}
        assert before, "users were being created while the backup ran"

        refused = nexusone("backup", "--data-dir", directory, "--output", backup)
        assert refused.returncode != 0 and "exists already" in refused.stderr
        # Restoring under a running server would change the data under its caches: refused, nothing changed.
        refused = nexusone("restore", "--data-dir", directory, "--input", backup)
        assert refused.returncode != 0 and "in use by a running server" in refused.stderr, refused.stderr
        assert create_user(server, admin, "after_refused_restore", "x-" + uuid.uuid4().hex).status_code == 201
        assert "after_refused_restore" in usernames(server, admin, server.realm)
        assert server.stop() == 0

        # A new machine: the backup and the encryption key, nothing else.
        shutil.copy(os.path.join(directory, "encryption.key"), restored_dir)
        result = nexusone("restore", "--data-dir", restored_dir, "--input", backup, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert '"schema_version"' in result.stdout
        restored = Server(restored_dir, None)
        admin = master_token(restored)
        names = usernames(restored, admin, server.realm)
        # The restored server found its realm in place: it made no first deployment.
        assert restored.client_secret is None
        token_url = f"{restored.base_url}/realms/{server.realm}/protocol/openid-connect/token"
        assert "before_backup" in names and before <= names
        assert names - {"before_backup"} <= {name for _, name in acknowledged} | names_of_deployment(names)
        signed_in = requests.post(token_url, data={"grant_type": "password", "client_id": "admin-cli",
                                                            "username": "before_backup", "password": password})
        assert signed_in.status_code == 200, "password hashes came across"
        client = requests.post(token_url, data={"grant_type": "client_credentials", "client_id": server.client_id,
                                                        "client_secret": server.client_secret})
        assert client.status_code == 200, "sealed client secrets open with the same encryption key"
        psk = requests.get(f"{restored.base_url}/api/user/me", headers={"Authorization-PSK": server.psk})
        assert psk.status_code == 200, "PSKs came across"
    finally:
        server.stop()
        if restored:
            restored.stop()


def names_of_deployment(names):
    """The realm administrator (and service account) the first start made, whatever they are called."""
    return {name for name in names if not name.startswith("live_")}


def test_restore_refuses_damaged_foreign_and_too_new_files_and_changes_nothing():
    directory = tempfile.mkdtemp(prefix="nexusone-restore-")
    files = tempfile.mkdtemp(prefix="nexusone-restore-files-")
    assert nexusone("migrate", "--data-dir", directory).returncode == 0
    good = os.path.join(files, "good.sqlite")
    assert nexusone("backup", "--data-dir", directory, "--output", good).returncode == 0

    damaged = os.path.join(files, "damaged.sqlite")
    shutil.copy(good, damaged)
    with open(damaged, "r+b") as file:
        file.seek(4096 + 100)
        file.write(os.urandom(4096))
    foreign = os.path.join(files, "foreign.sqlite")
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    newer = os.path.join(files, "newer.sqlite")
    shutil.copy(good, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'From the future', 0)")
    text = os.path.join(files, "text.sqlite")
    with open(text, "w") as file:
        file.write("not a database at all\n" * 100)
    # Objects this build does not make would run inside the server: a trigger that makes every new user an
    # administrator, and the same hidden behind a name SQLite reserves (it loads such a name from a file all the same).
    escalating = os.path.join(files, "escalating.sqlite")
    shutil.copy(good, escalating)
    with sqlite3.connect(escalating) as connection:
        connection.execute("CREATE TRIGGER every_user_an_admin AFTER INSERT ON users BEGIN SELECT 1; END")
    disguised = os.path.join(files, "disguised.sqlite")
    shutil.copy(good, disguised)
    with sqlite3.connect(disguised) as connection:
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                           "('trigger', 'sqlite_evil', 'users', 0, 'CREATE TRIGGER sqlite_evil AFTER INSERT ON users BEGIN SELECT 1; END')")
    changed = os.path.join(files, "changed.sqlite")
    shutil.copy(good, changed)
    with sqlite3.connect(changed) as connection:
        connection.execute("CREATE INDEX users_by_email ON users (email)")

    target = os.path.join(directory, "nexusone.sqlite")
    before = open(target, "rb").read()
    for path, reason in [(damaged, "integrity"), (foreign, "not a NexusOne"), (newer, "schema version 9999"), (text, "integrity"),
                         (os.path.join(files, "missing.sqlite"), "no SQLite database"),
                         (escalating, "holds trigger every_user_an_admin"), (disguised, "holds trigger sqlite_evil"),
                         (changed, "holds index users_by_email")]:
        result = nexusone("restore", "--data-dir", directory, "--input", path)
        assert result.returncode != 0, path
        assert reason in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2, result.stderr
    assert open(target, "rb").read() == before


def test_postgresql_backup_and_restore_print_the_pg_dump_way_without_the_password():
    url = "postgres://nexusone:very-secret-pw@127.0.0.1:1/nexusone"
    for command in (["backup", "--output", "/tmp/never-written.sqlite"], ["restore", "--input", "/tmp/never-read.sqlite"]):
        result = nexusone(*command, "--database-url", url)
        assert result.returncode != 0
        assert "pg_dump --format=custom" in result.stdout and "pg_restore" in result.stdout
        assert "very-secret-pw" not in result.stdout + result.stderr
        assert "postgres://nexusone@127.0.0.1:1/nexusone" in result.stdout
    assert not os.path.exists("/tmp/never-written.sqlite")
