-- wrk script: a mixed load, one request of each kind in turn — a client_credentials token (REALM, CLIENT_ID,
-- CLIENT_SECRET), GET /api/user/me with a Personal or deployment PSK (PSK), and a 100-row data page with a data-product
-- key (DATA_PATH, DATA_KEY).
local realm, client_id, client_secret = os.getenv("REALM"), os.getenv("CLIENT_ID"), os.getenv("CLIENT_SECRET")
local psk, data_path, data_key = os.getenv("PSK"), os.getenv("DATA_PATH"), os.getenv("DATA_KEY")
local token_body = "grant_type=client_credentials&client_id=" .. client_id .. "&client_secret=" .. client_secret
local turn = 0

request = function()
  turn = turn + 1
  local kind = turn % 3
  if kind == 0 then
    return wrk.format("POST", "/realms/" .. realm .. "/protocol/openid-connect/token",
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, token_body)
  elseif kind == 1 then
    return wrk.format("GET", "/api/user/me", { ["Authorization-PSK"] = psk })
  end
  return wrk.format("GET", data_path, { ["Authorization-PSK"] = data_key })
end

dofile("Benchmarks/wrk-result.lua")  -- the scripts run from the repository root
