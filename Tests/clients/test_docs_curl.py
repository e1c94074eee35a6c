"""The NexusOne docs' curl + jq example, verbatim but for the host."""
import json
import subprocess


def test_docs_curl_command_prints_the_documented_fields(server, seen_secrets):
    command = (
        f'client_name={server.realm}; '
        f'curl -sX POST "{server.base_url}/realms/$client_name/protocol/openid-connect/token" '
        f'-d grant_type=client_credentials -d scope=profile -d client_id={server.client_id} -d client_secret={server.client_secret} | jq'
    )
    output = subprocess.run(["bash", "-c", command], check=True, capture_output=True, text=True).stdout
    body = json.loads(output)
    seen_secrets.append(body["access_token"])
    assert list(body.keys()) == ["access_token", "expires_in", "refresh_expires_in", "token_type", "not-before-policy", "scope"]
    assert body["expires_in"] == 600
    assert body["refresh_expires_in"] == 0
    assert body["token_type"] == "Bearer"
    assert body["not-before-policy"] == 0
    assert body["scope"] == "email openid profile"
    assert output.startswith('{\n  "access_token": "')


def test_first_start_banner_carries_the_ready_curl_command(server):
    assert f"client_id={server.client_id}" in server.banner
    assert "grant_type=client_credentials -d scope=profile" in server.banner
    assert "| jq" in server.banner


def test_bearer_token_from_curl_works_on_the_api(server):
    token = subprocess.run(
        ["curl", "-sX", "POST", server.token_url, "-d", "grant_type=client_credentials", "-d", "scope=profile",
         "-d", f"client_id={server.client_id}", "-d", f"client_secret={server.client_secret}"],
        check=True, capture_output=True, text=True).stdout
    access = json.loads(token)["access_token"]
    me = subprocess.run(["curl", "-s", f"{server.base_url}/api/user/me", "-H", f"Authorization: Bearer {access}"],
                        check=True, capture_output=True, text=True).stdout
    assert json.loads(me)["username"] == f"service-account-{server.client_id.lower()}"
