-- GET each path of the file given after "--" in turn, from a different place in the list in
-- each thread; an optional second argument is a Cookie header (a signed-in session).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local paths, position, cookie

function init(args)
  paths = bench_lines(args[1])
  position = (tonumber(thread_number) or 1) * 7919 % #paths
  cookie = args[2]
end

function request()
  position = position % #paths + 1
  local headers = {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = bench_client_address(tonumber(thread_number) or 1),
  }
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[position], headers)
end
