-- Shared by the wrk scripts (dofile): with RATE and CONNECTIONS in the environment, a fixed arrival rate instead of
-- wrk's as-fast-as-possible. Each connection waits an exponentially distributed time (mean CONNECTIONS / RATE seconds)
-- after each answer, so the connections together send a Poisson stream of about RATE requests/s with independent
-- phases (hey -q starts every worker's ticker at once, which sends bursts). At half of the maximum the answers take a
-- small fraction of the mean wait, so the closed loop per connection hardly holds the stream back; the achieved rate
-- is printed next to the asked one.
local rate, connections = tonumber(os.getenv("RATE") or ""), tonumber(os.getenv("CONNECTIONS") or "")
if rate and connections and rate > 0 then
  local mean_ms = connections * 1000 / rate
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  delay = function()
    -- wrk waits whole milliseconds; rounding keeps the mean.
    return math.floor(-math.log(1 - math.random()) * mean_ms + 0.5)
  end
end
