"""Keycloak's authorization services through python-keycloak and plain HTTP: a client's resources, scopes, policies
and permissions over the admin REST, and the uma-ticket grant deciding from them — on the storage this run uses."""
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
import requests
from keycloak import KeycloakAdmin, KeycloakOpenID
from keycloak.exceptions import KeycloakPostError

from conftest import throwaway_realm

UMA = "urn:ietf:params:oauth:grant-type:uma-ticket"


@pytest.fixture()
def admin(server):
    with throwaway_realm(server, "authz") as admin:
        yield admin


@pytest.fixture()
def reports(admin):
    """A resource server `reports-api` with a resource `Reports` (scopes read, write), an `analyst` role policy, a
    resource permission on Reports for analysts and a scope permission on write for no one (no policies)."""
    client = admin.create_client(payload={"clientId": "reports-api", "authorizationServicesEnabled": True, "directAccessGrantsEnabled": True})
    for scope in ("read", "write"):
        admin.create_client_authz_scopes(client, {"name": scope})
    resource = admin.create_client_authz_resource(client, {"name": "Reports", "type": "urn:reports", "scopes": [{"name": "read"}, {"name": "write"}]})
    admin.create_realm_role({"name": "analyst"})
    admin.create_client_authz_role_based_policy(client, {"name": "analysts", "roles": [{"id": "analyst"}]})
    admin.create_client_authz_resource_based_permission(client, {"name": "reports for analysts", "resources": ["Reports"], "policies": ["analysts"]})
    return client, resource


def user_token(server, admin, username, roles=()):
    admin.create_user({"username": username, "enabled": True, "credentials": [{"type": "password", "value": "Passw0rd-" + username, "temporary": False}]})
    user_id = admin.get_user_id(username)
    if roles:
        admin.assign_realm_roles(user_id, [admin.get_realm_role(role) for role in roles])
    secret = admin.get_client_secrets(admin.get_client_id("reports-api"))["value"]
    oid = KeycloakOpenID(server_url=server.base_url + "/", realm_name=admin.connection.realm_name, client_id="reports-api", client_secret_key=secret)
    return oid, oid.token(username, "Passw0rd-" + username), user_id


def uma(server, realm, access_token, **form):
    return requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token", headers={"Authorization": "Bearer " + access_token},
                         data={"grant_type": UMA, "audience": "reports-api", **form})


def test_permissions_follow_the_policies_and_a_role_taken_away_counts_at_once(server, admin, reports):
    realm = admin.connection.realm_name
    oid, token, ida = user_token(server, admin, "ida", roles=["analyst"])
    granted = oid.uma_permissions(token["access_token"])
    assert [(entry["rsname"], sorted(entry["scopes"])) for entry in granted] == [("Reports", ["read", "write"])]
    assert uma(server, realm, token["access_token"], permission="Reports#read", response_mode="decision").json() == {"result": True}

    # An RPT: an access token of the same user and client, the grants in `authorization.permissions`.
    rpt = uma(server, realm, token["access_token"]).json()
    claims = jwt.decode(rpt["access_token"], options={"verify_signature": False})
    assert claims["sub"] == ida and claims["azp"] == "reports-api"
    assert [entry["rsname"] for entry in claims["authorization"]["permissions"]] == ["Reports"]

    # The role is taken away: the next question is answered from storage, not from the token that still lists it.
    admin.delete_realm_roles_of_user(ida, [admin.get_realm_role("analyst")])
    denied = uma(server, realm, token["access_token"], response_mode="permissions")
    assert denied.status_code == 403 and denied.json() == {"error": "access_denied", "error_description": "not_authorized"}

    # Someone without the role never gets it; an unknown resource is named as such.
    _, other, _ = user_token(server, admin, "bo")
    assert uma(server, realm, other["access_token"], permission="Reports").status_code == 403
    unknown = uma(server, realm, other["access_token"], permission="Nothing")
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_resource"


