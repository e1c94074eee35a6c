"""authlib's OAuth 2.0 client against the token endpoint."""
from authlib.integrations.requests_client import OAuth2Session


def test_client_credentials_with_basic_and_post(server, seen_secrets):
    for method in ("client_secret_basic", "client_secret_post"):
        session = OAuth2Session(server.client_id, server.client_secret, token_endpoint_auth_method=method, scope="profile")
        token = session.fetch_token(server.token_url, grant_type="client_credentials")
        seen_secrets.append(token["access_token"])
        assert token["token_type"] == "Bearer"
        assert token["scope"] == "email openid profile"
        me = session.get(f"{server.base_url}/api/user/me")
        assert me.status_code == 200
        assert me.json()["auth"] == "bearer"
