"""Keycloak's account security through python-keycloak, unmodified: offline tokens and their consents, brute-force
detection, login events and required actions — with what each does at sign-in, on the storage this run uses."""
import concurrent.futures
import datetime
import json
import time
import uuid

import jwt
import pytest
import requests
from keycloak import KeycloakAdmin, KeycloakOpenID
from keycloak.exceptions import KeycloakAuthenticationError, KeycloakDeleteError, KeycloakGetError, KeycloakPostError, KeycloakPutError

from conftest import ADMIN_PASSWORD, throwaway_realm


@pytest.fixture()
def admin(server):
    with throwaway_realm(server, "sec") as admin:
        yield admin


def make_user(admin, name, password, temporary=False):
    return admin.create_user(payload={"username": name, "enabled": True,
                                      "credentials": [{"type": "password", "value": password, "temporary": temporary}]})


def openid(server, admin, client_id="admin-cli"):
    return KeycloakOpenID(server_url=server.base_url + "/", realm_name=admin.connection.realm_name, client_id=client_id)


def token_call(server, realm, **form):
    return requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token", data={"client_id": "admin-cli", **form})


def test_offline_tokens_outlive_a_sign_out_until_their_consent_is_revoked(server, admin, seen_secrets):
    user = make_user(admin, "olivia", "olivia-password-1")
    oidc = openid(server, admin)
    online = oidc.token("olivia", "olivia-password-1")
    offline = oidc.token("olivia", "olivia-password-1", scope="offline_access")
    seen_secrets.extend([online["refresh_token"], offline["refresh_token"], offline["access_token"]])
    claims = jwt.decode(offline["refresh_token"], options={"verify_signature": False})
    assert claims["typ"] == "Offline" and "offline_access" in offline["scope"].split()
    assert offline["refresh_expires_in"] == 2_592_000

    # Offline sessions are not sessions: the session list and counts keep them apart.
    assert [session["id"] for session in admin.get_sessions(user_id=user)] == [online["session_state"]]
    client = admin.get_client_id("admin-cli")
    assert {"id": client, "clientId": "admin-cli", "active": "1", "offline": "1"} in admin.get_client_sessions_stats()
    consents = admin.user_consents(user_id=user)
    assert [(consent["clientId"], consent["additionalGrants"]) for consent in consents] == [
        ("admin-cli", [{"client": "admin-cli", "key": "Offline Token"}])]

    # Signing the user out ends the session, not the offline token; an access token it gives works at once.
    admin.user_logout(user_id=user)
    with pytest.raises(KeycloakPostError, match="Session not active"):
        oidc.refresh_token(online["refresh_token"])
    renewed = oidc.refresh_token(offline["refresh_token"])
    seen_secrets.extend([renewed["refresh_token"], renewed["access_token"]])
    assert jwt.decode(renewed["refresh_token"], options={"verify_signature": False})["typ"] == "Offline"
    assert oidc.userinfo(renewed["access_token"])["preferred_username"] == "olivia"
    with pytest.raises(KeycloakPostError, match="Session not active"):
        oidc.refresh_token(offline["refresh_token"])  # refresh tokens rotate, offline ones too

    # Revoking the consent ends it on the spot; a second revocation finds nothing.
    assert admin.revoke_consent(user_id=user, client_id="admin-cli") == {}
    assert admin.user_consents(user_id=user) == []
    with pytest.raises(KeycloakPostError, match="Session not active"):
        oidc.refresh_token(renewed["refresh_token"])
    with pytest.raises(KeycloakDeleteError, match="Consent nor offline token not found"):
        admin.revoke_consent(user_id=user, client_id="admin-cli")
    with pytest.raises(KeycloakDeleteError, match="Client not found"):
        admin.revoke_consent(user_id=user, client_id="no-such-client")
    with pytest.raises(KeycloakGetError, match="User not found"):
        admin.user_consents(user_id="no-such-user")

    # A password reset ends offline tokens too: that is what answering a stolen password needs.
    again = oidc.token("olivia", "olivia-password-1", scope="offline_access")
    seen_secrets.append(again["refresh_token"])
    admin.set_user_password(user_id=user, password="olivia-password-2", temporary=False)
    with pytest.raises(KeycloakPostError, match="Session not active"):
        oidc.refresh_token(again["refresh_token"])


