"""`nexusone dev-cert` and HTTPS with --tls-cert/--tls-key."""
import os
import subprocess
import tempfile

import requests

from conftest import BIN, Server


def test_https_with_a_dev_certificate():
    directory = tempfile.mkdtemp(prefix="nexusone-tls-")
    tls_dir = os.path.join(directory, "tls")
    subprocess.run([BIN, "dev-cert", "--directory", tls_dir], check=True, capture_output=True)
    cert, key = os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem")
    assert oct(os.stat(key).st_mode & 0o777) == "0o600"
    server = Server(directory, None, extra_args=["--no-demo"], tls=(cert, key))
    try:
        response = requests.get(server.base_url + "/api/health/ping", verify=cert)
        assert response.status_code == 200
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        discovery = requests.get(server.base_url + "/realms/master/.well-known/openid-configuration", verify=cert).json()
        assert discovery["issuer"] == server.base_url + "/realms/master"
    finally:
        server.stop()