def test_scope_permissions_negative_logic_and_strategies(server, admin, reports):
    client, _ = reports
    realm = admin.connection.realm_name
    admin.create_client_authz_policy(client, {"name": "not analysts", "type": "role", "logic": "NEGATIVE", "config": {"roles": '[{"id":"analyst"}]'}})
    admin.create_client_authz_scope_permission(
        {"name": "write for non-analysts", "type": "scope", "resources": ["Reports"], "scopes": ["write"], "policies": ["not analysts"]}, client)
    _, ida, _ = user_token(server, admin, "ida", roles=["analyst"])
    _, bo, _ = user_token(server, admin, "bo")
    # Unanimous (Keycloak's default): on write both permissions apply and they disagree, for everyone; read is the
    # analysts' alone.
    granted = uma(server, realm, ida["access_token"], response_mode="permissions").json()
    assert [(entry["rsname"], entry.get("scopes")) for entry in granted] == [("Reports", ["read"])]
    assert uma(server, realm, bo["access_token"], response_mode="permissions").status_code == 403
    # Affirmative: one permission granting is enough.
    admin.connection.raw_put(f"admin/realms/{realm}/clients/{client}/authz/resource-server", data='{"decisionStrategy":"AFFIRMATIVE"}')
    assert sorted(uma(server, realm, bo["access_token"], response_mode="permissions").json()[0]["scopes"]) == ["write"]
    assert sorted(uma(server, realm, ida["access_token"], response_mode="permissions").json()[0]["scopes"]) == ["read", "write"]


def test_a_session_that_ended_or_a_token_of_another_realm_gets_no_decision(server, admin, reports):
    realm = admin.connection.realm_name
    oid, token, _ = user_token(server, admin, "ida", roles=["analyst"])
    master = admin.connection.token["access_token"]
    assert uma(server, realm, master, response_mode="decision").status_code == 401
    oid.logout(token["refresh_token"])
    ended = uma(server, realm, token["access_token"], response_mode="decision")
    assert ended.status_code == 401 and ended.json()["error"] == "invalid_grant"
    assert requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token", data={"grant_type": UMA}).status_code == 401


def test_the_settings_document_round_trips_by_name_into_another_client(admin, reports):
    client, _ = reports
    exported = admin.get_client_authz_settings(client)
    assert exported["policyEnforcementMode"] == "ENFORCING" and exported["decisionStrategy"] == "UNANIMOUS"
    permission = [policy for policy in exported["policies"] if policy["name"] == "reports for analysts"][0]
    assert permission["config"]["resources"] == '["Reports"]' and permission["config"]["applyPolicies"] == '["analysts"]'
    role_policy = [policy for policy in exported["policies"] if policy["name"] == "analysts"][0]
    assert '"id":"analyst"' in role_policy["config"]["roles"]

    copy = admin.create_client(payload={"clientId": "copy", "authorizationServicesEnabled": True})
    assert admin.import_client_authz_config(copy, exported) == {}
    again = admin.get_client_authz_settings(copy)
    assert sorted(policy["name"] for policy in again["policies"]) == sorted(policy["name"] for policy in exported["policies"])
    assert [resource["name"] for resource in again["resources"]] == ["Reports"]
    assert sorted(scope["name"] for scope in again["scopes"]) == ["read", "write"]


def test_bad_input_is_refused_clearly(server, admin, reports):
    client, _ = reports
    for payload in ({"name": "t1", "type": "time", "config": {"hour": "25"}}, {"name": "t2", "type": "time", "config": {}},
                    {"name": "r1", "type": "role", "config": {"roles": '[{"id":"no-such-role"}]'}}, {"name": "r2", "type": "role", "config": {"roles": "{not json"}},
                    {"name": "j1", "type": "js", "config": {"code": "$evaluation.grant()"}}):
        with pytest.raises(KeycloakPostError, match="400"):
            admin.create_client_authz_policy(client, payload)
    # A loop of aggregates is refused when it would close.
    first = admin.create_client_authz_policy(client, {"name": "a", "type": "aggregate", "config": {"applyPolicies": '["analysts"]'}})
    second = admin.create_client_authz_policy(client, {"name": "b", "type": "aggregate", "config": {"applyPolicies": '["a"]'}})
    closing = requests.put(
        f"{server.base_url}/admin/realms/{admin.connection.realm_name}/clients/{client}/authz/resource-server/policy/{first['id']}",
        headers={"Authorization": "Bearer " + admin.connection.token["access_token"]},
        json={"name": "a", "type": "aggregate", "config": {"applyPolicies": '["b"]'}})
    assert closing.status_code == 400 and "itself" in closing.json()["errorMessage"]
    assert second["id"]