def test_an_offline_token_needs_the_offline_access_role(server, admin):
    user = make_user(admin, "nora", "nora-password-1")
    default_roles = admin.get_realm_role(f"default-roles-{admin.connection.realm_name}")
    admin.delete_realm_roles_of_user(user_id=user, roles=[default_roles])
    answer = token_call(server, admin.connection.realm_name, grant_type="password", username="nora", password="nora-password-1", scope="offline_access")
    assert (answer.status_code, answer.json()) == (400, {"error": "not_allowed", "error_description": "Offline tokens not allowed for the user or client"})
    assert admin.user_consents(user_id=user) == []
    assert token_call(server, admin.connection.realm_name, grant_type="password", username="nora", password="nora-password-1").status_code == 200


def test_signing_in_again_in_the_second_of_a_sign_out_works_and_older_tokens_do_not(server, admin, seen_secrets):
    user = make_user(admin, "quick", "quick-password-1")
    oidc = openid(server, admin)
    for _ in range(3):
        before = oidc.token("quick", "quick-password-1")
        admin.user_logout(user_id=user)
        after = oidc.token("quick", "quick-password-1")
        seen_secrets.extend([before["access_token"], after["access_token"], after["refresh_token"]])
        with pytest.raises(KeycloakAuthenticationError):
            oidc.userinfo(before["access_token"])
        assert oidc.userinfo(after["access_token"])["preferred_username"] == "quick"
        seen_secrets.append(oidc.refresh_token(after["refresh_token"])["refresh_token"])


def test_brute_force_detection_counts_every_failure_and_locks_as_configured(server, admin):
    realm = admin.connection.realm_name
    user = make_user(admin, "bruno", "bruno-password-1")
    assert admin.get_realm(realm)["bruteForceProtected"] is False
    with pytest.raises(KeycloakPutError) as refused:
        admin.update_realm(realm, payload={"failureFactor": 0})
    assert refused.value.response_code == 400 and b"failureFactor" in refused.value.response_body

    # Off: failures are not counted.
    token_call(server, realm, grant_type="password", username="bruno", password="wrong")
    assert admin.get_bruteforce_detection_status(user)["numFailures"] == 0

    admin.update_realm(realm, payload={"bruteForceProtected": True, "failureFactor": 12, "waitIncrementSeconds": 600, "quickLoginCheckMilliSeconds": 0})
    shown = admin.get_realm(realm)
    assert (shown["bruteForceProtected"], shown["failureFactor"], shown["waitIncrementSeconds"]) == (True, 12, 600)

    # Ten simultaneous wrong passwords are ten failures, on any storage.
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: token_call(server, realm, grant_type="password", username="bruno", password="wrong").status_code, range(10)))
    assert answers == [401] * 10
    status = admin.get_bruteforce_detection_status(user)
    assert (status["numFailures"], status["disabled"], status["lastIPFailure"]) == (10, False, "127.0.0.1")
    assert status["lastFailure"] > 0

    # A right password clears the count; then twelve failures lock, and the right password is refused like a wrong one.
    assert token_call(server, realm, grant_type="password", username="bruno", password="bruno-password-1").status_code == 200
    assert admin.get_bruteforce_detection_status(user)["numFailures"] == 0
    for _ in range(12):
        token_call(server, realm, grant_type="password", username="bruno", password="wrong")
    assert admin.get_bruteforce_detection_status(user)["disabled"] is True
    locked = token_call(server, realm, grant_type="password", username="bruno", password="bruno-password-1")
    assert (locked.status_code, locked.json()["error_description"]) == (401, "Invalid user credentials")
    assert admin.get_bruteforce_detection_status(user)["numFailures"] == 12, "attempts while locked are not counted"

    assert admin.clear_bruteforce_attempts_for_user(user) == {}
    assert admin.get_bruteforce_detection_status(user) == {"numFailures": 0, "disabled": False, "lastIPFailure": "n/a", "lastFailure": 0}
    assert token_call(server, realm, grant_type="password", username="bruno", password="bruno-password-1").status_code == 200
    with pytest.raises(KeycloakGetError, match="User not found"):
        admin.get_bruteforce_detection_status("no-such-user")

    # Permanent lockout disables the user until an administrator enables them again.
    admin.update_realm(realm, payload={"permanentLockout": True, "failureFactor": 2})
    for _ in range(2):
        token_call(server, realm, grant_type="password", username="bruno", password="wrong")
    assert admin.get_user(user)["enabled"] is False
    assert admin.get_bruteforce_detection_status(user)["disabled"] is True
    right = token_call(server, realm, grant_type="password", username="bruno", password="bruno-password-1")
    assert (right.status_code, right.json()["error_description"]) == (401, "Invalid user credentials"), "the right password tells nothing"
    assert admin.get_bruteforce_detection_status(user)["numFailures"] == 2, "nor does it clear the count"
    admin.update_user(user, payload={"enabled": True})  # enabling the user ends the lockout, as in Keycloak
    assert admin.get_bruteforce_detection_status(user)["numFailures"] == 0
    assert token_call(server, realm, grant_type="password", username="bruno", password="bruno-password-1").status_code == 200
    assert admin.clear_all_bruteforce_attempts() == {}


