-- Shared by the wrk scripts (dofile): one line the shell scripts read with awk —
-- RESULT requests/s p50_ms p99_ms errors requests (errors: answers of 400 and above, and socket errors).
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
