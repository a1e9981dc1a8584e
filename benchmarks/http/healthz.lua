-- wrk script: /healthz alone, keep-alive, latency percentiles.
wrk.path = "/healthz"
wrk.headers["Connection"] = "keep-alive"

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("requests: %d  non-2xx: %d\n", summary.requests, summary.errors.status))
  io.write(string.format("requests/s: %.0f\n", summary.requests / s))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