def test_login_events_are_kept_while_enabled_in_keycloaks_shape(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    user = make_user(admin, "eve", "eve-password-1")
    token_call(server, realm, grant_type="password", username="eve", password="eve-password-1")
    assert admin.get_events() == [], "events are off by default, as in Keycloak"
    events_config = lambda: admin.connection.raw_get(f"admin/realms/{realm}/events/config").json()  # noqa: E731
    assert events_config()["eventsEnabled"] is False

    with pytest.raises(KeycloakPutError, match="Unrecognized field"):
        admin.set_events(payload={"eventsEnabled": True, "bad": "conf"})
    with pytest.raises(KeycloakPutError) as refused:
        admin.set_events(payload={"enabledEventTypes": ["login; DROP"]})
    assert refused.value.response_code == 400
    assert admin.set_events(payload={"eventsEnabled": True, "eventsExpiration": 3600}) == {}
    config = events_config()
    assert (config["eventsEnabled"], config["eventsExpiration"], config["enabledEventTypes"]) == (True, 3600, [])

    signed_in = token_call(server, realm, grant_type="password", username="eve", password="eve-password-1").json()
    token_call(server, realm, grant_type="password", username="eve", password="not-her-password")
    refreshed = token_call(server, realm, grant_type="refresh_token", refresh_token=signed_in["refresh_token"]).json()
    seen_secrets.extend([signed_in["refresh_token"], refreshed["refresh_token"]])
    requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/logout",
                  data={"client_id": "admin-cli", "refresh_token": refreshed["refresh_token"]})

    events = admin.get_events()
    assert [event["type"] for event in events] == ["LOGOUT", "REFRESH_TOKEN", "LOGIN_ERROR", "LOGIN"], "newest first"
    login = events[3]
    assert (login["userId"], login["clientId"], login["sessionId"], login["ipAddress"], login["realmId"]) == (
        user, "admin-cli", signed_in["session_state"], "127.0.0.1", realm)
    assert login["details"] == {"grant_type": "password", "username": "eve"}
    failure = events[2]
    assert (failure["error"], failure["details"]["username"]) == ("invalid_user_credentials", "eve")
    assert "not-her-password" not in json.dumps(events)

    assert [event["type"] for event in admin.get_events(query={"type": "LOGIN"})] == ["LOGIN"]
    assert len(admin.get_events(query={"type": ["LOGIN", "LOGOUT"]})) == 2
    assert len(admin.get_events(query={"user": user})) == 3
    assert len(admin.get_events(query={"client": "admin-cli", "max": 2})) == 2
    assert len(admin.get_events(query={"first": 3})) == 1
    today = datetime.datetime.now(datetime.timezone.utc).date()
    assert len(admin.get_events(query={"dateFrom": str(today), "dateTo": str(today)})) == 4
    assert admin.get_events(query={"dateTo": str(today - datetime.timedelta(days=1))}) == []
    with pytest.raises(KeycloakGetError) as refused:
        admin.get_events(query={"dateFrom": "yesterday"})
    assert refused.value.response_code == 400

    # Only the enabled types are kept; deleting forgets them all.
    admin.set_events(payload={"enabledEventTypes": ["LOGIN_ERROR"]})
    token_call(server, realm, grant_type="password", username="eve", password="eve-password-1")
    token_call(server, realm, grant_type="password", username="eve", password="wrong-again")
    assert [event["type"] for event in admin.get_events()][:2] == ["LOGIN_ERROR", "LOGOUT"]
    assert admin.connection.raw_delete(f"admin/realms/{realm}/events").status_code == 204
    assert admin.get_events() == []


