-- POST each JSON body of the file given after "--" in turn to the path given second.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local bodies, position, path

function init(args)
  bodies = bench_lines(args[1])
  path = args[2]
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
