"""Keycloak's groups through python-keycloak's KeycloakAdmin, unmodified: the tree, paging, members, role mappings on
groups — and what a member holds through them, in a token, a Personal PSK and on a second node."""
import concurrent.futures
import os
import time
import uuid

import pytest
import requests
from keycloak import KeycloakAdmin
from keycloak.exceptions import KeycloakDeleteError, KeycloakGetError, KeycloakPostError, KeycloakPutError

from conftest import ADMIN_PASSWORD, SharedPostgres


def realm_admin_for(base_url):
    return KeycloakAdmin(server_url=base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")


@pytest.fixture()
def admin(server):
    realm = "grp" + uuid.uuid4().hex[:6]
    admin = realm_admin_for(server.base_url)
    admin.create_realm(payload={"realm": realm, "enabled": True})
    admin.change_current_realm(realm)
    yield admin
    admin.change_current_realm("master")
    admin.delete_realm(realm)


def test_the_group_tree_as_keycloak_keeps_it(admin):
    user = admin.create_user(payload={"username": "member", "enabled": True})
    assert admin.get_groups() == []
    top = admin.create_group(payload={"name": "main-group"})
    assert admin.groups_count() == {"count": 1}
    assert admin.groups_count(query={"search": "notpresent"}) == {"count": 0}
    first = admin.create_group(payload={"name": "subgroup-1"}, parent=top)
    second = admin.create_group(payload={"name": "subgroup-2"}, parent=top)
    with pytest.raises(KeycloakPostError) as error:
        admin.create_group(payload={"name": "subgroup-1"}, parent=top)
    assert error.value.response_code == 409
    assert admin.create_group(payload={"name": "subgroup-1"}, parent=top, skip_exists=True) is None
    with pytest.raises(KeycloakPostError) as error:
        admin.create_group(payload={"name": "main-group"})
    assert error.value.response_code == 409

    groups = admin.get_groups()
    assert [group["id"] for group in groups] == [top]
    assert {group["id"] for group in groups[0]["subGroups"]} == {first, second}
    assert admin.get_groups(query={"max": 10})[0]["subGroupCount"] == 2
    shown = admin.get_group(group_id=first)
    assert (shown["name"], shown["path"], shown["parentId"]) == ("subgroup-1", "/main-group/subgroup-1", top)
    with pytest.raises(KeycloakGetError, match='404: b\'{"error":"Could not find group by id"'):
        admin.get_group(group_id="does-not-exist")

    deepest = admin.create_group(payload={"name": "subsubgroup-1"}, parent=second)
    assert admin.get_subgroups(group=admin.get_group(group_id=top, full_hierarchy=True), path="/main-group/subgroup-2/subsubgroup-1")["id"] == deepest
    tree = admin.get_groups(full_hierarchy=True)
    below = {group["id"]: group for group in tree[0]["subGroups"]}
    assert len(below[first]["subGroups"]) == 0 and len(below[second]["subGroups"]) == 1
    assert len(admin.get_group_children(group_id=top, query={"max": 1})) == 1
    assert admin.get_group_by_path("/main-group/subgroup-2/subsubgroup-1")["id"] == deepest
    assert admin.get_group_by_path("/main-group")["id"] == top
    with pytest.raises(KeycloakGetError, match='404: b\'{"error":"Group path does not exist"'):
        admin.get_group_by_path("/main-group/subgroup-2/subsubgroup-1/test")

    # A search shows the way down to what it found (read raw: python-keycloak refetches subGroups as children of each
    # group, as it does against Keycloak).
    found = admin.connection.raw_get(f"admin/realms/{admin.connection.realm_name}/groups", search="subsub").json()
    assert [group["name"] for group in found] == ["main-group"]
    assert [group["name"] for group in found[0]["subGroups"]] == ["subgroup-2"]
    assert [group["name"] for group in found[0]["subGroups"][0]["subGroups"]] == ["subsubgroup-1"]

    assert admin.get_group_members(group_id=second) == []
    with pytest.raises(KeycloakGetError, match='404: b\'{"error":"Could not find group by id"'):
        admin.get_group_members(group_id="does-not-exist")
    assert admin.group_user_add(user_id=user, group_id=second) == {}
    assert admin.group_user_add(user_id=user, group_id=second) == {}  # twice is once
    assert [member["id"] for member in admin.get_group_members(group_id=second, query={"max": 10})] == [user]
    assert [group["path"] for group in admin.get_user_groups(user_id=user)] == ["/main-group/subgroup-2"]
    with pytest.raises(KeycloakDeleteError, match='404: b\'{"error":"User not found"'):
        admin.group_user_remove(user_id="does-not-exist", group_id=second)
    assert admin.group_user_remove(user_id=user, group_id=second) == {}
    assert admin.get_user_groups(user_id=user) == []

    assert admin.update_group(group_id=second, payload={"name": "new-subgroup-2"}) == {}
    assert admin.get_group(group_id=deepest)["path"] == "/main-group/new-subgroup-2/subsubgroup-1"  # paths follow a rename
    with pytest.raises(KeycloakPutError, match='404: b\'{"error":"Could not find group by id"'):
        admin.update_group(group_id="does-not-exist", payload={})
    with pytest.raises(KeycloakPutError) as error:
        admin.update_group(group_id=second, payload={"name": "subgroup-1"})
    assert error.value.response_code == 409
    with pytest.raises(KeycloakPostError) as error:
        admin.create_group(payload={"name": "a/b"})
    assert error.value.response_code == 400

    assert admin.delete_group(group_id=top) == {}
    assert admin.get_groups() == []
    assert admin.groups_count() == {"count": 0}  # the subtree went with it
    with pytest.raises(KeycloakDeleteError, match='404: b\'{"error":"Could not find group by id"'):
        admin.delete_group(group_id="does-not-exist")


def test_a_users_groups_page_as_keycloak_pages_them(admin):
    user = admin.create_user(payload={"username": "pager", "email": "pager@example.com"})
    for index in range(admin.PAGE_SIZE + 50):
        admin.group_user_add(user_id=user, group_id=admin.create_group(payload={"name": f"group_{index:03d}"}))
    assert len(admin.get_user_groups(user_id=user)) == admin.PAGE_SIZE + 50
    assert len(admin.get_user_groups(user_id=user, query={"first": 100, "max": -1, "search": ""})) == 50
    assert len(admin.get_user_groups(user_id=user, query={"max": 20, "first": -1, "search": ""})) == 20
    assert len(admin.get_groups()) == admin.PAGE_SIZE + 50


def test_role_mappings_on_groups(admin):
    admin.create_realm_role(payload={"name": "analyst"})
    analyst = admin.get_realm_role("analyst")
    client = admin.create_client(payload={"clientId": "reports"})
    admin.create_client_role(client, payload={"name": "viewer"})
    admin.create_client_role(client, payload={"name": "exporter"})
    viewer = admin.get_client_role(client, "viewer")
    admin.add_composite_client_roles_to_role(client_role_id=client, role_name="viewer", roles=[admin.get_client_role(client, "exporter")])
    group = admin.create_group(payload={"name": "analysts"})

    with pytest.raises(KeycloakPostError):
        admin.assign_group_realm_roles(group_id=group, roles=["bad"])
    assert admin.assign_group_realm_roles(group_id=group, roles=[analyst]) == {}
    assert [role["name"] for role in admin.get_group_realm_roles(group_id=group)] == ["analyst"]
    assert [found["id"] for found in admin.get_realm_role_groups(role_name="analyst")] == [group]
    with pytest.raises(KeycloakGetError):
        admin.get_realm_role_groups(role_name="non-existent-role")

    assert admin.get_group_client_roles(group_id=group, client_id=client) == []
    assert admin.assign_group_client_roles(group_id=group, client_id=client, roles=[viewer]) == {}
    assert [role["name"] for role in admin.get_group_client_roles(group_id=group, client_id=client)] == ["viewer"]
    assert len(admin.get_client_role_groups(client_id=client, role_name="viewer")) == 1
    composite = {role["name"] for role in admin.get_composite_client_roles_of_group(client, group)}
    assert composite == {"viewer", "exporter"}
    shown = admin.get_group(group_id=group)
    assert shown["realmRoles"] == ["analyst"] and shown["clientRoles"] == {"reports": ["viewer"]}

    assert admin.delete_group_client_roles(group_id=group, client_id=client, roles=[viewer]) == {}
    assert admin.get_group_client_roles(group_id=group, client_id=client) == []
    assert admin.delete_group_realm_roles(group_id=group, roles=[analyst]) == {}
    assert admin.get_group_realm_roles(group_id=group) == []


def member_signs_in(base_url, realm, username, password):
    response = requests.post(f"{base_url}/realms/{realm}/protocol/openid-connect/token",
                             data={"grant_type": "password", "client_id": "admin-cli", "username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def access_claims(token):
    import base64
    import json
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_member_holds_the_groups_roles_and_its_parents_in_a_token_and_a_personal_psk(server, seen_secrets):
    admin = realm_admin_for(server.base_url)
    admin.change_current_realm(server.realm)
    parent = admin.create_group(payload={"name": "data-team-" + uuid.uuid4().hex[:6]})
    child = admin.create_group(payload={"name": "askers"}, parent=parent)
    admin.assign_group_realm_roles(group_id=parent, roles=[admin.get_realm_role("nx1_engineer")])
    admin.assign_group_realm_roles(group_id=child, roles=[admin.get_realm_role("nx1_ask")])
    username = "grouped" + uuid.uuid4().hex[:6]
    user = admin.create_user(payload={"username": username, "enabled": True,
                                      "credentials": [{"type": "password", "value": "grouped-password-1", "temporary": False}]})
    before = access_claims(member_signs_in(server.base_url, server.realm, username, "grouped-password-1"))["realm_access"]["roles"]
    assert "nx1_ask" not in before and "nx1_engineer" not in before

    admin.group_user_add(user_id=user, group_id=child)
    token = member_signs_in(server.base_url, server.realm, username, "grouped-password-1")
    seen_secrets.append(token)
    assert {"nx1_ask", "nx1_engineer"} <= set(access_claims(token)["realm_access"]["roles"])
    key = requests.post(f"{server.base_url}/api/user/psk", headers={"Authorization": f"Bearer {token}"}, json={"description": "groups"}).json()["psk"]
    seen_secrets.append(key)
    me = requests.get(f"{server.base_url}/api/user/me", headers={"Authorization-PSK": key}).json()
    assert {"nx1_ask", "nx1_engineer"} <= set(me["roles"])

    # Out of the group: the key loses the roles at once (its cache is dropped with the change), the key itself stays.
    admin.group_user_remove(user_id=user, group_id=child)
    me = requests.get(f"{server.base_url}/api/user/me", headers={"Authorization-PSK": key}).json()
    assert "nx1_ask" not in me["roles"] and "nx1_engineer" not in me["roles"]
    admin.delete_group(group_id=parent)


def test_simultaneous_creates_of_one_name_make_one_group_and_simultaneous_joins_one_membership(admin):
    user = admin.create_user(payload={"username": "racer", "enabled": True})
    token = admin.connection.token["access_token"]
    base = admin.connection.base_url.rstrip("/") + f"/admin/realms/{admin.connection.realm_name}"
    headers = {"Authorization": f"Bearer {token}"}
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda _: requests.post(f"{base}/groups", headers=headers, json={"name": "racers"}).status_code, range(16)))
    assert sorted(statuses) == [201] + [409] * 15
    group = admin.get_group_by_path("/racers")["id"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda _: requests.put(f"{base}/users/{user}/groups/{group}", headers=headers).status_code, range(16)))
    assert statuses == [204] * 16
    assert len(admin.get_group_members(group_id=group)) == 1

    # A join that meets the group's deletion ends in 204 or 404, never a 5xx.
    doomed = admin.create_group(payload={"name": "doomed"})
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        joins = [pool.submit(requests.put, f"{base}/users/{user}/groups/{doomed}", headers=headers) for _ in range(15)]
        deletion = pool.submit(requests.delete, f"{base}/groups/{doomed}", headers=headers)
        codes = [future.result().status_code for future in joins]
    assert deletion.result().status_code == 204
    assert set(codes) <= {204, 404}, codes
    assert [found["name"] for found in admin.get_user_groups(user_id=user)] == ["racers"]

    # Role grants that meet the role's (or the group's) deletion end in 204 or 404, never a 5xx.
    for doomed_kind in ("role", "group"):
        admin.create_realm_role(payload={"name": "doomed-role"})
        role = admin.get_realm_role("doomed-role")
        target = admin.create_group(payload={"name": "grantee"})
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            grants = [pool.submit(requests.post, f"{base}/groups/{target}/role-mappings/realm", headers=headers, json=[role])
                      for _ in range(15)]
            url = f"{base}/roles/doomed-role" if doomed_kind == "role" else f"{base}/groups/{target}"
            deletion = pool.submit(requests.delete, url, headers=headers)
            codes = [future.result().status_code for future in grants]
        assert deletion.result().status_code == 204
        assert set(codes) <= {204, 404}, (doomed_kind, codes)
        for leftover in (f"{base}/groups/{target}", f"{base}/roles/doomed-role"):
            requests.delete(leftover, headers=headers)