def test_required_actions_decide_what_sign_in_asks(server, admin):
    realm = admin.connection.realm_name
    actions = admin.get_required_actions()
    assert [action["alias"] for action in actions] == ["CONFIGURE_TOTP", "UPDATE_PASSWORD", "VERIFY_EMAIL"]
    update = admin.get_required_action_by_alias("UPDATE_PASSWORD")
    assert {key: update[key] for key in ("name", "providerId", "enabled", "defaultAction", "priority")} == {
        "name": "Update Password", "providerId": "UPDATE_PASSWORD", "enabled": True, "defaultAction": False, "priority": 30}

    make_user(admin, "tim", "tim-password-1", temporary=True)
    refused = token_call(server, realm, grant_type="password", username="tim", password="tim-password-1")
    assert refused.json()["error_description"] == "Account is not fully set up"
    admin.update_required_action("UPDATE_PASSWORD", {**update, "enabled": False})
    assert admin.get_required_action_by_alias("UPDATE_PASSWORD")["enabled"] is False
    assert token_call(server, realm, grant_type="password", username="tim", password="tim-password-1").status_code == 200
    admin.update_required_action("UPDATE_PASSWORD", {"enabled": True, "defaultAction": True})
    assert token_call(server, realm, grant_type="password", username="tim", password="tim-password-1").status_code == 400

    # As the default action, every new user with a password chooses their own first.
    new = make_user(admin, "una", "una-password-1")
    assert admin.get_user(new)["requiredActions"] == ["UPDATE_PASSWORD"]
    assert token_call(server, realm, grant_type="password", username="una", password="una-password-1").status_code == 400

    with pytest.raises(KeycloakPutError) as refused:
        admin.update_required_action("VERIFY_EMAIL", {"enabled": True})
    assert refused.value.response_code == 400 and b"mail" in refused.value.response_body
    with pytest.raises(KeycloakPutError, match="Failed to find required action"):
        admin.update_required_action("NO_SUCH_ACTION", {"enabled": True})
    assert admin.get_required_action_by_alias("NO_SUCH_ACTION") is None


@pytest.mark.parametrize("change", ["reset-password", "disable"])
def test_a_sign_in_under_way_when_the_password_is_reset_or_the_user_disabled_keeps_nothing(server, admin, seen_secrets, change):
    realm = admin.connection.realm_name
    user = make_user(admin, "racer", "racer-password-1")
    tokens, stop = [], False

    def sign_in_repeatedly():
        while not stop:
            answer = token_call(server, realm, grant_type="password", username="racer", password="racer-password-1", scope="offline_access")
            if answer.status_code == 200:
                tokens.append(answer.json())

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        running = [pool.submit(sign_in_repeatedly) for _ in range(6)]
        time.sleep(0.6)
        if change == "reset-password":
            admin.set_user_password(user_id=user, password="racer-password-2", temporary=False)
        else:
            admin.update_user(user, payload={"enabled": False})
        time.sleep(0.5)
        stop = True
        for future in running:
            future.result()
    assert tokens, "sign-ins went through before the change"
    seen_secrets.extend(token["refresh_token"] for token in tokens)
    time.sleep(1.1)  # past the change's second
    oidc = openid(server, admin)
    for token in tokens:
        with pytest.raises((KeycloakPostError, KeycloakAuthenticationError)):
            oidc.refresh_token(token["refresh_token"])
        assert requests.get(f"{server.base_url}/api/user/me", headers={"Authorization": f"Bearer {token['access_token']}"}).status_code == 401
    assert admin.get_sessions(user_id=user) == [] and admin.user_consents(user_id=user) == []


