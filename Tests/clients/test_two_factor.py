"""Two-factor sign-in (TOTP, RFC 6238) through the realm's login page, the password grant and python-keycloak's admin
client: enrolment with a drawn secret, codes that work once (also when sent at the same moment), the realm's OTP policy
and the roles that require a code, `otp` credentials listed and removed, wrong codes counted."""
import base64
import concurrent.futures
import hashlib
import hmac
import html
import re
import struct
import time
import uuid

import pytest
import requests
from keycloak import KeycloakAdmin
from keycloak.exceptions import KeycloakPutError

from conftest import ADMIN_PASSWORD

REDIRECT = "http://127.0.0.1:9/callback"
VERIFIER = "a" * 43
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()


def totp(secret, offset=0, digits=6, period=30, digest=hashlib.sha1):
    """RFC 6238, written out here so the server's codes are checked against an independent computation."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // period + offset), digest).digest()
    index = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[index:index + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(value).zfill(digits)


@pytest.fixture()
def admin(server):
    realm = "otp" + uuid.uuid4().hex[:6]
    admin = KeycloakAdmin(server_url=server.base_url + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    admin.create_realm(payload={"realm": realm, "enabled": True})
    admin.change_current_realm(realm)
    admin.create_client(payload={"clientId": "app", "publicClient": True, "standardFlowEnabled": True, "directAccessGrantsEnabled": True,
                                 "redirectUris": [REDIRECT]})
    yield admin
    admin.change_current_realm("master")
    admin.delete_realm(realm)


def hidden_fields(page):
    return {html.unescape(name): html.unescape(value) for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}


def login_page(server, realm, username, password):
    """Submits the login form; returns the answer (the next step's page, or the redirect with a code)."""
    fields = {"client_id": "app", "redirect_uri": REDIRECT, "response_type": "code", "scope": "openid", "state": "st",
              "code_challenge": CHALLENGE, "code_challenge_method": "S256", "username": username, "password": password}
    return requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/auth", data=fields, allow_redirects=False)


def next_step(server, realm, page, **fields):
    return requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/auth", data={**hidden_fields(page), **fields},
                         allow_redirects=False)


def password_grant(server, realm, username, password, **extra):
    return requests.post(f"{server.base_url}/realms/{realm}/protocol/openid-connect/token",
                         data={"grant_type": "password", "client_id": "app", "username": username, "password": password, **extra})


def enrol(server, admin, username, password, seen_secrets):
    """Signs in on the login page, which asks to set up an authenticator; returns the typed secret."""
    realm = admin.connection.realm_name
    page = login_page(server, realm, username, password)
    assert page.status_code == 200 and "Set up your authenticator" in page.text
    assert "<svg" in page.text and 'role="img"' in page.text, "the QR code is drawn in the page"
    secret = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    seen_secrets.append(secret.replace(" ", ""))
    wrong = next_step(server, realm, page.text, otp="000000" if totp(secret) != "000000" else "111111", label="Phone")
    assert wrong.status_code == 400 and "Invalid authenticator code." in wrong.text
    assert re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', wrong.text).group(1) == secret, "a wrong code keeps the drawn secret"
    done = next_step(server, realm, wrong.text, otp=totp(secret), label="Phone")
    assert done.status_code == 302 and "code=" in done.headers["location"]
    return secret


