-- GET each path of the file given after "--" at most once in the run, across all threads, so
-- that every request is a first visit: thread t of n (n is the second argument, wrk's -t) asks
-- for lines t, t + n, t + 2n and so on. get.lua starts every run of the same file at the same
-- places, so a timed run after a warm-up on that file asks again for what the warm-up asked.
-- A thread that runs out of lines starts its share again and counts each repeat; the result
-- line reports them, and bench/search_rendering_ab.py refuses a timed run that had any.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local paths, position, stride, wrapped
-- A global, not a local: done() reads it from each thread with thread:get().
repeats = 0

function init(args)
  paths = bench_lines(args[1])
  stride = tonumber(args[2]) or 1
  position = (tonumber(thread_number) or 1) - stride
end

function request()
  position = position + stride
  if position > #paths then
    wrapped = true
    position = (position - 1) % stride + 1
    -- Fewer lines than threads: this thread has no share of its own.
    if position > #paths then position = 1 end
  end
  if wrapped then repeats = repeats + 1 end
  return wrk.format("GET", paths[position], {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = bench_client_address(tonumber(thread_number) or 1),
  })
end

function bench_done_extra(threads)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("repeats") or 0)
  end
  return { repeats = total }
end
