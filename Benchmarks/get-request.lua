-- wrk script: GET with optional headers from the environment (PSK → Authorization-PSK, TOKEN → Authorization: Bearer).
local psk = os.getenv("PSK")
local token = os.getenv("TOKEN")
if psk and psk ~= "" then wrk.headers["Authorization-PSK"] = psk end
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

dofile("Benchmarks/pacing.lua")  -- the scripts run from the repository root
dofile("Benchmarks/wrk-result.lua")