def test_simultaneous_creates_of_one_name_make_one(server, admin, reports):
    client, _ = reports
    realm = admin.connection.realm_name
    url = f"{server.base_url}/admin/realms/{realm}/clients/{client}/authz/resource-server/resource"
    headers = {"Authorization": "Bearer " + admin.connection.token["access_token"]}
    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(lambda _: requests.post(url, headers=headers, json={"name": "Contested"}).status_code, range(16)))
    assert sorted(codes) == [201] + [409] * 15, codes
    assert [resource["name"] for resource in admin.get_client_authz_resources(client)].count("Contested") == 1


def test_turning_the_services_off_deletes_everything_and_realm_management_needs_realm_admin(server, admin, reports):
    client, _ = reports
    realm = admin.connection.realm_name
    admin.update_client(client, {"authorizationServicesEnabled": False})
    with pytest.raises(Exception, match="404"):
        admin.get_client_authz_settings(client)
    admin.update_client(client, {"authorizationServicesEnabled": True})
    assert admin.get_client_authz_resources(client) == [] and admin.get_client_authz_policies(client) == []

    # A client administrator manages ordinary resource servers, not realm-management's, whose permissions decide who
    # administers what.
    admin.create_user({"username": "clerk", "enabled": True, "credentials": [{"type": "password", "value": "Passw0rd-clerk", "temporary": False}]})
    management = admin.get_client_id("realm-management")
    admin.assign_client_role(admin.get_user_id("clerk"), management, [admin.get_client_role(management, "manage-clients")])
    clerk = KeycloakAdmin(server_url=server.base_url + "/", username="clerk", password="Passw0rd-clerk", realm_name=realm)
    assert clerk.create_client_authz_resource(client, {"name": "by clerk"})["name"] == "by clerk"
    admin.update_client(management, {"authorizationServicesEnabled": True})
    with pytest.raises(KeycloakPostError, match="403"):
        clerk.create_client_authz_resource(management, {"name": "group.resource.x"})


