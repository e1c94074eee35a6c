"""Keycloak's configuration model through python-keycloak and plain HTTP, as Terraform and keycloak-config-cli use it:
the realm representation round-trips, client scopes and protocol mappers decide a token's scope and claims, and
partial import and export work — on the storage this run uses."""

import jwt
import pytest
import requests
from keycloak import KeycloakAdmin, KeycloakOpenID
from keycloak.exceptions import KeycloakPostError, KeycloakPutError

from conftest import throwaway_realm


@pytest.fixture()
def admin(server):
    with throwaway_realm(server, "cfg") as admin:
        yield admin


def confidential_client(admin, seen_secrets, name="app"):
    client = admin.create_client(payload={"clientId": name, "publicClient": False, "serviceAccountsEnabled": True,
                                          "directAccessGrantsEnabled": True})
    secret = admin.get_client_secrets(client)["value"]
    seen_secrets.append(secret)
    return client, secret


def tokens(server, realm, client_id, secret, **form):
    answer = requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token",
                           data={"client_id": client_id, "client_secret": secret, **form})
    assert answer.status_code == 200, answer.text
    return answer.json()


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def test_a_realm_read_and_written_back_is_unchanged_and_keeps_what_this_server_does_not_use(admin):
    realm = admin.connection.realm_name
    admin.update_realm(realm, payload={
        "displayName": "Data team", "accountTheme": "keycloak.v3", "loginTheme": "nexusone", "registrationAllowed": True,
        "smtpServer": {"host": "smtp.example.com", "port": "587", "from": "noreply@example.com", "auth": "true", "user": "mailer",
                       "password": "smtp-secret-value-123"},
        "attributes": {"frontendUrl": "https://id.example.com"}, "accessTokenLifespan": 900, "sslRequired": "external",
    })
    first = admin.get_realm(realm)
    assert first["displayName"] == "Data team" and first["accountTheme"] == "keycloak.v3" and first["registrationAllowed"] is True
    assert first["accessTokenLifespan"] == 900 and first["attributes"] == {"frontendUrl": "https://id.example.com"}
    # An SMTP password is never stored: Keycloak's mask comes back, as it does from Keycloak.
    assert first["smtpServer"]["password"] == "**********" and first["smtpServer"]["host"] == "smtp.example.com"

    # Terraform's loop: read, write back what was read, read again — nothing changes.
    admin.update_realm(realm, payload=first)
    assert admin.get_realm(realm) == first
    assert [entry for entry in admin.get_realms() if entry["realm"] == realm][0] == first

    with pytest.raises(KeycloakPutError, match="Unrecognized field"):
        admin.update_realm(realm, payload={"accountThemee": "typo"})
    with pytest.raises(KeycloakPutError, match="400"):
        admin.update_realm(realm, payload={"accessTokenLifespan": -5})


def test_the_user_profile_is_kept_and_must_keep_username_and_email(admin):
    profile = admin.get_realm_users_profile()
    assert {attribute["name"] for attribute in profile["attributes"]} >= {"username", "email", "firstName", "lastName"}
    profile["attributes"].append({"name": "department", "displayName": "Department", "permissions": {"view": ["admin"], "edit": ["admin"]}})
    assert "department" in [attribute["name"] for attribute in admin.update_realm_users_profile(profile)["attributes"]]
    assert "department" in [attribute["name"] for attribute in admin.get_realm_users_profile()["attributes"]]
    without_email = {**profile, "attributes": [attribute for attribute in profile["attributes"] if attribute["name"] != "email"]}
    with pytest.raises(KeycloakPutError, match="400"):
        admin.update_realm_users_profile(without_email)


def test_a_tokens_scope_and_claims_come_from_the_clients_scopes_and_mappers(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    client, secret = confidential_client(admin, seen_secrets)
    user = admin.create_user(payload={"username": "ida", "email": "ida@example.com", "firstName": "Ida", "lastName": "Lund", "enabled": True,
                                      "attributes": {"department": ["finance"], "phoneNumber": ["+4712345678"]},
                                      "credentials": [{"type": "password", "value": "ida-password-123", "temporary": False}]})
    group = admin.create_group(payload={"name": "analysts"})
    admin.group_user_add(user, group)

    answer = tokens(server, realm, "app", secret, grant_type="password", username="ida", password="ida-password-123", scope="openid")
    access = claims(answer["access_token"])
    assert answer["scope"] == "email openid profile" == access["scope"]
    assert (access["email"], access["name"], access["preferred_username"], access["email_verified"]) == ("ida@example.com", "Ida Lund", "ida", False)
    assert access["aud"] == "account" and "offline_access" in access["realm_access"]["roles"]
    assert "phone_number" not in access

    # An optional scope asked for adds its claims and its name; one the client does not have is refused.
    phone = claims(tokens(server, realm, "app", secret, grant_type="password", username="ida", password="ida-password-123",
                          scope="openid phone")["access_token"])
    assert phone["phone_number"] == "+4712345678" and phone["scope"] == "email openid phone profile"
    refused = requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token",
                            data={"client_id": "app", "client_secret": secret, "grant_type": "client_credentials", "scope": "payroll"})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"

    # The client's own mappers: an audience for the gateway in front of the API, a hard-coded claim, a user attribute
    # and group membership — each where its flags put it.
    flags = {"access.token.claim": "true", "id.token.claim": "true", "userinfo.token.claim": "true", "introspection.token.claim": "true"}
    admin.add_mapper_to_client(client, {"name": "gateway", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                                        "config": {"included.custom.audience": "https://api.example.com", "access.token.claim": "true"}})
    admin.add_mapper_to_client(client, {"name": "tenant", "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-claim-mapper",
                                        "config": {**flags, "claim.name": "tenant.id", "claim.value": "42", "jsonType.label": "long"}})
    admin.add_mapper_to_client(client, {"name": "department", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                                        "config": {**flags, "user.attribute": "department", "claim.name": "department", "id.token.claim": "false"}})
    admin.add_mapper_to_client(client, {"name": "groups", "protocol": "openid-connect", "protocolMapper": "oidc-group-membership-mapper",
                                        "config": {**flags, "claim.name": "groups", "full.path": "true"}})
    answer = tokens(server, realm, "app", secret, grant_type="password", username="ida", password="ida-password-123", scope="openid")
    access, identity = claims(answer["access_token"]), claims(answer["id_token"])
    assert access["aud"] == ["account", "https://api.example.com"]
    assert access["tenant"] == {"id": 42} and identity["tenant"] == {"id": 42}
    assert access["department"] == "finance" and "department" not in identity
    assert access["groups"] == ["/analysts"]
    userinfo = requests.get(f"{server.base_url}/realms/{realm}/protocol/openid-connect/userinfo",
                            headers={"Authorization": "Bearer " + answer["access_token"]}).json()
    assert userinfo["tenant"] == {"id": 42} and userinfo["department"] == "finance" and userinfo["email"] == "ida@example.com"
    introspected = requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token/introspect",
                                 data={"client_id": "app", "client_secret": secret, "token": answer["access_token"]}).json()
    assert introspected["active"] and introspected["tenant"] == {"id": 42}

    # Without the email scope, no e-mail claims and no "email" in the token's scope.
    email_scope = admin.get_client_scope_by_name("email")["id"]
    admin.delete_client_default_client_scope(client, email_scope)
    bare = claims(tokens(server, realm, "app", secret, grant_type="password", username="ida", password="ida-password-123")["access_token"])
    assert "email" not in bare and "email_verified" not in bare and bare["scope"] == "openid profile"


