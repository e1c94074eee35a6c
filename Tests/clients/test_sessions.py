"""Sessions through python-keycloak's KeycloakAdmin, unmodified: a user's and a client's, the per-client counts, and
ending one — after which its refresh token says Keycloak's words."""
import uuid

import pytest
import requests
from keycloak import KeycloakAdmin, KeycloakOpenID
from keycloak.exceptions import KeycloakDeleteError, KeycloakGetError, KeycloakPostError

from conftest import ADMIN_PASSWORD


def test_sessions_are_listed_counted_and_ended_as_keycloak_does(server, seen_secrets):
    realm = "ses" + uuid.uuid4().hex[:6]
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    assert len(admin.get_sessions(user_id=admin.get_user_id("admin"))) >= 1, "the admin's own sign-in is a session"
    admin.create_realm(payload={"realm": realm, "enabled": True})
    admin.change_current_realm(realm)
    try:
        user = admin.create_user(payload={"username": "sam", "enabled": True,
                                          "credentials": [{"type": "password", "value": "sam-password-1", "temporary": False}]})
        client = admin.get_client_id("admin-cli")
        assert admin.get_sessions(user_id=user) == []
        assert admin.get_client_all_sessions(client_id=client) == []
        oidc = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="admin-cli")
        first = oidc.token("sam", "sam-password-1")
        second = oidc.token("sam", "sam-password-1")
        seen_secrets.extend([first["access_token"], first["refresh_token"], second["refresh_token"]])

        sessions = admin.get_sessions(user_id=user)
        assert {session["id"] for session in sessions} == {first["session_state"], second["session_state"]}
        for session in sessions:
            assert session["username"] == "sam" and session["userId"] == user and session["ipAddress"] == "127.0.0.1"
            assert session["clients"] == {client: "admin-cli"} and session["start"] <= session["lastAccess"]
        assert len(admin.get_client_all_sessions(client_id=client)) == 2
        assert len(admin.get_client_all_sessions(client_id=client, query={"first": 1, "max": 5})) == 1
        assert {"id": client, "clientId": "admin-cli", "active": "2", "offline": "0"} in admin.get_client_sessions_stats()
        with pytest.raises(KeycloakGetError, match='404: b\'{"error":"User not found"'):
            admin.get_sessions(user_id="bad")
        with pytest.raises(KeycloakGetError, match='404: b\'{"error":"Could not find client"'):
            admin.get_client_all_sessions(client_id="bad")

        # Ending one session ends its refresh token only; the other session goes on.
        assert admin.connection.raw_delete(f"admin/realms/{realm}/sessions/{first['session_state']}").status_code == 204
        with pytest.raises(KeycloakPostError, match="Session not active"):
            oidc.refresh_token(first["refresh_token"])
        refreshed = oidc.refresh_token(second["refresh_token"])
        seen_secrets.append(refreshed["refresh_token"])
        assert [session["id"] for session in admin.get_sessions(user_id=user)] == [second["session_state"]]
        gone = admin.connection.raw_delete(f"admin/realms/{realm}/sessions/{first['session_state']}")
        assert (gone.status_code, gone.json()) == (404, {"error": "Session not found"})

        # Another realm's administrator cannot end this realm's session by its id.
        other = admin.connection.raw_delete(f"admin/realms/master/sessions/{second['session_state']}")
        assert other.status_code == 404
        assert len(admin.get_sessions(user_id=user)) == 1

        # Signing the user out ends every session; a refresh then says the session is not active.
        admin.user_logout(user_id=user)
        assert admin.get_sessions(user_id=user) == []
        with pytest.raises(KeycloakPostError, match="Session not active"):
            oidc.refresh_token(refreshed["refresh_token"])
    finally:
        admin.change_current_realm("master")
        admin.delete_realm(realm)


def test_unknown_admin_paths_answer_in_keycloaks_shape(server):
    token = requests.post(f"{server.base_url}/realms/master/protocol/openid-connect/token",
                          data={"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": ADMIN_PASSWORD}).json()["access_token"]
    response = requests.get(f"{server.base_url}/admin/realms/master/no-such-thing", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (404, {"error": "HTTP 404 Not Found"})
    assert requests.get(f"{server.base_url}/api/no-such-thing").json() == {"detail": "Not Found"}, "the API keeps FastAPI's shape"