def test_enrolment_then_codes_that_work_once(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    user = admin.create_user(payload={"username": "tara", "enabled": True, "requiredActions": ["CONFIGURE_TOTP"],
                                      "credentials": [{"type": "password", "value": "tara-password-1", "temporary": False}]})
    assert admin.get_user(user)["requiredActions"] == ["CONFIGURE_TOTP"]
    assert password_grant(server, realm, "tara", "tara-password-1").json()["error_description"] == "Account is not fully set up"
    secret = enrol(server, admin, "tara", "tara-password-1", seen_secrets)

    shown = admin.get_user(user)
    assert (shown["requiredActions"], shown["totp"]) == ([], True)
    [password, otp] = admin.get_credentials(user)
    assert password["type"] == "password" and (otp["type"], otp["userLabel"]) == ("otp", "Phone")
    assert otp["credentialData"] == '{"subType":"totp","digits":6,"counter":0,"period":30,"algorithm":"HmacSHA1"}'
    assert secret.replace(" ", "") not in str(admin.get_credentials(user))

    # The code used to enrol is spent; without a code, or with a wrong one, the password grant says what a wrong password says.
    for extra in ({}, {"totp": totp(secret)}, {"totp": "12345"}):
        refused = password_grant(server, realm, "tara", "tara-password-1", **extra)
        assert (refused.status_code, refused.json()["error_description"]) == (401, "Invalid user credentials")
    assert password_grant(server, realm, "tara", "tara-password-1", totp=totp(secret, offset=1)).status_code == 200, "one period of drift"

    # The login page asks for the code after the password; a used code is refused there too.
    page = login_page(server, realm, "tara", "tara-password-1")
    assert page.status_code == 200 and 'id="otp"' in page.text and "Authenticator code" in page.text
    reused = next_step(server, realm, page.text, otp=totp(secret, offset=1))
    assert reused.status_code == 401 and "Invalid authenticator code." in reused.text
    signed_in = next_step(server, realm, reused.text, otp=totp(secret, offset=-1))
    assert signed_in.status_code == 302 and "code=" in signed_in.headers["location"]

    # Removing the authenticator: the password alone signs in again (nothing requires a code for this user).
    admin.delete_credential(user_id=user, credential_id=otp["id"])
    assert [credential["type"] for credential in admin.get_credentials(user)] == ["password"]
    assert password_grant(server, realm, "tara", "tara-password-1").status_code == 200


def test_one_code_sent_at_once_from_many_places_works_once(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    admin.create_user(payload={"username": "sol", "enabled": True, "requiredActions": ["CONFIGURE_TOTP"],
                               "credentials": [{"type": "password", "value": "sol-password-1", "temporary": False}]})
    secret = enrol(server, admin, "sol", "sol-password-1", seen_secrets)
    code = totp(secret, offset=1)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: password_grant(server, realm, "sol", "sol-password-1", totp=code).status_code, range(8)))
    assert sorted(answers) == [200] + [401] * 7