def test_odd_inputs_get_clear_answers(admin):
    base = admin.connection.base_url.rstrip("/") + f"/admin/realms/{admin.connection.realm_name}"
    headers = {"Authorization": f"Bearer {admin.connection.token['access_token']}"}
    spaced = admin.create_group(payload={"name": "data team"})
    accented = admin.create_group(payload={"name": "équipe"}, parent=spaced)
    assert requests.get(f"{base}/group-by-path/data%20team/%C3%A9quipe", headers=headers).json()["id"] == accented
    assert admin.get_group_by_path("/data team")["id"] == spaced
    for path in ("groups", "groups/count", f"groups/{spaced}/children"):
        response = requests.get(f"{base}/{path}", params={"search": "a\x00b"}, headers=headers)
        assert response.status_code in (200, 400), (path, response.status_code, response.text)
    for name in ("top\u200b", " top", "..", "a\u202eb"):
        assert requests.post(f"{base}/groups", headers=headers, json={"name": name}).status_code == 400, name
    # Keycloak joins a new user to the groups named by path, or creates no user at all.
    joined = admin.create_user(payload={"username": "joiner", "groups": ["/data team/équipe"]})
    assert [group["path"] for group in admin.get_user_groups(user_id=joined)] == ["/data team/équipe"]
    missing = requests.post(f"{base}/users", headers=headers, json={"username": "stray", "groups": ["/nowhere"]})
    assert missing.status_code == 400 and "/nowhere" in missing.text
    assert admin.get_users(query={"username": "stray", "exact": True}) == []


