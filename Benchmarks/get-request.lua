-- wrk script: GET with optional headers from the environment (PSK → Authorization-PSK, TOKEN → Authorization: Bearer).
local psk = os.getenv("PSK")
local token = os.getenv("TOKEN")
if psk and psk ~= "" then wrk.headers["Authorization-PSK"] = psk end
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
