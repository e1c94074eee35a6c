"""The portal in a real headless Chromium (Debian's chromium + chromium-driver, Selenium): an administrator creates a
user and gives them `nx1_ask`; that user logs in through the realm's login page (choosing a new password), sees their
initials, and manages a Personal PSK in Settings (create, use with curl, regenerate, delete). Also: no admin pages
without `nx1_admin`, CSRF, headers, escaping, keyboard-only use and logout. Screenshots go to $NEXUSONE_ARTIFACTS (default
/tmp/nexusone-artifacts)."""
import base64
import hashlib
import hmac
import json
import os
import re
import struct
import subprocess
import tempfile
import time
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from keycloak import KeycloakAdmin
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ADMIN_PASSWORD, Deployment, Server, psql

ARTIFACTS = os.environ.get("NEXUSONE_ARTIFACTS", "/tmp/nexusone-artifacts")
NEW_PASSWORD = "portal-test-password-42"


@pytest.fixture(scope="module")
def portal():
    deployment = Deployment(prefix="nexusone-portal-")
    yield deployment.server
    deployment.close()


def new_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser(request):
    driver = new_browser()
    yield driver
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, f"{request.node.name}-last.png"))
    driver.quit()


def eventually(driver, condition, seconds=10):
    """Waits for `condition`, also while the page it looks at is being replaced by the next one (Chromium then says a
    found element is stale, or that its node "does not belong to the document")."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException, WebDriverException)).until(condition)


def shot(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, f"{name}.png"))


def log_in(driver, server, password, username=None):
    driver.get(server.base_url + "/")
    driver.find_element(By.ID, "username").send_keys(username or server.realm_admin[0])
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "kc-login").click()
    if driver.find_elements(By.ID, "password-new"):
        driver.find_element(By.ID, "password-new").send_keys(NEW_PASSWORD)
        driver.find_element(By.ID, "password-confirm").send_keys(NEW_PASSWORD)
        driver.find_element(By.ID, "kc-update").click()
    WebDriverWait(driver, 10).until(ready.presence_of_element_located((By.ID, "account-menu")))


def log_out(driver):
    driver.find_element(By.ID, "account-menu").click()
    driver.find_element(By.ID, "menu-logout").click()
    WebDriverWait(driver, 10).until(ready.presence_of_element_located((By.ID, "username")))


def me(server, key):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"{server.base_url}/api/user/me", "-H", f"Authorization-PSK: {key}"],
                         check=True, capture_output=True, text=True).stdout
    return int(out)


def test_an_administrator_creates_a_user_who_manages_a_personal_psk(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    driver.get(base + "/")
    driver.find_element(By.ID, "username").send_keys(portal.realm_admin[0])
    driver.find_element(By.ID, "password").send_keys("not-the-password")
    driver.find_element(By.ID, "kc-login").click()
    eventually(driver, lambda d: "Invalid username or password." in d.page_source)
    shot(driver, "01-login-failed")

    # The realm administrator creates Bob and gives him nx1_ask.
    log_in(driver, portal, portal.realm_admin[1])
    assert driver.find_element(By.ID, "account-menu").text == portal.realm_admin[0][:2].upper()
    driver.find_element(By.ID, "nav-admin").click()
    driver.find_element(By.ID, "new-username").send_keys("bob")
    driver.find_element(By.ID, "new-first-name").send_keys("Bob")
    driver.find_element(By.ID, "new-last-name").send_keys("Builder")
    driver.find_element(By.ID, "user-create").click()
    one_time = driver.find_element(By.ID, "one-time-password").get_attribute("value")
    seen_secrets.append(one_time)
    shot(driver, "02-user-created")
    driver.find_element(By.ID, "user-roles-link").click()
    driver.find_element(By.ID, "assign-nx1_ask").click()
    assert driver.find_elements(By.ID, "remove-nx1_ask")
    shot(driver, "03-role-assigned")
    log_out(driver)

    # Bob logs in with the one-time password, chooses his own, and sees his initials but no administration.
    log_in(driver, portal, one_time, username="bob")
    badge = driver.find_element(By.ID, "account-menu")
    assert badge.text == "BB"
    assert not driver.find_elements(By.ID, "nav-admin")
    shot(driver, "04-home")
    bob_cookie = {"nx1_portal": driver.get_cookie("nx1_portal")["value"]}
    for page in ("admin/users", "admin/clients", "admin/keys", "admin/audit"):
        assert requests.get(f"{base}/portal/{portal.realm}/{page}", cookies=bob_cookie, allow_redirects=False).status_code == 403, page
    driver.get(f"{base}/portal/{portal.realm}/admin/users")
    assert "needs the role nx1_admin" in driver.page_source
    driver.get(f"{base}/portal/{portal.realm}/")
    driver.find_element(By.ID, "account-menu").click()
    driver.find_element(By.ID, "menu-settings").click()
    assert driver.find_element(By.ID, "psk-heading").text == "Personal PSK"
    assert "nx1_ask" in driver.page_source

    description = "<script>alert('x')</script> laptop"
    driver.find_element(By.ID, "psk-add").click()
    driver.find_element(By.ID, "psk-description").send_keys(description)
    driver.find_element(By.ID, "psk-create").click()
    key = driver.find_element(By.ID, "psk-value").get_attribute("value")
    seen_secrets.append(key)
    assert key.startswith("nx1p_")
    driver.find_element(By.ID, "psk-copy").click()
    eventually(driver, lambda d: d.find_element(By.ID, "psk-copy").text == "Copied")
    shot(driver, "05-key-created")
    assert me(portal, key) == 200
    assert json.loads(subprocess.run(["curl", "-s", f"{base}/api/user/me", "-H", f"Authorization-PSK: {key}"], capture_output=True,
                                     text=True).stdout)["username"] == "bob"

    driver.find_element(By.ID, "psk-done").click()
    assert driver.find_element(By.ID, "psk-description-shown").text == description  # shown as text, not run
    assert driver.find_element(By.ID, "psk-hint").text == key[:5] + "…" + key[-4:]
    assert key not in driver.page_source
    shot(driver, "06-settings-with-key")

    driver.find_element(By.ID, "psk-regenerate").click()
    driver.find_element(By.ID, "psk-confirm").click()
    regenerated = driver.find_element(By.ID, "psk-value").get_attribute("value")
    seen_secrets.append(regenerated)
    assert regenerated.startswith("nx1p_") and regenerated != key
    assert me(portal, key) == 401
    assert me(portal, regenerated) == 200
    shot(driver, "07-key-regenerated")

    driver.find_element(By.ID, "psk-done").click()
    driver.find_element(By.ID, "psk-delete").click()
    driver.find_element(By.ID, "psk-confirm").click()
    assert driver.find_elements(By.ID, "psk-add")
    assert me(portal, regenerated) == 401
    shot(driver, "08-key-deleted")

    # Phone width: nothing sticks out sideways.
    driver.set_window_size(390, 844)
    driver.get(f"{base}/portal/{portal.realm}/settings")
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    shot(driver, "08b-settings-phone")


def test_an_administrator_gives_a_role_through_a_group_and_the_member_sees_both_in_settings(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    log_in(driver, portal, NEW_PASSWORD)  # the first test had the administrator choose it
    driver.get(f"{base}/portal/{portal.realm}/admin/users")
    driver.find_element(By.ID, "admin-groups").click()
    driver.find_element(By.ID, "new-group-name").send_keys("Analysts EU")
    driver.find_element(By.ID, "group-create").click()
    eventually(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Group /Analysts EU")
    driver.find_element(By.ID, "group-assign-nx1_ask").click()
    eventually(driver, lambda d: d.find_elements(By.ID, "group-remove-nx1_ask"))
    shot(driver, "20-group-with-role")
    driver.get(f"{base}/portal/{portal.realm}/admin/groups")
    driver.find_element(By.ID, "new-group-name").send_keys("a/b")
    driver.find_element(By.ID, "group-create").click()
    eventually(driver, lambda d: "may not hold" in d.find_element(By.CSS_SELECTOR, "p.error").text)

    driver.get(f"{base}/portal/{portal.realm}/admin/users")
    driver.find_element(By.ID, "new-username").send_keys("gwen")
    driver.find_element(By.ID, "user-create").click()
    one_time = driver.find_element(By.ID, "one-time-password").get_attribute("value")
    seen_secrets.append(one_time)
    driver.find_element(By.ID, "user-roles-link").click()
    eventually(driver, lambda d: "In no group." in d.page_source)
    driver.find_element(By.ID, "group-join").click()
    eventually(driver, lambda d: "/Analysts EU" in d.find_element(By.ID, "groups-heading").find_element(By.XPATH, "..").text)
    shot(driver, "21-user-in-group")
    log_out(driver)

    log_in(driver, portal, one_time, username="gwen")
    gwen_cookie = {"nx1_portal": driver.get_cookie("nx1_portal")["value"]}
    assert requests.get(f"{base}/portal/{portal.realm}/admin/groups", cookies=gwen_cookie, allow_redirects=False).status_code == 403
    driver.find_element(By.ID, "account-menu").click()
    driver.find_element(By.ID, "menu-settings").click()
    eventually(driver, lambda d: d.find_element(By.ID, "settings-groups").text == "/Analysts EU")
    assert "nx1_ask" in driver.page_source, "the group's role is the member's"
    shot(driver, "22-settings-groups")


def test_forms_need_the_csrf_token_and_pages_carry_the_security_headers(portal, browser):
    driver, base = browser, portal.base_url
    log_in(driver, portal, NEW_PASSWORD)
    cookie = {"nx1_portal": driver.get_cookie("nx1_portal")["value"]}
    settings = requests.get(f"{base}/portal/{portal.realm}/settings", cookies=cookie, allow_redirects=False)
    assert settings.status_code == 200
    assert "script-src 'self'" in settings.headers["Content-Security-Policy"] and "'unsafe-inline'" not in settings.headers["Content-Security-Policy"]
    assert settings.headers["X-Frame-Options"] == "DENY"
    assert settings.headers["Cache-Control"] == "no-store"
    assert settings.headers["Referrer-Policy"] == "no-referrer"
    session_cookie = driver.get_cookie("nx1_portal")
    assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Lax"

    forged = requests.post(f"{base}/portal/{portal.realm}/settings/psk", cookies=cookie, data={"description": "forged"}, allow_redirects=False)
    assert forged.status_code == 403
    wrong = requests.post(f"{base}/portal/{portal.realm}/settings/psk", cookies=cookie, data={"description": "forged", "csrf": "0" * 64},
                          allow_redirects=False)
    assert wrong.status_code == 403
    assert "Personal PSK" in requests.get(f"{base}/portal/{portal.realm}/settings", cookies=cookie).text
    assert 'id="psk-add"' in requests.get(f"{base}/portal/{portal.realm}/settings", cookies=cookie).text  # nothing was created

    log_out(driver)  # back at the realm's login page
    after = requests.get(f"{base}/portal/{portal.realm}/settings", cookies=cookie, allow_redirects=False)
    assert after.status_code == 303 and after.headers["Location"].endswith("/login")


def test_keyboard_only_a_key_is_created_and_copied(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    log_in(driver, portal, NEW_PASSWORD)
    driver.get(f"{base}/portal/{portal.realm}/settings")
    body = driver.find_element(By.TAG_NAME, "body")

    def tab_to(element_id):
        for _ in range(30):
            if driver.switch_to.active_element.get_attribute("id") == element_id:
                return
            driver.switch_to.active_element.send_keys(Keys.TAB)
        raise AssertionError(f"{element_id} is not reachable with the keyboard")

    body.send_keys(Keys.TAB)
    tab_to("psk-add")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(ready.presence_of_element_located((By.ID, "psk-description")))
    driver.switch_to.active_element.send_keys("keyboard only")  # the description field has focus
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    key = WebDriverWait(driver, 5).until(ready.presence_of_element_located((By.ID, "psk-value"))).get_attribute("value")
    seen_secrets.append(key)
    tab_to("psk-copy")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    eventually(driver, lambda d: d.find_element(By.ID, "psk-copy").text == "Copied")
    shot(driver, "09-keyboard-only")
    assert me(portal, key) == 200


def test_a_card_from_a_suggestion_shows_a_chart_and_rows_and_an_embed_link(portal, browser):
    driver, base = browser, portal.base_url
    log_in(driver, portal, NEW_PASSWORD)
    driver.find_element(By.ID, "nav-queries").click()
    driver.find_element(By.ID, "query-new").click()
    driver.find_element(By.ID, "domain-sales").click()
    driver.find_element(By.ID, "suggestion-0").click()  # How many orders are there per channel?
    assert driver.find_element(By.ID, "card-title").text == "How many orders are there per channel?"
    chart = driver.find_element(By.CSS_SELECTOR, "svg.chart.bars")
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.bar")) == 4
    rows = driver.find_elements(By.CSS_SELECTOR, "#card-rows tbody tr")
    assert len(rows) == 4 and sum(int(row.find_elements(By.TAG_NAME, "td")[1].text) for row in rows) == 6000
    assert "GROUP BY channel" in driver.find_element(By.ID, "card-sql").text
    shot(driver, "10-card-bars")
    embed = driver.find_element(By.ID, "card-embed").get_attribute("href")

    # A trend over months draws a line.
    driver.find_element(By.ID, "nav-queries").click()
    driver.find_element(By.ID, "query-new").click()
    driver.find_element(By.ID, "domain-sales").click()
    driver.find_element(By.ID, "suggestion-4").click()  # How many orders are there per month of order date?
    assert driver.find_elements(By.CSS_SELECTOR, "svg.chart.line polyline")
    shot(driver, "11-card-line")

    # Own SQL: refused when it writes, a card when it reads.
    driver.find_element(By.ID, "nav-queries").click()
    driver.find_element(By.ID, "query-new").click()
    driver.find_element(By.ID, "query-sql").send_keys("DELETE FROM orders")
    driver.find_element(By.ID, "query-submit").click()
    eventually(driver, lambda d: "Only SELECT or WITH statements may run" in d.page_source)
    sql = driver.find_element(By.ID, "query-sql")
    sql.clear()
    sql.send_keys("SELECT COUNT(*) AS orders FROM orders")
    driver.find_element(By.ID, "query-prompt").send_keys("All orders")
    driver.find_element(By.ID, "query-submit").click()
    assert driver.find_element(By.ID, "card-title").text == "All orders"
    assert driver.find_elements(By.CSS_SELECTOR, "svg.chart.number")

    # The embed link shows the card without a session; a changed token does not.
    anonymous = new_browser()
    try:
        anonymous.get(embed)
        assert anonymous.find_element(By.ID, "card-title").text == "How many orders are there per channel?"
        assert anonymous.find_elements(By.CSS_SELECTOR, "svg.chart.bars")
        shot(anonymous, "12-embed")
        anonymous.get(embed[:-4] + "AAAA")
        assert "no longer valid" in anonymous.page_source
    finally:
        anonymous.quit()
    # Used once, the link is spent; even its refusal may be framed so the framing site shows why.
    again = requests.get(embed)
    assert again.status_code == 403 and "no longer valid" in again.text
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"] and "X-Frame-Options" not in again.headers


def test_data_products_with_sample_rows_curl_example_and_keys(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    log_in(driver, portal, NEW_PASSWORD)
    driver.find_element(By.ID, "nav-dataproducts").click()
    driver.find_element(By.ID, "product-new").click()
    driver.find_element(By.ID, "product-name").send_keys("channel_totals")
    driver.find_element(By.ID, "product-sql").send_keys("SELECT channel, COUNT(*) AS n FROM orders GROUP BY channel ORDER BY channel")
    driver.find_element(By.ID, "product-create").click()
    first_key = driver.find_element(By.ID, "key-value").get_attribute("value")
    seen_secrets.append(first_key)
    assert first_key.startswith("nx1d_")
    data = requests.get(f"{base}/api/data/channel_totals", params={"psk": first_key}).json()
    assert data["columns"] == ["channel", "n"] and len(data["data"]) == 4

    driver.find_element(By.ID, "key-done").click()
    assert len(driver.find_elements(By.CSS_SELECTOR, "#product-rows tbody tr")) == 4
    assert driver.find_element(By.ID, "product-url").text == f"{base}/api/data/channel_totals"
    assert 'Authorization-PSK: $KEY' in driver.find_element(By.ID, "product-curl").text
    driver.find_element(By.ID, "key-description").send_keys("BI tool")
    days = driver.find_element(By.ID, "key-days")
    days.clear()
    days.send_keys("7")
    driver.find_element(By.ID, "key-create").click()
    second_key = driver.find_element(By.ID, "key-value").get_attribute("value")
    seen_secrets.append(second_key)
    assert requests.get(f"{base}/api/data/channel_totals", headers={"Authorization-PSK": second_key}).status_code == 200
    driver.find_element(By.ID, "key-done").click()
    keys = driver.find_elements(By.CSS_SELECTOR, "#product-keys tbody tr")
    assert len(keys) == 2
    shot(driver, "13-data-product")
    row = next(row for row in keys if "BI tool" in row.text)
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    eventually(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#product-keys tbody tr")) == 1)
    assert requests.get(f"{base}/api/data/channel_totals", headers={"Authorization-PSK": second_key}).status_code == 401
    assert requests.get(f"{base}/api/data/channel_totals", headers={"Authorization-PSK": first_key}).status_code == 200


def test_administration_of_keys_clients_and_the_audit_log(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    log_in(driver, portal, NEW_PASSWORD)
    driver.get(f"{base}/portal/{portal.realm}/settings")
    if driver.find_elements(By.ID, "psk-delete"):  # the keyboard test's key
        driver.find_element(By.ID, "psk-delete").click()
        driver.find_element(By.ID, "psk-confirm").click()
    driver.find_element(By.ID, "psk-add").click()
    driver.find_element(By.ID, "psk-description").send_keys("temporary")
    driver.find_element(By.ID, "psk-create").click()
    key = driver.find_element(By.ID, "psk-value").get_attribute("value")
    seen_secrets.append(key)
    assert me(portal, key) == 200

    driver.find_element(By.ID, "nav-admin").click()
    driver.find_element(By.ID, "admin-keys").click()
    row = next(row for row in driver.find_elements(By.CSS_SELECTOR, "#keys tbody tr") if "temporary" in row.text)
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    eventually(driver, lambda d: "revoked" in next((r.text for r in d.find_elements(By.CSS_SELECTOR, "#keys tbody tr") if "temporary" in r.text), ""))
    assert me(portal, key) == 401
    shot(driver, "14-admin-keys")

    driver.find_element(By.ID, "admin-clients").click()
    driver.find_element(By.ID, f"secret-{portal.client_id}").click()
    secret = driver.find_element(By.ID, "secret-value").get_attribute("value")
    seen_secrets.append(secret)
    token = lambda value: requests.post(portal.token_url, data={"grant_type": "client_credentials", "client_id": portal.client_id,
                                                                 "client_secret": value}).status_code
    assert token(secret) == 200 and token(portal.client_secret) == 401

    driver.find_element(By.ID, "admin-audit").click()
    actions = [row.find_elements(By.TAG_NAME, "td")[1].text for row in driver.find_elements(By.CSS_SELECTOR, "#audit tbody tr")]
    assert "revoke" in actions and "create" in actions
    assert key not in driver.page_source
    shot(driver, "15-admin-audit")


def test_a_wrong_password_gets_one_generic_message_and_repeated_failures_are_throttled(browser):
    deployment = Deployment(prefix="nexusone-throttle-", extra_env={"NEXUSONE_AUTH_FAILURE_LIMIT": "3"})
    try:
        driver, server = browser, deployment.server
        messages = []
        # Failures count per username and address (docs/security.md): the unknown user's does not count for the admin.
        for username in ("nobody", server.realm_admin[0], server.realm_admin[0], server.realm_admin[0], server.realm_admin[0]):
            driver.get(server.base_url + "/")
            driver.find_element(By.ID, "username").send_keys(username)
            driver.find_element(By.ID, "password").send_keys("wrong-password")
            driver.find_element(By.ID, "kc-login").click()
            eventually(driver, lambda d: "Invalid username or password." in d.page_source or "Too many failed attempts" in d.page_source)
            messages.append("Too many" if "Too many failed attempts" in driver.page_source else "Invalid")
        assert messages[:4] == ["Invalid"] * 4  # an unknown user and a wrong password read the same
        assert messages[4] == "Too many"
        shot(driver, "16-throttled")
    finally:
        deployment.close()


@pytest.mark.postgres
def test_a_portal_session_opened_on_one_node_is_served_by_another():
    """Two server processes on one PostgreSQL behind one public URL: sign in on A, use Settings and log out on B."""
    base_url = os.environ["TEST_POSTGRES_URL"]
    name = "nx1_portal_nodes_" + uuid.uuid4().hex[:10]
    psql(base_url, f"CREATE DATABASE {name}")
    url = base_url.rsplit("/", 1)[0] + "/" + name
    shared = {"NEXUSONE_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
    node_a = Server(tempfile.mkdtemp(prefix="nexusone-portal-a-"), url, extra_args=["--public-url", "http://nexusone.test"], extra_env=shared)
    node_b = Server(tempfile.mkdtemp(prefix="nexusone-portal-b-"), url, extra_args=["--public-url", "http://nexusone.test", "--no-demo"],
                    extra_env=shared)
    try:
        http = requests.Session()
        realm = node_a.realm
        start = http.get(f"{node_a.base_url}/portal/{realm}/login", allow_redirects=False)
        page = http.get(node_a.base_url + start.headers["Location"])
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
        fields = {key: value.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x3D;", "=") for key, value in fields.items()}
        auth = f"{node_a.base_url}/realms/{realm}/protocol/openid-connect/auth"
        answer = http.post(auth, data={**fields, "username": node_a.realm_admin[0], "password": node_a.realm_admin[1]}, allow_redirects=False)
        if answer.status_code == 200:  # the one-time password must be replaced first
            pending = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', answer.text))
            pending = {key: value.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x3D;", "=") for key, value in pending.items()}
            answer = http.post(auth, data={**pending, "password-new": NEW_PASSWORD, "password-confirm": NEW_PASSWORD}, allow_redirects=False)
        callback = answer.headers["Location"].replace("http://nexusone.test", node_a.base_url)
        signed_in = http.get(callback, allow_redirects=False)
        assert signed_in.status_code == 302
        cookie = {"nx1_portal": http.cookies.get("nx1_portal")}
        on_b = requests.get(f"{node_b.base_url}/portal/{realm}/settings", cookies=cookie, allow_redirects=False)
        assert on_b.status_code == 200 and "Personal PSK" in on_b.text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', on_b.text).group(1)
        assert requests.post(f"{node_b.base_url}/portal/{realm}/logout", cookies=cookie, data={"csrf": csrf}, allow_redirects=False).status_code == 303
        assert requests.get(f"{node_a.base_url}/portal/{realm}/settings", cookies=cookie, allow_redirects=False).status_code == 303
    finally:
        node_a.stop()
        node_b.stop()
        psql(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_settings_lists_sessions_and_offline_tokens_and_signs_out_the_others(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    username = portal.realm_admin[0]
    log_in(driver, portal, NEW_PASSWORD)  # the first test had the administrator choose it
    elsewhere = new_browser()
    try:
        log_in(elsewhere, portal, NEW_PASSWORD)
        offline = requests.post(f"{base}/realms/{portal.realm}/protocol/openid-connect/token",
                                data={"grant_type": "password", "client_id": "admin-cli", "username": username, "password": NEW_PASSWORD,
                                      "scope": "offline_access"}).json()
        seen_secrets.extend([offline["refresh_token"], offline["access_token"]])

        driver.get(f"{base}/portal/{portal.realm}/settings")
        rows = driver.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")
        assert len(rows) >= 2 and sum("this session" in row.text for row in rows) == 1
        assert "admin-cli" in driver.find_element(By.ID, "offline-tokens").text
        shot(driver, "23-settings-sessions")

        driver.find_element(By.ID, "sessions-sign-out-others").click()
        eventually(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")) == 1)
        elsewhere.get(f"{base}/portal/{portal.realm}/settings")
        WebDriverWait(elsewhere, 10).until(ready.presence_of_element_located((By.ID, "username")))
        refreshed = requests.post(f"{base}/realms/{portal.realm}/protocol/openid-connect/token",
                                  data={"grant_type": "refresh_token", "client_id": "admin-cli", "refresh_token": offline["refresh_token"]}).json()
        seen_secrets.append(refreshed["refresh_token"])
        assert "access_token" in refreshed, "an offline token outlives signing out of the other sessions"

        driver.find_element(By.CSS_SELECTOR, "#offline-tokens button").click()
        eventually(driver, lambda d: d.find_elements(By.ID, "no-offline-tokens"))
        ended = requests.post(f"{base}/realms/{portal.realm}/protocol/openid-connect/token",
                              data={"grant_type": "refresh_token", "client_id": "admin-cli", "refresh_token": refreshed["refresh_token"]})
        assert (ended.status_code, ended.json()["error_description"]) == (400, "Session not active")
    finally:
        elsewhere.quit()


def totp(secret, offset=0):
    """RFC 6238 with the defaults (SHA-1, 6 digits, 30 s), computed here independently of the server."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + offset), hashlib.sha1).digest()
    index = mac[-1] & 0x0F
    return str((struct.unpack(">I", mac[index:index + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


def scanned_secret(driver, name):
    """Reads the QR code on the page the way a phone would (zbar on a screenshot) and checks it against the key in text."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, f"{name}.png")
    with open(path, "wb") as image:
        image.write(driver.find_element(By.CSS_SELECTOR, "#otp-qr svg").screenshot_as_png)
    uri = subprocess.run(["zbarimg", "--raw", "-q", path], check=True, capture_output=True, text=True).stdout.strip()
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp"), uri
    secret = parse_qs(parsed.query)["secret"][0]
    assert secret == driver.find_element(By.ID, "otp-secret").text.replace(" ", "")
    assert parse_qs(parsed.query)["digits"] == ["6"] and parse_qs(parsed.query)["period"] == ["30"]
    return secret


def test_an_authenticator_is_set_up_at_sign_in_asked_for_after_and_managed_in_settings(portal, browser, seen_secrets):
    driver, base = browser, portal.base_url
    admin = KeycloakAdmin(server_url=base + "/", username="admin", password=ADMIN_PASSWORD, realm_name="master", user_realm_name="master")
    admin.change_current_realm(portal.realm)
    user = admin.create_user(payload={"username": "otto", "enabled": True, "requiredActions": ["CONFIGURE_TOTP"],
                                      "credentials": [{"type": "password", "value": "otto-password-1", "temporary": False}]})
    driver.get(base + "/")
    driver.find_element(By.ID, "username").send_keys("otto")
    driver.find_element(By.ID, "password").send_keys("otto-password-1")
    driver.find_element(By.ID, "kc-login").click()
    eventually(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Set up your authenticator")
    shot(driver, "30-configure-otp")
    secret = scanned_secret(driver, "30-configure-otp-qr")
    seen_secrets.append(secret)
    driver.find_element(By.ID, "otp").send_keys(totp(secret))
    driver.find_element(By.ID, "label").send_keys("Otto's phone")
    driver.find_element(By.ID, "kc-otp-enrol").click()
    WebDriverWait(driver, 10).until(ready.presence_of_element_located((By.ID, "account-menu")))
    assert [credential["userLabel"] for credential in admin.get_credentials(user) if credential["type"] == "otp"] == ["Otto's phone"]
    log_out(driver)

    # The next sign-in asks for a code after the password; the code just used does not work twice.
    driver.find_element(By.ID, "username").send_keys("otto")
    driver.find_element(By.ID, "password").send_keys("otto-password-1")
    driver.find_element(By.ID, "kc-login").click()
    eventually(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Authenticator code")
    driver.find_element(By.ID, "otp").send_keys(totp(secret))
    driver.find_element(By.ID, "kc-otp-login").click()
    eventually(driver, lambda d: "Invalid authenticator code." in d.find_element(By.CSS_SELECTOR, "p.error").text)
    shot(driver, "31-otp-reused")
    driver.find_element(By.ID, "otp").send_keys(totp(secret, offset=1))
    driver.find_element(By.ID, "kc-otp-login").click()
    WebDriverWait(driver, 10).until(ready.presence_of_element_located((By.ID, "account-menu")))

    # Settings: remove it, and set up another there.
    driver.get(f"{base}/portal/{portal.realm}/settings")
    assert "Otto's phone" in driver.find_element(By.ID, "authenticator-heading").find_element(By.XPATH, "..").text
    driver.find_element(By.ID, "authenticator-remove").click()
    eventually(driver, lambda d: d.find_elements(By.ID, "no-authenticator"))
    driver.find_element(By.ID, "authenticator-add").click()
    eventually(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#otp-qr svg"))
    shot(driver, "32-settings-authenticator")
    again = scanned_secret(driver, "32-settings-authenticator-qr")
    seen_secrets.append(again)
    assert again != secret
    driver.find_element(By.ID, "otp").send_keys(totp(again))
    driver.find_element(By.ID, "otp-enrol").click()
    eventually(driver, lambda d: d.find_elements(By.ID, "authenticator-remove"))
    assert [credential["type"] for credential in admin.get_credentials(user)] == ["password", "otp"]
