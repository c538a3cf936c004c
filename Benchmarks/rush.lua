-- The opening-morning rush: each request is one family booking every date of the fixture
-- in a single submission (POST /api/v1/basket/submit with its lines and an Idempotency-Key),
-- as a phone app does when "Valider" is tapped. The families of BENCH_FIXTURE (the output
-- of `marelle load-fixture`) are shared out between wrk's threads; a thread that has sent
-- all of its families starts them again (they then get "Déjà réservé" on every line).
dofile(os.getenv("BENCH_DIR") .. "/lib.lua")

function init(args)
  local activity, days = nil, nil
  local all = {}
  for line in io.lines(os.getenv("BENCH_FIXTURE")) do
    local words = {}
    for word in line:gmatch("%S+") do table.insert(words, word) end
    if words[1] == "activity" then
      activity = words[2]
    elseif words[1] == "dates" then
      local quoted = {}
      for i = 2, #words do table.insert(quoted, '"' .. words[i] .. '"') end
      days = table.concat(quoted, ",")
    elseif not words[1]:match("^showcase") and #words == 2 then
      table.insert(all, words)
    end
  end
  local count = tonumber(os.getenv("BENCH_THREADS"))
  families = {}
  for i, family in ipairs(all) do
    if (i - 1) % count == thread_index then
      table.insert(families, {
        token = family[1],
        body = string.format('{"lines":[{"childId":%s,"activityId":%s,"days":[%s]}]}', family[2], activity, days),
      })
    end
  end
  sent = 0
end

function request()
  sent = sent + 1
  local family = families[(sent - 1) % #families + 1]
  local headers = base_headers()
  headers["Authorization"] = "Bearer " .. family.token
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = string.format("bench-%d-%d", thread_index, sent)
  return wrk.format("POST", "/api/v1/basket/submit", headers, family.body)
end
