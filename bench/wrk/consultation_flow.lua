-- Answer a consultation through its HTML pages, over and over, as people on phones would.
-- Run with as many threads as connections, so that each thread is one person's browser and its
-- requests follow one another. The file given after "--" has one session per line
-- ("sessionid<TAB>csrf secret") and then the steps: "POST<TAB>path<TAB>form body". The last
-- step is the submit (the check-answers page), sent with a fresh idempotency key; its answers
-- are counted and timed here, apart from the page steps. The third argument picks which
-- sessions this run uses, so that a warm-up's last request, still being answered when it
-- stops, never races the next run's first one on the same session.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local cookie, csrf, steps, step, sent_at, number, address, run_id
local submit_latencies = {}
-- Globals, not locals: the main script reads them from each thread with thread:get().
submits, refused, latency_list, refusal = 0, 0, "", ""

function init(args)
  local me = tonumber(thread_number) or 1
  local sessions = {}
  steps = {}
  for _, line in ipairs(bench_lines(args[1])) do
    local kind, a, b = line:match("^(%u+)\t([^\t]*)\t?(.*)$")
    if kind == "SESSION" then sessions[#sessions + 1] = { a, b }
    else steps[#steps + 1] = { method = kind, path = a, body = b } end
  end
  local mine = me + (tonumber(args[3]) or 0)
  assert(mine <= #sessions, "more threads than sessions")
  cookie = "sessionid=" .. sessions[mine][1] .. "; csrftoken=" .. sessions[mine][2]
  csrf = sessions[mine][2]
  step, number = 1, 1
  address = bench_client_address(me)
  run_id = args[2] or "run"
end

-- request() only reads the state and response() moves it on: wrk calls request() once more
-- than it sends, on the first thread before the run starts (to check the script), and a step
-- moved on there would send that thread's first person straight to page 2.
function request()
  local current = steps[step]
  local body = "csrfmiddlewaretoken=" .. csrf .. "&" .. current.body
  if step == #steps then
    body = body .. string.format("&idempotency_key=bench-%s-%d-%d", run_id,
      tonumber(thread_number) or 1, number)
  end
  sent_at = bench_now_us()
  return wrk.format(current.method, current.path, {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = address,
    ["Origin"] = "https://" .. wrk.host .. ":" .. wrk.port,
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  if step == #steps then
    local location = headers["Location"] or headers["location"] or ""
    if status == 302 and location:find("/done/", 1, true) then
      submits = submits + 1
      submit_latencies[#submit_latencies + 1] = math.floor(bench_now_us() - sent_at)
      -- wrk hands plain values, not tables, from a thread to the main script.
      latency_list = table.concat(submit_latencies, ",")
    else
      refused = refused + 1
      refusal = bench_refusal(status, body)
    end
  elseif status ~= 302 then
    refused = refused + 1
    refusal = bench_refusal(status, body)
  end
  step = step % #steps + 1
  if step == 1 then
    number = number + 1
    address = bench_client_address(tonumber(thread_number) or 1)
  end
end

-- What the site said, for the report: the step, the status and the page's error message.
function bench_refusal(status, body)
  body = body or ""
  local message = body:match('class="error%-summary".-<ul>(.-)</ul>')
    or body:match('class="notification[^"]*">(.-)</p>') or body:match("<h1>(.-)</h1>") or ""
  message = message:gsub("<[^>]+>", " "):gsub("%s+", " ")
  return string.format("step %d of %d answered %d: %s", step, #steps, status, message:sub(1, 200))
end

function bench_done_extra(threads)
  local all, total_submits, total_refused, refusals = {}, 0, 0, {}
  for _, thread in ipairs(threads) do
    total_submits = total_submits + thread:get("submits")
    total_refused = total_refused + thread:get("refused")
    local said = thread:get("refusal") or ""
    if said ~= "" then refusals[#refusals + 1] = said end
    for value in string.gmatch(thread:get("latency_list") or "", "%d+") do
      all[#all + 1] = tonumber(value)
    end
  end
  table.sort(all)
  local function pick(p)
    if #all == 0 then return 0 end
    return all[math.max(1, math.ceil(#all * p / 100))]
  end
  return {
    submits = total_submits, submits_refused = total_refused,
    submit_p50_us = pick(50), submit_p95_us = pick(95), submit_p99_us = pick(99),
    refusals = table.concat(refusals, " | "),
  }
end