def test_group_permissions_let_a_team_lead_manage_one_group_and_nothing_more(server, admin):
    realm = admin.connection.realm_name
    team = admin.create_group({"name": "team"})
    other = admin.create_group({"name": "other"})
    for name in ("lead", "member", "outsider"):
        admin.create_user({"username": name, "enabled": True, "credentials": [{"type": "password", "value": "Passw0rd-" + name, "temporary": False}]})
    lead_id, member_id, outsider_id = (admin.get_user_id(name) for name in ("lead", "member", "outsider"))
    admin.group_user_add(member_id, team)
    lead = KeycloakAdmin(server_url=server.base_url + "/", username="lead", password="Passw0rd-lead", realm_name=realm)
    with pytest.raises(Exception, match="403"):
        lead.get_group_members(team)

    # Turned on, the permissions exist but grant nobody: a policy has to say who.
    reference = admin.group_set_permissions(team, enabled=True)
    assert reference["enabled"] and set(reference["scopePermissions"]) == {"view", "manage", "view-members", "manage-members", "manage-membership"}
    with pytest.raises(Exception, match="403"):
        lead.get_group_members(team)
    management = admin.get_client_id("realm-management")
    policy = admin.create_client_authz_policy(management, {"name": "the lead", "type": "user", "config": {"users": '["lead"]'}})
    base = f"admin/realms/{realm}/clients/{management}/authz/resource-server/permission/scope"
    for scope in ("view-members", "manage-membership", "manage-members"):
        permission_id = reference["scopePermissions"][scope]
        current = admin.connection.raw_get(f"{base}/{permission_id}").json()
        answer = admin.connection.raw_put(f"{base}/{permission_id}", data='{"name":"%s","type":"scope","resources":["%s"],"scopes":["%s"],"policies":["%s"]}' % (
            current["name"], reference["resource"], scope, policy["id"]))
        assert answer.status_code == 201, answer.text

    assert [user["username"] for user in lead.get_group_members(team)] == ["member"]
    assert lead.get_user(member_id)["username"] == "member"
    lead.set_user_password(member_id, "Another-Passw0rd", temporary=False)
    lead.user_logout(member_id)
    # Membership: taking a member out, yes; pulling in someone one does not manage, no (Keycloak asks for both).
    lead.group_user_remove(member_id, team)
    assert lead.get_group_members(team) == []
    with pytest.raises(Exception, match="403"):
        lead.group_user_add(outsider_id, team)
    admin.group_user_add(member_id, team)
    # Only that group, and only what was granted: not another group, not someone outside it, not the group itself.
    with pytest.raises(Exception, match="403"):
        lead.group_user_add(lead_id, other)
    with pytest.raises(Exception, match="403"):
        lead.get_group_members(other)
    with pytest.raises(Exception, match="403"):
        lead.set_user_password(lead_id, "Another-Passw0rd", temporary=False)
    with pytest.raises(Exception, match="403"):
        lead.update_group(team, {"name": "renamed"})
    # Joining a group that carries roles grants them, which manage-membership alone never does.
    admin.create_realm_role({"name": "analyst"})
    admin.assign_group_realm_roles(team, [admin.get_realm_role("analyst")])
    with pytest.raises(Exception, match="403"):
        lead.group_user_add(lead_id, team)

    # Nobody acts on someone holding more: an administrator in the group is not signed out by the lead.
    admin.create_user({"username": "chief", "enabled": True})
    chief = admin.get_user_id("chief")
    admin.assign_client_role(chief, management, [admin.get_client_role(management, "manage-users")])
    admin.group_user_add(chief, team)
    with pytest.raises(Exception, match="403"):
        lead.user_logout(chief)

    # A permission an administrator made on this group alone goes when the group's permissions are turned off, rather
    # than applying to every group.
    admin.create_client_authz_scope_permission(
        {"name": "custom", "type": "scope", "resources": [reference["resource"]], "scopes": ["view-members"], "policies": ["the lead"]}, management)
    assert admin.group_set_permissions(team, enabled=False) == {"enabled": False}
    assert "custom" not in [permission["name"] for permission in admin.get_client_authz_permissions(management)]
    with pytest.raises(Exception, match="403"):
        lead.get_group_members(team)
    # `manage` on a group does not delete it when that takes roles away (the analyst role, from its members).
    admin.group_set_permissions(team, enabled=True)
    manage = admin.group_set_permissions(team, enabled=True)["scopePermissions"]["manage"]
    current = admin.connection.raw_get(f"{base}/{manage}").json()
    admin.connection.raw_put(f"{base}/{manage}", data='{"name":"%s","type":"scope","resources":["%s"],"scopes":["manage"],"policies":["%s"]}' % (
        current["name"], admin.group_set_permissions(team, enabled=True)["resource"], policy["id"]))
    lead.update_group(team, {"name": "team"})
    with pytest.raises(Exception, match="403"):
        lead.delete_group(team)

    # Deleting a group takes its permissions out of realm-management's resource server.
    admin.group_set_permissions(other, enabled=True)
    admin.delete_group(other)
    names = [resource["name"] for resource in admin.get_client_authz_resources(management)]
    assert f"group.resource.{other}" not in names and f"group.resource.{team}" in names


