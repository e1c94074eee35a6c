"""Keycloak's realm layout and delegated administration through python-keycloak, unmodified: a new realm has Keycloak's
roles and clients, `realm-management`'s roles decide what a caller may do in the admin REST, and nobody hands out or
takes over more than they hold — on the storage this run uses."""
import json
import uuid

import jwt
import pytest
import requests
from keycloak import KeycloakAdmin, KeycloakOpenID, KeycloakOpenIDConnection
from keycloak.exceptions import KeycloakDeleteError, KeycloakGetError, KeycloakPostError, KeycloakPutError

from conftest import ADMIN_PASSWORD, throwaway_realm

KEYCLOAK_CLIENTS = {"account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console"}


@pytest.fixture()
def admin(server):
    with throwaway_realm(server, "del") as admin:
        yield admin


def service_account_with(server, admin, seen_secrets, *rights):
    """A confidential client whose service account holds these roles of realm-management, and an admin client signed
    in with its client credentials."""
    name = "desk" + uuid.uuid4().hex[:4]
    client = admin.create_client(payload={"clientId": name, "publicClient": False, "serviceAccountsEnabled": True})
    secret = admin.get_client_secrets(client)["value"]
    seen_secrets.append(secret)
    management = admin.get_client_id("realm-management")
    account = admin.get_client_service_account_user(client)["id"]
    admin.assign_client_role(account, management, [admin.get_client_role(management, right) for right in rights])
    connection = KeycloakOpenIDConnection(
        server_url=server.base_url + "/", realm_name=admin.connection.realm_name, client_id=name, client_secret_key=secret)
    connection.get_token()
    return KeycloakAdmin(connection=connection)


def make_user(admin, name, password="a-password-123"):
    return admin.create_user(payload={"username": name, "enabled": True, "credentials": [{"type": "password", "value": password}]})


def test_a_new_realm_has_keycloaks_roles_and_clients(admin):
    realm = admin.connection.realm_name
    assert sorted(role["name"] for role in admin.get_realm_roles()) == sorted([f"default-roles-{realm}", "offline_access", "uma_authorization"])
    clients = admin.get_clients()
    assert {client["clientId"] for client in clients} == KEYCLOAK_CLIENTS
    assert {client["name"] for client in clients} == {f"${{client_{name}}}" for name in KEYCLOAK_CLIENTS}

    management = admin.get_client_id("realm-management")
    rights = {role["name"] for role in admin.get_client_roles(management)}
    assert {"realm-admin", "manage-users", "view-users", "query-users", "manage-clients", "view-clients", "manage-realm", "view-realm",
            "view-events", "manage-events", "query-groups"} <= rights
    realm_admin = admin.get_client_role(management, "realm-admin")
    assert {role["name"] for role in admin.get_composite_client_roles_of_role(management, "realm-admin")} == rights - {"realm-admin"}
    assert realm_admin["composite"] is True
    assert {role["name"] for role in admin.get_composite_client_roles_of_role(management, "view-users")} == {"query-users", "query-groups"}

    # Every user holds the defaults: the two realm roles and account's self-service roles.
    assert {role["name"] for role in admin.get_realm_default_roles()} == {"offline_access", "uma_authorization"}
    account = admin.get_client_id("account")
    default_name = f"default-roles-{realm}"
    in_defaults = admin.connection.raw_get(f"admin/realms/{realm}/roles/{default_name}/composites/clients/{account}").json()
    assert {role["name"] for role in in_defaults} == {"view-profile", "manage-account"}
    assert {role["name"] for role in admin.get_composite_client_roles_of_role(account, "manage-account")} == {"manage-account-links"}


