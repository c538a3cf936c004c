-- A page under load spread over many associations: each request goes to the next host of
-- the file BENCH_HOSTS (one host name a line), every thread starting at its own place, so
-- that every pooled connection serves association after association in turn.
dofile(os.getenv("BENCH_DIR") .. "/lib.lua")

function init(args)
  hosts = {}
  for line in io.lines(os.getenv("BENCH_HOSTS")) do
    if line ~= "" then table.insert(hosts, line) end
  end
  requests = {}
  for i, host in ipairs(hosts) do
    requests[i] = wrk.format("GET", os.getenv("BENCH_PATH"), { ["Host"] = host })
  end
  next_index = (thread_index or 0) * 7919 % #hosts
end

function request()
  next_index = next_index % #hosts + 1
  return requests[next_index]
end
