-- The login storm: parents logging in over the API with their right password, each login
-- an Argon2id verification (BENCH_EMAIL / BENCH_PASSWORD).
dofile(os.getenv("BENCH_DIR") .. "/lib.lua")

function init(args)
  local headers = base_headers()
  headers["Content-Type"] = "application/json"
  prepared = wrk.format("POST", "/api/v1/auth/login", headers,
    string.format('{"email":"%s","password":"%s"}', os.getenv("BENCH_EMAIL"), os.getenv("BENCH_PASSWORD")))
end

function request()
  return prepared
end
