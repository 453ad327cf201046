-- POSTs the file named by BODY with the content type CONTENT_TYPE; HEADER_LENGTH, when set, is sent as
-- Inference-Header-Content-Length (the KServe V2 binary tensor extension). Prints p50/p99 in ms after the run.
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*all")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local header = os.getenv("HEADER_LENGTH")
if header and header ~= "" then
  wrk.headers["Inference-Header-Content-Length"] = header
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
