-- Send each application of the file given after "--" once in the run, across all threads:
-- each line is "path<TAB>sessionid<TAB>csrf secret", one signed-in applicant whose session
-- already holds their answers (as the first two screens leave it), and the request is the
-- third screen's Send. Thread t of n (n is the second argument, wrk's -t) sends lines t,
-- t + n, t + 2n... A Send answered 302 to the applicant's application page counts as a
-- submit; anything else as refused, with the site's words kept for the report. A thread that
-- runs out of lines sends its last again and counts the repeats: the result is then refused.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local lines, position, stride, current
-- Globals, not locals: done() reads them from each thread with thread:get().
submits, submits_refused, repeats, refusal = 0, 0, 0, ""

function init(args)
  lines = {}
  for _, line in ipairs(bench_lines(args[1])) do
    local path, session, csrf = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    lines[#lines + 1] = { path = path, session = session, csrf = csrf }
  end
  stride = tonumber(args[2]) or 1
  position = (tonumber(thread_number) or 1) - stride
end

function request()
  position = position + stride
  if position > #lines then
    repeats = repeats + 1
    position = position - stride
  end
  current = lines[position]
  return wrk.format("POST", current.path, {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = bench_client_address(tonumber(thread_number) or 1),
    ["Origin"] = "https://" .. wrk.host .. ":" .. wrk.port,
    ["Cookie"] = "sessionid=" .. current.session .. "; csrftoken=" .. current.csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrfmiddlewaretoken=" .. current.csrf .. "&save_details=")
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status == 302 and location:find("/my-applications/", 1, true) then
    submits = submits + 1
  else
    submits_refused = submits_refused + 1
    local message = (body or ""):match('<div class="error%-summary".-<li>(.-)</li>') or ""
    refusal = string.format("answered %d %s %s", status, location, message:sub(1, 200))
  end
end

function bench_done_extra(threads)
  local made, refused, repeated, said = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    made = made + thread:get("submits")
    refused = refused + thread:get("submits_refused")
    repeated = repeated + thread:get("repeats")
    local last = thread:get("refusal")
    if last ~= "" then said = last end
  end
  return { submits = made, submits_refused = refused, repeats = repeated, refusal = said }
end
