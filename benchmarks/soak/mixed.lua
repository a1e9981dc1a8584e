-- wrk script for the soak: a mix of planner and dispatcher requests on one `nebuta serve --db`.
--   wrk ... -s mixed.lua URL -- queries.txt stops.txt OPERATOR_TOKEN DATE [planner]
-- 45 % plans, 15 % stop search, 15 % departures, 12 % offers (each offer made is accepted by a
-- later request with its rider token), 13 % vehicle positions. Counts answers by status.
-- With "planner" as the fifth argument, no on-demand request is sent: 45 % plans, 27.5 % stop
-- search, 27.5 % departures (the dispatcher keeps every booking of the day, so only this mix
-- can show that the HTTP layer's memory stays flat).
local plans, stops = {}, {}
local token = ""
local date = ""
local pending = {}   -- accepted offers to send: {id, rider_token}
local counter = 0
local last_kind = nil
local threads = {}
local planner_only = false

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do if #line > 0 then plans[#plans + 1] = line end end
  for line in io.lines(args[2]) do if #line > 0 then stops[#stops + 1] = line end end
  token = args[3]
  date = args[4]
  planner_only = args[5] == "planner"
  counter = math.random(#plans)
end

local function lat() return 40.48 + math.random() * 0.06 end
local function lon() return 141.46 + math.random() * 0.08 end

function request()
  counter = counter + 1
  local r = math.random(100)
  if planner_only and r > 45 then r = 46 + math.floor((r - 46) * 30 / 55) end  -- 46..75: search and departures
  if #pending > 0 and r <= 10 then
    local p = table.remove(pending, 1)
    last_kind = "accept"
    return wrk.format("POST", "/v1/drt/requests/" .. p[1] .. "/accept", {["Authorization"] = "Bearer " .. p[2]}, "")
  end
  if r <= 45 then
    last_kind = "plan"
    return wrk.format("GET", plans[counter % #plans + 1])
  elseif r <= 60 then
    last_kind = "search"
    local s = stops[counter % #stops + 1]
    return wrk.format("GET", "/v1/stops?q=" .. string.sub(s, 1, 3))
  elseif r <= 75 then
    last_kind = "departures"
    return wrk.format("GET", "/v1/stops/" .. stops[counter % #stops + 1] .. "/departures?date=" .. date .. "&time=09:00")
  elseif r <= 87 then
    last_kind = "offer"
    local body = string.format('{"pickup":{"lat":%.5f,"lon":%.5f},"dropoff":{"lat":%.5f,"lon":%.5f},"passengers":1}',
      lat(), lon(), lat(), lon())
    return wrk.format("POST", "/v1/drt/offers", {["Content-Type"] = "application/json"}, body)
  else
    last_kind = "position"
    local v = "soak-" .. (counter % 8)
    local body = string.format('{"lat":%.5f,"lon":%.5f}', lat(), lon())
    return wrk.format("POST", "/v1/drt/vehicles/" .. v .. "/position",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
  end
end

local codes = {200, 201, 204, 400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 429, 500, 502, 503, 504}

function response(status, headers, body)
  local key = "n" .. status
  _G[key] = (_G[key] or 0) + 1
  if status == 200 and body and string.find(body, '"offered":true', 1, true) and #pending < 100 then
    local id = string.match(body, '"request_id":"([^"]+)"')
    local rt = string.match(body, '"rider_token":"([^"]+)"')
    if id and rt then pending[#pending + 1] = {id, rt} end
  end
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
  -- Each thread's counters live in its own Lua state; wrk hands out plain values only.
  for _, code in ipairs(codes) do
    local n = 0
    for _, t in ipairs(threads) do n = n + (t:get("n" .. code) or 0) end
    if n > 0 then io.write(string.format("status %d: %d\n", code, n)) end
  end
end