@pytest.mark.postgres
def test_leaving_a_group_on_one_node_takes_its_roles_from_a_key_on_the_other_within_a_second(seen_secrets):
    storage = SharedPostgres("nx1_groups_")
    node_a = storage.node("nexusone-groups-a-")
    node_b = storage.node("nexusone-groups-b-", first=False)
    try:
        admin = realm_admin_for(node_a.base_url)
        admin.change_current_realm(node_a.realm)
        group = admin.create_group(payload={"name": "engineers"})
        admin.assign_group_realm_roles(group_id=group, roles=[admin.get_realm_role("nx1_engineer")])
        user = admin.create_user(payload={"username": "nodehopper", "enabled": True,
                                          "credentials": [{"type": "password", "value": "nodehopper-pass-1", "temporary": False}]})
        admin.group_user_add(user_id=user, group_id=group)
        token = member_signs_in(node_a.base_url, node_a.realm, "nodehopper", "nodehopper-pass-1")
        key = requests.post(f"{node_a.base_url}/api/user/psk", headers={"Authorization": f"Bearer {token}"}, json={}).json()["psk"]
        seen_secrets.extend([token, key])
        assert "nx1_engineer" in requests.get(f"{node_b.base_url}/api/user/me", headers={"Authorization-PSK": key}).json()["roles"]  # cached on B
        admin.group_user_remove(user_id=user, group_id=group)
        deadline = time.time() + 1.0
        roles = ["nx1_engineer"]
        while time.time() < deadline and "nx1_engineer" in roles:
            roles = requests.get(f"{node_b.base_url}/api/user/me", headers={"Authorization-PSK": key}).json()["roles"]
        assert "nx1_engineer" not in roles, "node B still gave the group's role a second after the user left it"
    finally:
        node_a.stop()
        node_b.stop()
        storage.close()
