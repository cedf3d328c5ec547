-- Shared by the make-bench scripts: reading the input file, per-request headers as a proxy in
-- front of the site would send them, and one JSON line of results for bench/full_stack.py.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local now_spec = ffi.new("bench_timespec")

function bench_now_us()
  ffi.C.clock_gettime(1, now_spec) -- CLOCK_MONOTONIC
  return tonumber(now_spec.tv_sec) * 1000000 + tonumber(now_spec.tv_nsec) / 1000
end

function bench_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  assert(#lines > 0, "no lines in " .. path)
  return lines
end

-- Clients come from many addresses, as a national service's would: the proxy passes each on in
-- X-Forwarded-For (the site trusts it with USE_X_FORWARDED_FOR), and per-address rate limits
-- count them apart. 10.0.0.0/8 has room for every request of a run.
local forwarded = 0
function bench_client_address(thread_number)
  forwarded = forwarded + 1
  local n = forwarded * 64 + thread_number
  return string.format("10.%d.%d.%d", (n / 65536) % 256, (n / 256) % 256, n % 256)
end

local threads = {}
function setup(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

local function json_escape(text)
  return (tostring(text):gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

function done(summary, latency, requests)
  local extra = {}
  if bench_done_extra then extra = bench_done_extra(threads) end
  local parts = {
    string.format('"duration_us":%d', summary.duration),
    string.format('"requests":%d', summary.requests),
    string.format('"bytes":%d', summary.bytes),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}',
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout),
    string.format('"latency_us":{"p50":%d,"p95":%d,"p99":%d,"mean":%.1f,"max":%d}',
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.mean, latency.max),
  }
  for key, value in pairs(extra) do
    if type(value) == "number" then
      parts[#parts + 1] = string.format('"%s":%s', key, tostring(value))
    else
      parts[#parts + 1] = string.format('"%s":"%s"', key, json_escape(value))
    end
  end
  io.write("BENCH_JSON {" .. table.concat(parts, ",") .. "}\n")
end
