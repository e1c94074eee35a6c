"""python-keycloak's KeycloakAdmin, unmodified, for realms, users, clients, roles, role mappings, credentials and
keys — and its paging helper, which asks for pages of 100 until one comes back short, terminating on every list."""
import contextlib
import json
import signal
import uuid

import pytest
from keycloak import KeycloakAdmin, KeycloakOpenID
from keycloak.exceptions import KeycloakError

from conftest import ADMIN_PASSWORD


@contextlib.contextmanager
def within(seconds):
    """Fails instead of hanging when a paging loop never ends."""
    def expired(*_):
        raise TimeoutError(f"did not finish within {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def realm_admin(server):
    realm = "kc" + uuid.uuid4().hex[:6]
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD,
                          realm_name="master", user_realm_name="master")
    admin.create_realm(payload={"realm": realm, "enabled": True})
    admin.change_current_realm(realm)
    yield admin
    admin.change_current_realm("master")
    admin.delete_realm(realm)


def test_paging_terminates_on_every_list_and_honours_first_and_max(realm_admin):
    admin = realm_admin
    for index in range(130):
        admin.create_user(payload={"username": f"pager{index:03d}", "enabled": True, "attributes": {"team": ["blue" if index % 2 else "red"]}})
        admin.create_realm_role(payload={"name": f"role{index:03d}"})
    client_uuid = admin.create_client(payload={"clientId": "paged", "serviceAccountsEnabled": True})
    for index in range(3):
        admin.create_client_role(client_uuid, payload={"name": f"client-role{index}"})
    big = admin.get_realm_role("role000")
    users = admin.get_users()
    for user in users[:105]:
        admin.assign_realm_roles(user_id=user["id"], roles=[big])

    with within(60):
        assert len(admin.get_users()) == 130
        assert len(admin.get_users(query={"search": "pager1"})) == 30
        roles = admin.get_realm_roles()
        assert {f"role{index:03d}" for index in range(130)} <= {role["name"] for role in roles}
        assert len(roles) == 130 + 3  # default-roles-<realm>, offline_access and uma_authorization: deploy adds the nx1_* roles
        assert len(admin.get_realm_role_members("role000")) == 105
        assert [role["name"] for role in admin.get_realm_roles(search_text="role12")] == [f"role12{digit}" for digit in range(10)]
        # offline_access, uma_authorization and account's view-profile and manage-account
        assert len(admin.get_role_composites_by_id(admin.get_realm_role("default-roles-" + admin.connection.realm_name)["id"])) == 4
        assert len(admin.get_client_role_members(client_uuid, "client-role0")) == 0

    assert admin.get_realm_roles(query={"first": 1, "max": 1})[0]["name"] == sorted(role["name"] for role in roles)[1]
    assert admin.get_users(query={"first": 100, "max": 1})[0]["username"] == "pager100"
    assert admin.get_clients() and admin.connection.raw_get(
        f"admin/realms/{admin.connection.realm_name}/clients", first=100, max=1).json() == []
    assert admin.users_count() == 130
    assert admin.users_count(query={"search": "pager12"}) == 10
    assert admin.users_count(query={"username": "pager007", "exact": True}) == 1
    assert len(admin.get_users(query={"q": "team:blue"})) == 65
    brief = admin.get_users(query={"briefRepresentation": True, "max": 1})[0]
    assert "attributes" not in brief and "access" not in brief
    assert admin.get_user(admin.get_user_id("pager001"))["attributes"] == {"team": ["blue"]}


