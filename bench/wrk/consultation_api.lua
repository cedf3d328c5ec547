-- Submit whole consultation responses through the API, one request each:
-- POST /api/v1/consultations/<slug>/responses with a JSON body of every answer and a fresh
-- Idempotency-Key, from a fresh address each time (as many respondents would). The file given
-- after "--" holds the path on its first line and the JSON body on its second; the second
-- argument names the run, so that no two runs share an idempotency key. A 201 is a stored
-- response; the count of them is checked against the database afterwards.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local path, body, run_id, number
-- Globals, not locals: the main script reads them from each thread with thread:get().
submits, refused = 0, 0

function init(args)
  local lines = bench_lines(args[1])
  path, body = lines[1], lines[2]
  run_id = args[2] or "run"
  number = 0
end

function request()
  number = number + 1
  return wrk.format("POST", path, {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = bench_client_address(tonumber(thread_number) or 1),
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run_id, tonumber(thread_number) or 1, number),
  }, body)
end

function response(status, headers, response_body)
  if status == 201 then submits = submits + 1 else refused = refused + 1 end
end

function bench_done_extra(threads)
  local total_submits, total_refused = 0, 0
  for _, thread in ipairs(threads) do
    total_submits = total_submits + thread:get("submits")
    total_refused = total_refused + thread:get("refused")
  end
  return { submits = total_submits, submits_refused = total_refused }
end
