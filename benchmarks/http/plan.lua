-- wrk script: cycles through a list of /v1/plan queries (one path per line, made by run.sh from
-- a fixed seed) and reports latency percentiles and non-2xx answers.
--   wrk -t2 -c32 -d10s -s plan.lua http://127.0.0.1:8080 -- queries.txt
local paths = {}
local counter = 0

function init(args)
  local file = args[1] or os.getenv("NEBUTA_QUERIES") or "queries.txt"
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no queries in " .. file) end
  -- Threads start at different places of the list.
  counter = math.random(#paths)
  wrk.headers["Connection"] = "keep-alive"  -- Pistache closes HTTP/1.1 connections without it
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("requests: %d  errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("requests/s: %.0f\n", summary.requests / s))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max: %.2f ms\n", latency.max / 1000))
end