def test_what_an_outside_attack_found_stays_closed(server, admin, reports):
    client, resource = reports
    realm = admin.connection.realm_name
    oid, token, _ = user_token(server, admin, "ida", roles=["analyst"])
    _, nobody, _ = user_token(server, admin, "bo")

    # `#` names nothing; it is not a question about everything.
    for permission in ("#", "#,"):
        assert uma(server, realm, nobody["access_token"], permission=permission, response_mode="decision").status_code == 400

    # An RPT belongs to the session of the token it was asked with, and ends with it.
    rpt = uma(server, realm, token["access_token"]).json()["access_token"]
    assert jwt.decode(rpt, options={"verify_signature": False})["sid"] == jwt.decode(token["access_token"], options={"verify_signature": False})["sid"]
    oid.logout(token["refresh_token"])
    assert uma(server, realm, rpt, response_mode="decision").status_code == 401
    assert requests.get(f"{server.base_url}/realms/{realm}/protocol/openid-connect/userinfo", headers={"Authorization": "Bearer " + rpt}).status_code == 401

    # A permission whose only resource is deleted goes with it, rather than applying to every resource of its scopes.
    admin.create_client_authz_resource(client, {"name": "Drafts", "scopes": [{"name": "read"}]})
    admin.create_client_authz_policy(client, {"name": "everyone but analysts", "type": "role", "logic": "NEGATIVE", "config": {"roles": '[{"id":"analyst"}]'}})
    admin.create_client_authz_scope_permission(
        {"name": "drafts read", "type": "scope", "resources": ["Drafts"], "scopes": ["read"], "policies": ["everyone but analysts"]}, client)
    assert uma(server, realm, nobody["access_token"], permission="Reports#read", response_mode="decision").status_code == 403
    drafts = [entry for entry in admin.get_client_authz_resources(client) if entry["name"] == "Drafts"][0]
    admin.delete_client_authz_resource(client, drafts["_id"])
    assert "drafts read" not in [policy["name"] for policy in admin.get_client_authz_permissions(client)]
    assert uma(server, realm, nobody["access_token"], permission="Reports#read", response_mode="decision").status_code == 403

    # NEGATIVE over nothing grants nothing.
    admin.create_client_authz_resource(client, {"name": "Vault"})
    admin.create_client_authz_resource_based_permission(client, {"name": "vault", "resources": ["Vault"], "logic": "NEGATIVE"})
    assert uma(server, realm, nobody["access_token"], permission="Vault", response_mode="decision").status_code == 403

    # No chain of aggregates deeper than the evaluator follows.
    previous = "analysts"
    with pytest.raises(KeycloakPostError, match="deep"):
        for level in range(12):
            previous = admin.create_client_authz_policy(client, {"name": f"level{level}", "type": "aggregate", "config": {"applyPolicies": f'["{previous}"]'}})["name"]


def test_two_changes_that_would_close_a_loop_together_make_at_most_one(server, admin, reports):
    client, _ = reports
    realm = admin.connection.realm_name
    a = admin.create_client_authz_policy(client, {"name": "a", "type": "aggregate", "config": {"applyPolicies": '["analysts"]'}})
    b = admin.create_client_authz_policy(client, {"name": "b", "type": "aggregate", "config": {"applyPolicies": '["analysts"]'}})
    headers = {"Authorization": "Bearer " + admin.connection.token["access_token"]}
    base = f"{server.base_url}/admin/realms/{realm}/clients/{client}/authz/resource-server/policy"

    def point(pair):
        source, target = pair
        return requests.put(f"{base}/{source['id']}", headers=headers,
                            json={"name": source["name"], "type": "aggregate", "config": {"applyPolicies": f'["{target["name"]}"]'}}).status_code

    for _ in range(5):
        with ThreadPoolExecutor(2) as pool:
            codes = sorted(pool.map(point, [(a, b), (b, a)]))
        assert codes.count(201) <= 1, codes
        if 201 in codes:
            for policy in (a, b):
                requests.put(f"{base}/{policy['id']}", headers=headers,
                             json={"name": policy["name"], "type": "aggregate", "config": {"applyPolicies": '["analysts"]'}}).raise_for_status()
    exported = admin.get_client_authz_settings(client)
    copy = admin.create_client(payload={"clientId": "copy", "authorizationServicesEnabled": True})
    assert admin.import_client_authz_config(copy, exported) == {}


def test_realm_management_authorization_is_turned_on_or_off_by_realm_admin_only(server, admin):
    realm = admin.connection.realm_name
    admin.create_user({"username": "clerk", "enabled": True, "credentials": [{"type": "password", "value": "Passw0rd-clerk", "temporary": False}]})
    management = admin.get_client_id("realm-management")
    admin.assign_client_role(admin.get_user_id("clerk"), management, [admin.get_client_role(management, "manage-clients")])
    clerk = KeycloakAdmin(server_url=server.base_url + "/", username="clerk", password="Passw0rd-clerk", realm_name=realm)
    with pytest.raises(Exception, match="403"):
        clerk.update_client(management, {"authorizationServicesEnabled": True})
    admin.update_client(management, {"authorizationServicesEnabled": True})
    assert admin.get_client(management)["serviceAccountsEnabled"] is False
    with pytest.raises(Exception, match="403"):
        clerk.update_client(management, {"authorizationServicesEnabled": False})
    assert admin.get_client(management)["authorizationServicesEnabled"] is True