def test_the_realm_policy_and_the_roles_that_require_a_code(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    shown = admin.get_realm(realm)
    assert {key: shown[key] for key in ("otpPolicyType", "otpPolicyAlgorithm", "otpPolicyDigits", "otpPolicyPeriod", "otpPolicyLookAheadWindow",
                                        "otpPolicyCodeReusable", "otpRequiredForRoles")} == {
        "otpPolicyType": "totp", "otpPolicyAlgorithm": "HmacSHA1", "otpPolicyDigits": 6, "otpPolicyPeriod": 30, "otpPolicyLookAheadWindow": 1,
        "otpPolicyCodeReusable": False, "otpRequiredForRoles": []}
    for refused in ({"otpPolicyDigits": 7}, {"otpPolicyType": "hotp"}, {"otpPolicyCodeReusable": True}, {"otpPolicyPeriod": 5},
                    {"otpPolicyAlgorithm": "MD5"}, {"otpPolicyLookAheadWindow": 99}):
        with pytest.raises(KeycloakPutError) as error:
            admin.update_realm(realm, payload=refused)
        assert error.value.response_code == 400, refused
    admin.create_realm_role(payload={"name": "nx1_admin"})  # what deploy adds to a realm; this one was made through the admin REST
    admin.update_realm(realm, payload={"otpPolicyDigits": 8, "otpPolicyAlgorithm": "HmacSHA256", "otpPolicyLookAheadWindow": 0,
                                       "otpRequiredForRoles": ["nx1_admin"]})

    # A holder of the role must set up an authenticator, which then follows the policy; others sign in as before.
    admin.create_user(payload={"username": "ada", "enabled": True, "realmRoles": ["nx1_admin"],
                               "credentials": [{"type": "password", "value": "ada-password-1", "temporary": False}]})
    admin.create_user(payload={"username": "bob", "enabled": True, "credentials": [{"type": "password", "value": "bob-password-1", "temporary": False}]})
    assert password_grant(server, realm, "bob", "bob-password-1").status_code == 200
    assert password_grant(server, realm, "ada", "ada-password-1").json()["error_description"] == "Account is not fully set up"
    page = login_page(server, realm, "ada", "ada-password-1")
    assert "SHA256, 8 digits, every 30 seconds" in page.text
    secret = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    seen_secrets.append(secret.replace(" ", ""))
    assert next_step(server, realm, page.text, otp=totp(secret, digits=8, digest=hashlib.sha256)).status_code == 302
    assert password_grant(server, realm, "ada", "ada-password-1", totp=totp(secret, offset=1, digits=8, digest=hashlib.sha256)).status_code == 401, \
        "no look-ahead in this realm"

    # Wrong codes count for brute-force detection like wrong passwords, and a locked user's right code is refused too,
    # also on a code form opened before the lock.
    admin.update_realm(realm, payload={"bruteForceProtected": True, "failureFactor": 3, "quickLoginCheckMilliSeconds": 0,
                                       "otpPolicyLookAheadWindow": 1})
    opened = login_page(server, realm, "ada", "ada-password-1")
    for _ in range(3):
        password_grant(server, realm, "ada", "ada-password-1", totp="00000000")
    status = admin.get_bruteforce_detection_status(admin.get_user_id("ada"))
    assert (status["numFailures"], status["disabled"]) == (3, True)
    right = totp(secret, offset=1, digits=8, digest=hashlib.sha256)
    locked = next_step(server, realm, opened.text, otp=right)
    assert locked.status_code == 401 and "Invalid authenticator code." not in locked.text and "expired" in locked.text
    admin.clear_bruteforce_attempts_for_user(admin.get_user_id("ada"))
    assert next_step(server, realm, opened.text, otp=right).status_code == 302


def test_guessing_codes_stops_after_ten_wrong_ones_whatever_the_realm_says(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    admin.create_user(payload={"username": "gus", "enabled": True, "requiredActions": ["CONFIGURE_TOTP"],
                               "credentials": [{"type": "password", "value": "gus-password-1", "temporary": False}]})
    secret = enrol(server, admin, "gus", "gus-password-1", seen_secrets)
    page = login_page(server, realm, "gus", "gus-password-1")
    for guess in range(10):
        wrong = f"{(int(totp(secret, offset=1)) + 1 + guess) % 1_000_000:06d}"
        page = next_step(server, realm, page.text, otp=wrong)
        assert page.status_code == 401
    assert next_step(server, realm, page.text, otp=totp(secret, offset=1)).status_code == 401, "the eleventh is refused, right or not"
    assert password_grant(server, realm, "gus", "gus-password-1", totp=totp(secret, offset=1)).status_code == 401


def test_a_drawn_secret_enrols_once_and_a_passed_code_stands_only_for_its_password_change(server, admin, seen_secrets):
    realm = admin.connection.realm_name
    user = admin.create_user(payload={"username": "eno", "enabled": True, "requiredActions": ["CONFIGURE_TOTP"],
                                      "credentials": [{"type": "password", "value": "eno-password-1", "temporary": True}]})
    page = login_page(server, realm, "eno", "eno-password-1")
    secret = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    seen_secrets.append(secret.replace(" ", ""))
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: next_step(server, realm, page.text, otp=totp(secret)), range(8)))
    changing = [answer for answer in answers if "password-new" in answer.text]
    assert len(changing) == 1, [answer.status_code for answer in answers]
    assert [credential["type"] for credential in admin.get_credentials(user)].count("otp") == 1

    # The password-change form carries a passed second factor; once nothing is left to change, it asks for a code again.
    admin.update_user(user, payload={"requiredActions": []})
    again = next_step(server, realm, changing[0].text)
    assert again.status_code == 200 and "Authenticator code" in again.text
