-- wrk script: POST a client_credentials form; CLIENT_ID, CLIENT_SECRET and REALM come from the environment.
wrk.method = "POST"
wrk.path = "/realms/" .. os.getenv("REALM") .. "/protocol/openid-connect/token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&scope=profile&client_id=" .. os.getenv("CLIENT_ID") .. "&client_secret=" .. os.getenv("CLIENT_SECRET")

dofile("Benchmarks/wrk-result.lua")  -- the scripts run from the repository root
