-- wrk script: POST a client_credentials form (FORM, from the environment) to the URL's path, the realm's token endpoint.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("FORM")

dofile("Benchmarks/pacing.lua")  -- the scripts run from the repository root
dofile("Benchmarks/wrk-result.lua")