def test_offline_tokens_end_with_their_client_and_with_the_offline_access_role(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    user = make_user(admin, "ida", "ida-password-1")
    client = admin.create_client(payload={"clientId": "nightly", "publicClient": True, "directAccessGrantsEnabled": True})
    nightly = KeycloakOpenID(server_url=server.base_url + "/", realm_name=realm, client_id="nightly")
    first = nightly.token("ida", "ida-password-1", scope="offline_access")
    seen_secrets.append(first["refresh_token"])
    admin.delete_client(client)
    admin.create_client(payload={"clientId": "nightly", "publicClient": True, "directAccessGrantsEnabled": True})
    with pytest.raises(KeycloakPostError, match="Session not active"):
        nightly.refresh_token(first["refresh_token"])
    assert admin.user_consents(user_id=user) == []

    second = nightly.token("ida", "ida-password-1", scope="offline_access")
    seen_secrets.append(second["refresh_token"])
    admin.delete_realm_roles_of_user(user_id=user, roles=[admin.get_realm_role(f"default-roles-{realm}")])
    with pytest.raises(KeycloakPostError, match="Offline tokens not allowed"):
        nightly.refresh_token(second["refresh_token"])


def test_the_portal_client_never_gets_an_offline_session(server, seen_secrets):
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    admin.change_current_realm(server.realm)
    requests.get(f"{server.base_url}/portal/{server.realm}/login", allow_redirects=False)  # makes sure the portal client exists
    user = make_user(admin, "pia" + uuid.uuid4().hex[:4], "pia-password-1")
    username = admin.get_user(user)["username"]
    answer = requests.post(f"{server.base_url}/realms/{server.realm}/protocol/openid-connect/auth", allow_redirects=False, data={
        "client_id": "nexusone-portal", "redirect_uri": f"{server.base_url}/portal/{server.realm}/callback", "response_type": "code",
        "scope": "openid offline_access", "state": "s", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256", "username": username, "password": "pia-password-1"})
    assert answer.status_code == 302 and "code=" in answer.headers["location"], answer.text[:300]
    assert admin.user_consents(user_id=user) == []
    assert len(admin.get_sessions(user_id=user)) == 1
    admin.delete_user(user)


def test_one_email_address_per_user_unless_the_realm_allows_duplicates(server, admin):
    realm = admin.connection.realm_name
    first = admin.create_user(payload={"username": "mail-1", "email": "Shared@Example.com", "enabled": True})
    with pytest.raises(KeycloakPostError) as taken:
        admin.create_user(payload={"username": "mail-2", "email": "shared@example.COM", "enabled": True})
    assert (taken.value.response_code, taken.value.response_body) == (409, b'{"errorMessage":"User exists with same email"}')
    with pytest.raises(KeycloakPostError, match="User exists with same username"):
        admin.create_user(payload={"username": "mail-1", "email": "shared@example.com", "enabled": True})
    other = admin.create_user(payload={"username": "mail-3", "email": "own@example.com", "enabled": True})
    with pytest.raises(KeycloakPutError, match="User exists with same email"):
        admin.update_user(other, payload={"email": "SHARED@example.com"})
    admin.update_user(first, payload={"email": "Shared@Example.com", "firstName": "Same"})  # a user keeps their own address

    # Eight users given one new address at the same moment: one keeps it.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda index: admin.connection.raw_post(
            f"admin/realms/{realm}/users", data=json.dumps({"username": f"race-{index}", "email": "race@example.com", "enabled": True})).status_code,
            range(8)))
    assert sorted(answers) == [201] + [409] * 7

    assert admin.get_realm(realm)["duplicateEmailsAllowed"] is False
    admin.update_realm(realm, payload={"duplicateEmailsAllowed": True})
    admin.create_user(payload={"username": "mail-4", "email": "shared@example.com", "enabled": True})
    assert len(admin.get_users(query={"email": "shared@example.com", "exact": "true"})) == 2