def test_no_mapper_writes_identity_or_roles(admin):
    client = admin.create_client(payload={"clientId": "sly", "publicClient": False})
    for claim in ("sub", "iss", "exp", "aud", "azp", "typ", "scope", "realm_access.roles", "resource_access.sly.roles", "preferred_username"):
        with pytest.raises(KeycloakPostError, match="400"):
            admin.add_mapper_to_client(client, {"name": "x-" + claim, "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-claim-mapper",
                                                "config": {"claim.name": claim, "claim.value": "nx1_admin", "access.token.claim": "true"}})
    with pytest.raises(KeycloakPostError, match="400"):
        admin.add_mapper_to_client(client, {"name": "roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-client-role-mapper",
                                            "config": {"claim.name": "realm_access.roles", "access.token.claim": "true"}})
    with pytest.raises(KeycloakPostError, match="404"):
        admin.add_mapper_to_client(client, {"name": "script", "protocol": "openid-connect", "protocolMapper": "oidc-script-based-protocol-mapper"})
    assert admin.get_mappers_from_client(client) == []


def test_partial_import_fails_whole_skips_or_overwrites_and_partial_export_holds_no_secret(admin, seen_secrets):
    realm = admin.connection.realm_name
    _, secret = confidential_client(admin, seen_secrets, "exported")
    export = admin.export_realm(export_clients=True, export_groups_and_role=True)
    assert "users" not in export and secret not in str(export)
    assert {client["clientId"] for client in export["clients"]} >= {"exported", "account", "realm-management"}
    assert "default-roles-" + realm in {role["name"] for role in export["roles"]["realm"]}

    payload = {"ifResourceExists": "FAIL", "realm": realm, "users": [{"username": "newcomer"}],
               "roles": {"realm": [{"name": "offline_access"}]}, "groups": [{"name": "imported"}]}
    with pytest.raises(KeycloakPostError, match="409"):
        admin.partial_import_realm(realm, payload)
    assert admin.get_user_id("newcomer") is None, "a refused import changes nothing"
    payload["ifResourceExists"] = "SKIP"
    result = admin.partial_import_realm(realm, payload)
    assert (result["added"], result["skipped"], result["overwritten"]) == (2, 1, 0)
    assert {(entry["action"], entry["resourceType"], entry["resourceName"]) for entry in result["results"]} >= {
        ("ADDED", "USER", "newcomer"), ("SKIPPED", "REALM_ROLE", "offline_access"), ("ADDED", "GROUP", "imported")}
    payload["ifResourceExists"] = "OVERWRITE"
    assert admin.partial_import_realm(realm, payload)["overwritten"] == 3


def test_server_info_and_the_cache_endpoints_answer_administrators_only(server, admin):
    info = admin.get_server_info()
    assert info["systemInfo"]["version"].startswith("26.") and info["systemInfo"]["nexusOneVersion"]
    assert "length" in {policy["id"] for policy in info["passwordPolicies"]}
    for clear in (admin.clear_keys_cache, admin.clear_realm_cache, admin.clear_user_cache):
        assert clear() == {}
    realm = admin.connection.realm_name
    admin.create_user(payload={"username": "nobody", "enabled": True, "credentials": [{"type": "password", "value": "nobody-pass-123"}]})
    token = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="admin-cli").token("nobody", "nobody-pass-123")
    headers = {"Authorization": "Bearer " + token["access_token"]}
    assert requests.get(f"{server.base_url}/admin/serverinfo", headers=headers).status_code == 403
    assert requests.post(f"{server.base_url}/admin/realms/{realm}/clear-realm-cache", headers=headers).status_code == 403
    # Anything under a realm that does not exist is Keycloak's "Realm not found.", not an empty list.
    missing = requests.get(f"{server.base_url}/admin/realms/does-not-exist/roles",
                           headers={"Authorization": "Bearer " + admin.connection.token["access_token"]})
    assert missing.status_code == 404 and missing.json() == {"error": "Realm not found."}
