"""Unmodified python-keycloak against the server."""
import uuid

from keycloak import KeycloakAdmin, KeycloakOpenID


def openid(server, client_id=None, secret=None):
    return KeycloakOpenID(server_url=server.base_url + "/", realm_name=server.realm,
                          client_id=client_id or server.client_id, client_secret_key=secret)


def admin(server, realm="master"):
    from conftest import ADMIN_PASSWORD
    return KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD,
                         realm_name=realm, user_realm_name="master")


def test_well_known_and_client_credentials(server, seen_secrets):
    client = openid(server, secret=server.client_secret)
    assert client.well_known()["issuer"] == f"{server.base_url}/realms/{server.realm}"
    token = client.token(grant_type="client_credentials")
    seen_secrets.append(token["access_token"])
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 600
    decoded = client.decode_token(token["access_token"])
    assert decoded["azp"] == server.client_id
    info = client.introspect(token["access_token"])
    assert info["active"] is True
    assert info["client_id"] == server.client_id


def test_keycloak_admin_creates_realm_client_user_and_role(server, seen_secrets):
    realm = "py" + uuid.uuid4().hex[:6]
    master = admin(server)
    master.create_realm(payload={"realm": realm, "enabled": True})
    assert realm in [r["realm"] for r in master.get_realms()]
    master.change_current_realm(realm)
    client_uuid = master.create_client(payload={"clientId": "reports", "serviceAccountsEnabled": True,
                                                "directAccessGrantsEnabled": True})
    assert master.get_client_id("reports") == client_uuid
    secret = master.get_client_secrets(client_uuid)["value"]
    seen_secrets.append(secret)
    assert len(secret) == 32
    user_id = master.create_user(payload={"username": "carol", "email": "carol@example.com", "enabled": True,
                                          "credentials": [{"type": "password", "value": "carol-Pa55word", "temporary": False}]})
    seen_secrets.append("carol-Pa55word")
    master.create_realm_role(payload={"name": "analyst", "description": "reads reports"}, skip_exists=True)
    role = master.get_realm_role("analyst")
    master.assign_realm_roles(user_id=user_id, roles=[role])
    assert "analyst" in [r["name"] for r in master.get_realm_roles_of_user(user_id)]

    carol = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="reports", client_secret_key=secret)
    token = carol.token("carol", "carol-Pa55word")
    seen_secrets.append(token["access_token"])
    seen_secrets.append(token["refresh_token"])
    assert "analyst" in carol.decode_token(token["access_token"])["realm_access"]["roles"]
    assert carol.userinfo(token["access_token"])["preferred_username"] == "carol"
    refreshed = carol.refresh_token(token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    assert carol.introspect(refreshed["access_token"])["active"] is True
    carol.logout(refreshed["refresh_token"])
    assert carol.introspect(refreshed["access_token"]) == {"active": False}