def test_users_credentials_and_role_mappings(realm_admin, server, seen_secrets):
    admin = realm_admin
    realm = admin.connection.realm_name
    user_id = admin.create_user(payload={"username": "dora", "email": "dora@example.com", "enabled": True}, exist_ok=False)
    with pytest.raises(KeycloakError) as exists:
        admin.create_user(payload={"username": "dora"}, exist_ok=False)
    assert exists.value.response_code == 409
    assert admin.get_user_id("DORA") == user_id
    admin.update_user(user_id, payload={"firstName": "Dora", "attributes": {"dept": ["ops", "data"]}})
    assert admin.get_user(user_id)["firstName"] == "Dora"
    assert admin.get_user(user_id)["attributes"]["dept"] == ["ops", "data"]

    assert admin.get_credentials(user_id) == []
    admin.set_user_password(user_id, "dora-Pa55word", temporary=False)
    seen_secrets.append("dora-Pa55word")
    credentials = admin.get_credentials(user_id)
    assert [c["type"] for c in credentials] == ["password"] and "secretData" not in credentials[0]
    assert "bcrypt" in credentials[0]["credentialData"]

    client_uuid = admin.create_client(payload={"clientId": "dora-app", "directAccessGrantsEnabled": True})
    secret = admin.get_client_secrets(client_uuid)["value"]
    seen_secrets.append(secret)
    login = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="dora-app", client_secret_key=secret)
    seen_secrets.append(login.token("dora", "dora-Pa55word")["access_token"])
    admin.delete_credential(user_id, credentials[0]["id"])
    assert admin.get_credentials(user_id) == []
    with pytest.raises(KeycloakError):
        login.token("dora", "dora-Pa55word")

    admin.create_realm_role(payload={"name": "reader", "description": "reads"})
    admin.create_realm_role(payload={"name": "writer"})
    admin.update_realm_role("reader", payload={"name": "reader", "description": "reads everything"})
    reader = admin.get_realm_role("reader")
    assert reader["description"] == "reads everything"
    assert admin.get_realm_role_by_id(reader["id"])["name"] == "reader"
    writer = admin.get_realm_role("writer")
    admin.add_composite_realm_roles_to_role("writer", [reader])
    assert [role["name"] for role in admin.get_composite_realm_roles_of_role("writer")] == ["reader"]
    assert admin.get_realm_role("writer")["composite"] is True

    admin.assign_realm_roles(user_id, [writer])
    assert "writer" in [role["name"] for role in admin.get_realm_roles_of_user(user_id)]
    assert "reader" not in [role["name"] for role in admin.get_realm_roles_of_user(user_id)]
    effective = [role["name"] for role in admin.get_composite_realm_roles_of_user(user_id)]
    assert {"writer", "reader", "offline_access", "uma_authorization"} <= set(effective)
    available = [role["name"] for role in admin.get_available_realm_roles_of_user(user_id)]
    # Keycloak lists what is not mapped directly: reader, reached through writer, can still be mapped on its own.
    assert "reader" in available and "writer" not in available and "offline_access" in available
    assert [user["username"] for user in admin.get_realm_role_members("writer")] == ["dora"]

    admin.create_client_role(client_uuid, payload={"name": "viewer"})
    admin.update_client_role(client_uuid, "viewer", payload={"name": "viewer", "description": "views"})
    viewer = admin.get_client_role(client_uuid, "viewer")
    assert viewer["description"] == "views" and viewer["clientRole"] is True
    assert admin.get_client_role_id(client_uuid, "viewer") == viewer["id"]
    assert [role["name"] for role in admin.get_available_client_roles_of_user(user_id, client_uuid)] == ["viewer"]
    admin.assign_client_role(user_id, client_uuid, [viewer])
    assert [role["name"] for role in admin.get_client_roles_of_user(user_id, client_uuid)] == ["viewer"]
    assert [role["name"] for role in admin.get_composite_client_roles_of_user(user_id, client_uuid)] == ["viewer"]
    assert [user["username"] for user in admin.get_client_role_members(client_uuid, "viewer")] == ["dora"]
    everything = admin.get_all_roles_of_user(user_id)
    assert "writer" in [role["name"] for role in everything["realmMappings"]]
    assert [role["name"] for role in everything["clientMappings"]["dora-app"]["mappings"]] == ["viewer"]

    admin.delete_client_roles_of_user(user_id, client_uuid, [viewer])
    assert admin.get_client_roles_of_user(user_id, client_uuid) == []
    admin.delete_client_role(client_uuid, "viewer")
    assert admin.get_client_roles(client_uuid) == []
    admin.delete_realm_roles_of_user(user_id, [writer])
    admin.remove_composite_realm_roles_to_role("writer", [reader])
    assert admin.get_composite_realm_roles_of_role("writer") == []
    admin.delete_realm_role("writer")
    with pytest.raises(KeycloakError) as missing:
        admin.get_realm_role("writer")
    assert missing.value.response_code == 404

    old = admin.get_client_secrets(client_uuid)["value"]
    new = admin.generate_client_secrets(client_uuid)["value"]
    seen_secrets.append(new)
    assert new != old and admin.get_client_secrets(client_uuid)["value"] == new
    admin.update_client(client_uuid, payload={"name": "Dora's app"})
    assert admin.get_client(client_uuid)["name"] == "Dora's app"
    assert admin.get_client_id("dora-app") == client_uuid
    admin.delete_client(client_uuid)
    admin.delete_user(user_id)
    assert admin.get_user_id("dora") is None


