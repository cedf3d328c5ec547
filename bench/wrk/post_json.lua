-- POST each JSON body of the file given after "--" in turn to the path given second. A third
-- argument, if given, is text every answer must contain (for the verifier, '"valid":true'):
-- an answer without it is counted as wrong, so a run that verifies nothing cannot pass.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local bodies, position, path, expected
-- A global, not a local: the main script reads it from each thread with thread:get().
wrong = 0

function init(args)
  bodies = bench_lines(args[1])
  path = args[2]
  expected = args[3]
  position = (tonumber(thread_number) or 1) * 7919 % #bodies
end

function request()
  position = position % #bodies + 1
  return wrk.format("POST", path, {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = bench_client_address(tonumber(thread_number) or 1),
    ["Content-Type"] = "application/json",
  }, bodies[position])
end

function response(status, headers, body)
  if expected and expected ~= "" and status < 400 and not (body or ""):find(expected, 1, true) then
    wrong = wrong + 1
  end
end

function bench_done_extra(threads)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("wrong") end
  return { wrong_answers = total }
end