def test_keycloaks_own_confidential_clients_have_no_secret_to_sign_in_with(server, admin):
    for client_id in ("realm-management", "broker"):
        for secret in ("", "guess"):
            answer = requests.post(f"{server.base_url}/realms/{admin.connection.realm_name}/protocol/openid-connect/token",
                                   data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
            # Keycloak's own words for a client that cannot authenticate.
            assert answer.status_code == 401 and answer.json()["error"] == "unauthorized_client", answer.text


def test_a_service_account_with_manage_users_looks_after_people_and_nothing_else(server, admin, seen_secrets):
    desk = service_account_with(server, admin, seen_secrets, "manage-users")
    claims = jwt.decode(desk.connection.token["access_token"], options={"verify_signature": False})
    assert claims["resource_access"]["realm-management"]["roles"] == ["manage-users"]

    # People: create, read, change, reset a password, sign out, delete.
    user = desk.create_user(payload={"username": "newcomer", "enabled": True, "email": "newcomer@example.com"})
    assert desk.get_user(user)["username"] == "newcomer"
    desk.update_user(user, payload={"firstName": "New"})
    desk.set_user_password(user, "a-fresh-password-1", temporary=True)
    desk.user_logout(user)
    plain = desk.create_group(payload={"name": "book club"})
    desk.group_user_add(user, plain)
    assert [group["name"] for group in desk.get_user_groups(user)] == ["book club"]

    # Roles: never granted, neither directly nor through a group that carries them.
    offline = admin.get_realm_role("offline_access")
    with pytest.raises(KeycloakPostError, match="403"):
        desk.assign_realm_roles(user, [offline])
    assert [role["name"] for role in admin.get_realm_role_members("offline_access")] == []
    carrying = admin.create_group(payload={"name": "analysts"})
    admin.assign_group_realm_roles(carrying, [offline])
    with pytest.raises(KeycloakPutError, match="403"):
        desk.group_user_add(user, carrying)
    with pytest.raises(KeycloakPostError, match="403"):
        desk.create_user(payload={"username": "with-role", "realmRoles": ["offline_access"]})
    with pytest.raises(KeycloakPostError, match="403"):
        desk.create_realm_role(payload={"name": "made-up"})

    # Clients and the realm: not theirs.
    with pytest.raises(KeycloakGetError, match="403"):
        desk.get_clients()
    with pytest.raises(KeycloakPostError, match="403"):
        desk.create_client(payload={"clientId": "sneaky"})
    with pytest.raises(KeycloakPutError, match="403"):
        desk.update_realm(admin.connection.realm_name, payload={"displayName": "Mine now"})
    with pytest.raises(KeycloakGetError, match="403"):
        desk.get_events()

    desk.delete_user(user)
    with pytest.raises(KeycloakGetError, match="404"):
        admin.get_user(user)


def test_a_help_desk_cannot_take_over_an_administrator(server, admin, seen_secrets):
    desk = service_account_with(server, admin, seen_secrets, "manage-users")
    boss = make_user(admin, "boss")
    management = admin.get_client_id("realm-management")
    admin.assign_client_role(boss, management, [admin.get_client_role(management, "realm-admin")])

    with pytest.raises(KeycloakPutError, match="403"):
        desk.set_user_password(boss, "taken-over-123", temporary=False)
    with pytest.raises(KeycloakPutError, match="403"):
        desk.update_user(boss, payload={"email": "desk@example.com"})
    with pytest.raises(KeycloakDeleteError, match="403"):
        desk.delete_user(boss)
    with pytest.raises(KeycloakDeleteError, match="403"):
        desk.delete_client_roles_of_user(boss, management, [admin.get_client_role(management, "realm-admin")])
    # The boss still signs in with their own password.
    oidc = KeycloakOpenID(server_url=server.base_url + "/", realm_name=admin.connection.realm_name, client_id="admin-cli")
    assert oidc.token("boss", "a-password-123")["access_token"]


def test_granting_needs_the_rights_one_grants(server, admin, seen_secrets):
    realm_manager = service_account_with(server, admin, seen_secrets, "manage-users", "manage-realm")
    user = realm_manager.create_user(payload={"username": "analyst", "enabled": True})
    # Ordinary roles: yes — manage-users with manage-realm may grant them.
    realm_manager.create_realm_role(payload={"name": "reader"})
    realm_manager.assign_realm_roles(user, [realm_manager.get_realm_role("reader")])
    assert "reader" in {role["name"] for role in admin.get_realm_roles_of_user(user)}

    # Rights in administering the realm they lack: no — not directly, not through a composite, not through a group.
    management = admin.get_client_id("realm-management")
    realm_admin = admin.get_client_role(management, "realm-admin")
    with pytest.raises(KeycloakPostError, match="403"):
        realm_manager.assign_client_role(user, management, [realm_admin])
    with pytest.raises(KeycloakPostError, match="403"):
        realm_manager.add_composite_realm_roles_to_role("reader", [realm_admin])
    admins = admin.create_group(payload={"name": "admins"})
    admin.assign_group_client_roles(admins, management, [realm_admin])
    with pytest.raises(KeycloakPutError, match="403"):
        realm_manager.group_user_add(user, admins)
    # What they hold themselves, they may pass on.
    manage_users = admin.get_client_role(management, "manage-users")
    realm_manager.assign_client_role(user, management, [manage_users])
    assert [role["name"] for role in admin.get_client_roles_of_user(user, management)] == ["manage-users"]


def test_view_users_reads_and_changes_nothing(server, admin, seen_secrets):
    make_user(admin, "someone")
    viewer = service_account_with(server, admin, seen_secrets, "view-users")
    assert "someone" in {user["username"] for user in viewer.get_users()}
    with pytest.raises(KeycloakPostError, match="403"):
        viewer.create_user(payload={"username": "nope"})
    # Roles are readable by anyone who administers anything, as in Keycloak's console.
    assert viewer.get_realm_roles()


def test_a_deployed_realms_nx1_admin_holds_realm_admin(server, seen_secrets):
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    admin.change_current_realm(server.realm)
    management = admin.get_client_id("realm-management")
    composites = admin.connection.raw_get(f"admin/realms/{server.realm}/roles/nx1_admin/composites/clients/{management}").json()
    assert [role["name"] for role in composites] == ["realm-admin"]
    # Whoever holds nx1_admin administers the realm through it, clients included.
    name = "chief" + uuid.uuid4().hex[:4]
    chief = make_user(admin, name, "chief-password-123")
    try:
        admin.assign_realm_roles(chief, [admin.get_realm_role("nx1_admin")])
        own = KeycloakAdmin(server_url=server.base_url + "/", username=name, password="chief-password-123", realm_name=server.realm,
                            user_realm_name=server.realm)
        own.connection.get_token()
        seen_secrets.append(own.connection.token["access_token"])
        claims = jwt.decode(own.connection.token["access_token"], options={"verify_signature": False})
        assert "realm-admin" in claims["resource_access"]["realm-management"]["roles"]
        assert {client["clientId"] for client in own.get_clients()} >= KEYCLOAK_CLIENTS
    finally:
        admin.delete_user(chief)


def test_accounts_roles_govern_managing_ones_own_account(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    make_user(admin, "self", "self-password-123")
    oidc = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="admin-cli")

    def create_psk():
        token = oidc.token("self", "self-password-123")["access_token"]
        seen_secrets.append(token)
        return requests.post(f"{server.base_url}/api/user/psk", headers={"Authorization": "Bearer " + token}, json={"description": "mine"})

    created = create_psk()
    assert created.status_code in (200, 201), created.text
    seen_secrets.append(created.json()["psk"])
    requests.delete(f"{server.base_url}/api/user/psk", headers={"Authorization": "Bearer " + oidc.token("self", "self-password-123")["access_token"]})

    # Without account's manage-account (taken out of the realm's default roles), nobody manages their own account.
    account = admin.get_client_id("account")
    default_id = admin.get_default_realm_role_id()
    admin.connection.raw_delete(f"admin/realms/{realm}/roles-by-id/{default_id}/composites",
                                data=json.dumps([admin.get_client_role(account, "manage-account")])).raise_for_status()
    refused = create_psk()
    assert refused.status_code == 403 and "manage-account" in refused.text, refused.text


def test_manage_clients_cannot_take_over_keycloaks_clients_or_the_roles_everyone_holds(server, admin, seen_secrets):
    mc = service_account_with(server, admin, seen_secrets, "manage-clients")
    management, account = admin.get_client_id("realm-management"), admin.get_client_id("account")
    # Keycloak's own clients keep their names and stay; nobody takes one of their names.
    for client in (management, account):
        representation = mc.get_client(client)
        with pytest.raises(KeycloakPutError, match="400"):
            mc.update_client(client, {**representation, "clientId": "renamed"})
        with pytest.raises(KeycloakDeleteError, match="400"):
            mc.delete_client(client)
    fake = mc.create_client(payload={"clientId": "fake", "publicClient": True})
    with pytest.raises(KeycloakPutError, match="400"):
        mc.update_client(fake, {**mc.get_client(fake), "clientId": "realm-management"})
    with pytest.raises(KeycloakPostError, match="409"):
        mc.create_client(payload={"clientId": "account", "publicClient": True})
    # Changing what account's roles contain gives roles to everyone: that is granting, which manage-clients may not.
    mc.create_client_role(fake, payload={"name": "realm-admin"})
    for child in (admin.get_realm_role("offline_access"), mc.get_client_role(fake, "realm-admin")):
        with pytest.raises(KeycloakPostError, match="403"):
            mc.add_composite_client_roles_to_role(account, "view-profile", [child])
    # Keycloak's client roles keep their names.
    for role in ("manage-account", "view-profile"):
        with pytest.raises(KeycloakPutError, match="400"):
            admin.update_client_role(account, role, {"name": role + "-x"})
        with pytest.raises(KeycloakDeleteError, match="400"):
            admin.delete_client_role(account, role)


def test_a_privileged_service_accounts_secret_is_only_for_those_who_hold_as_much(server, admin, seen_secrets):
    strong = service_account_with(server, admin, seen_secrets, "realm-admin")
    assert strong.get_users() is not None
    mc = service_account_with(server, admin, seen_secrets, "manage-clients")
    strong_id = admin.get_client_id(strong.connection.client_id)
    with pytest.raises(KeycloakGetError, match="403"):
        mc.get_client_secrets(strong_id)
    with pytest.raises(KeycloakPostError, match="403"):
        mc.generate_client_secrets(strong_id)
    with pytest.raises(KeycloakDeleteError, match="403"):
        mc.delete_client(strong_id)


def test_role_names_and_role_mappers_cannot_pass_for_others(server, admin, seen_secrets):
    admin.create_realm_role(payload={"name": "plain-role"})
    with pytest.raises(KeycloakPutError, match="400"):
        admin.update_realm_role("plain-role", {"name": "nx1_superadmin"})
    with pytest.raises(KeycloakPostError, match="400"):
        admin.create_realm_role(payload={"name": "nx1\u200b_admin"})
    client, _ = confidential_pair(admin, seen_secrets)
    for mapper, prefix_key in (("oidc-usermodel-realm-role-mapper", "usermodel.realmRoleMapping.rolePrefix"),
                               ("oidc-usermodel-client-role-mapper", "usermodel.clientRoleMapping.rolePrefix")):
        claim = "realm_access.roles" if "realm" in mapper else "resource_access.${client_id}.roles"
        with pytest.raises(KeycloakPostError, match="400"):
            admin.add_mapper_to_client(client, {"name": "prefixed", "protocol": "openid-connect", "protocolMapper": mapper,
                                                "config": {"claim.name": claim, prefix_key: "nx1_", "access.token.claim": "true"}})


def test_a_token_too_large_to_read_is_never_issued(server, admin, seen_secrets):
    client, secret = confidential_pair(admin, seen_secrets)
    for index in range(5):
        admin.add_mapper_to_client(client, {"name": f"pad{index}", "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-claim-mapper",
                                            "config": {"claim.name": f"pad{index}", "claim.value": "y" * 4000, "access.token.claim": "true"}})
    answer = requests.post(f"{server.base_url}/realms/{admin.connection.realm_name}/protocol/openid-connect/token",
                           data={"grant_type": "client_credentials", "client_id": "pair", "client_secret": secret})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request", answer.text


def test_smtp_secrets_are_masked_whatever_their_name(admin):
    realm = admin.connection.realm_name
    admin.update_realm(realm, payload={"smtpServer": {"host": "smtp.example.com", "Password": "clear-1", "authSecret": "clear-2", "port": 587}})
    smtp = admin.get_realm(realm)["smtpServer"]
    assert smtp == {"host": "smtp.example.com", "Password": "**********", "authSecret": "**********", "port": "587"}
    with pytest.raises(KeycloakPutError, match="400"):
        admin.update_realm(realm, payload={"smtpServer": {"auth": {"password": "nested"}}})


def confidential_pair(admin, seen_secrets):
    client = admin.create_client(payload={"clientId": "pair", "publicClient": False, "serviceAccountsEnabled": True})
    secret = admin.get_client_secrets(client)["value"]
    seen_secrets.append(secret)
    return client, secret
