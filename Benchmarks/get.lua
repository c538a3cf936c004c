-- A page or an API read under load: GET BENCH_PATH on the association's host, with the
-- session cookie BENCH_COOKIE or the bearer token BENCH_TOKEN when given.
dofile(os.getenv("BENCH_DIR") .. "/lib.lua")

function init(args)
  local headers = base_headers()
  local cookie, token = os.getenv("BENCH_COOKIE"), os.getenv("BENCH_TOKEN")
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  prepared = wrk.format("GET", os.getenv("BENCH_PATH"), headers)
end

function request()
  return prepared
end