def test_realm_settings_and_keys(realm_admin):
    admin = realm_admin
    realm = admin.connection.realm_name
    admin.update_realm(realm, payload={"accessTokenLifespan": 900})
    assert admin.get_realm(realm)["accessTokenLifespan"] == 900
    keys = admin.get_keys()
    active_kid = keys["active"]["RS256"]
    listed = {key["kid"]: key for key in keys["keys"]}
    assert listed[active_kid]["status"] == "ACTIVE" and listed[active_kid]["publicKey"].startswith("MII")
    assert all("privateKey" not in key for key in keys["keys"])


def test_bad_paging_parameters_are_a_400(realm_admin):
    admin = realm_admin
    response = admin.connection.raw_get(f"admin/realms/{admin.connection.realm_name}/users", first="x")
    assert response.status_code == 400 and "first" in response.json()["errorMessage"]
    assert admin.connection.raw_get(f"admin/realms/{admin.connection.realm_name}/roles", max=-1).status_code == 200


def test_keycloaks_words_for_unknown_fields_missing_users_and_consents(realm_admin):
    from keycloak.exceptions import KeycloakGetError, KeycloakPostError, KeycloakPutError
    admin = realm_admin
    user = admin.create_user(payload={"username": "wordy" + uuid.uuid4().hex[:4], "enabled": True})
    with pytest.raises(KeycloakPutError, match="400: .*Unrecognized field .*wrong"):
        admin.update_user(user_id=user, payload={"wrong": "payload"})
    with pytest.raises(KeycloakPostError, match="Unrecognized field"):
        admin.create_user(payload={"username": "typo" + uuid.uuid4().hex[:4], "emial": "x@example.com"})
    with pytest.raises(KeycloakPostError, match="Unrecognized field"):
        admin.create_group(payload={"name": "g", "colour": "blue"})
    # What a GET returns goes back as it is.
    assert admin.update_user(user_id=user, payload=admin.get_user(user)) == {}
    with pytest.raises(KeycloakPutError, match='404: b\'{"error":"User not found"'):
        admin.set_user_password(user_id="does-not-exist", password="")
    assert admin.user_consents(user_id=user) == []
    with pytest.raises(KeycloakGetError, match='404: b\'{"error":"User not found"'):
        admin.user_consents(user_id="does-not-exist")


def test_the_realms_password_policy_in_keycloaks_words(server):
    from keycloak.exceptions import KeycloakPutError
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    realm = "pol" + uuid.uuid4().hex[:6]
    admin.create_realm(payload={"realm": realm, "enabled": True})
    try:
        admin.update_realm(realm, payload={"passwordPolicy": "length(12) and upperCase and passwordHistory(2)"})
        assert admin.get_realm(realm)["passwordPolicy"] == "length(12) and upperCase(1) and passwordHistory(2)"
        with pytest.raises(KeycloakPutError) as refused:
            admin.update_realm(realm, payload={"passwordPolicy": "hashIterations(27500)"})
        assert refused.value.response_code == 400 and b"hashIterations" in refused.value.response_body
        admin.change_current_realm(realm)
        user = admin.create_user(payload={"username": "pat", "enabled": True})
        with pytest.raises(KeycloakPutError) as refused:
            admin.set_user_password(user_id=user, password="short", temporary=False)
        assert refused.value.response_code == 400
        assert json.loads(refused.value.response_body) == {"error": "invalidPasswordMinLengthMessage",
                                                           "error_description": "Invalid password: minimum length 12."}
        admin.set_user_password(user_id=user, password="Long-enough-pass", temporary=False)
        with pytest.raises(KeycloakPutError, match="invalidPasswordHistoryMessage"):
            admin.set_user_password(user_id=user, password="Long-enough-pass", temporary=False)
        admin.update_realm(realm, payload={"passwordPolicy": ""})
        assert "passwordPolicy" not in admin.get_realm(realm)
        admin.set_user_password(user_id=user, password="short", temporary=False)
    finally:
        admin.change_current_realm("master")
        admin.delete_realm(realm)
