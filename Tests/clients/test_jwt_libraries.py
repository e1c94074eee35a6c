"""Tokens verify with independent JOSE libraries against the published JWKS."""
import jwt
import requests
from jwcrypto import jwk, jwt as jwcrypto_jwt

from conftest import Deployment


def service_token(server):
    response = requests.post(server.token_url, data={
        "grant_type": "client_credentials", "scope": "profile",
        "client_id": server.client_id, "client_secret": server.client_secret})
    response.raise_for_status()
    return response.json()["access_token"]


def test_pyjwt_verifies_against_certs(server, seen_secrets):
    token = service_token(server)
    seen_secrets.append(token)
    certs_url = f"{server.base_url}/realms/{server.realm}/protocol/openid-connect/certs"
    signing_key = jwt.PyJWKClient(certs_url).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, signing_key.key, algorithms=["RS256"], audience="account",
                        issuer=f"{server.base_url}/realms/{server.realm}")
    assert claims["preferred_username"] == f"service-account-{server.client_id.lower()}"
    assert claims["typ"] == "Bearer"
    assert claims["azp"] == server.client_id
    roles = claims["realm_access"]["roles"]
    for role in ["nx1_app_manager", "nx1_ask", "nx1_engineer", "nx1_ingest", "nx1_monitor", "nx1_monitor_admin"]:
        assert role in roles
    assert "nx1_admin" not in roles


def test_jwcrypto_verifies_against_certs(server):
    token = service_token(server)
    keys = jwk.JWKSet.from_json(requests.get(
        f"{server.base_url}/realms/{server.realm}/protocol/openid-connect/certs").text)
    verified = jwcrypto_jwt.JWT(jwt=token, key=keys, expected_type="JWS")
    assert '"typ":"Bearer"' in verified.claims.replace(" ", "")


def test_discovery_issuer_equals_token_issuer(server):
    discovery = requests.get(f"{server.base_url}/realms/{server.realm}/.well-known/openid-configuration").json()
    token = service_token(server)
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == discovery["issuer"]
    assert discovery["token_endpoint"] == server.token_url
    assert "S256" in discovery["code_challenge_methods_supported"]
    assert set(discovery["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}


def verify_with_pyjwt_and_jwcrypto(server):
    token = service_token(server)
    certs_url = f"{server.base_url}/realms/{server.realm}/protocol/openid-connect/certs"
    signing_key = jwt.PyJWKClient(certs_url).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, signing_key.key, algorithms=["RS256"], audience="account", issuer=f"{server.base_url}/realms/{server.realm}")
    keys = jwk.JWKSet.from_json(requests.get(certs_url).text)
    jwcrypto_jwt.JWT(jwt=token, key=keys, expected_type="JWS")
    header = jwt.get_unverified_header(token)
    assert list(header) == ["alg", "typ", "kid"] and header["alg"] == "RS256"
    return claims


def test_rs256_signed_through_openssl_verifies(server):
    """The default: RS256 through the system's libcrypto (docs/performance.md); the server says so at start."""
    assert verify_with_pyjwt_and_jwcrypto(server)["azp"] == server.client_id
    assert "RS256 tokens are signed through openssl" in open(server.log_path).read()


def test_rs256_signed_through_boringssl_fallback_verifies():
    """NEXUSONE_RSA_SIGNER=boringssl: what a machine without libcrypto runs; clients cannot tell the difference."""
    deployment = Deployment(prefix="nexusone-boringssl-", extra_env={"NEXUSONE_RSA_SIGNER": "boringssl"})
    try:
        assert verify_with_pyjwt_and_jwcrypto(deployment.server)["azp"] == deployment.server.client_id
        assert "RS256 tokens are signed through boringssl" in open(deployment.server.log_path).read()
    finally:
        deployment.close()
