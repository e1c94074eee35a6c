import Prometheus

/// The server's Prometheus metrics, made once and passed to whoever counts (no global metrics system). Counters with
/// fixed labels are created up front so the hot paths only increment them.
public final class Telemetry: Sendable {
    /// How a PSK verification ended.
    public enum PSKOutcome: Sendable {
        case accepted, badFormat, unknown, unusable
    }

    private let registry: PrometheusCollectorRegistry
    private let requestDuration: DurationHistogram
    private let pskAccepted: Counter
    private let pskRefusedFormat: Counter
    private let pskRefusedUnknown: Counter
    private let pskRefusedUnusable: Counter
    private let bearerAccepted: Counter
    private let bearerRefused: Counter
    private let cacheHits: Counter
    private let cacheMisses: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        requestDuration = registry.makeDurationHistogram(
            name: "nexusone_http_request_duration_seconds",
            buckets: [.milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .seconds(1)],
            help: "Time to answer a request, all routes")
        func psk(_ outcome: String) -> Counter {
            registry.makeCounter(name: "nexusone_psk_verifications_total", labels: [("outcome", outcome)], help: "PSK verifications by outcome")
        }
        pskAccepted = psk("accepted")
        pskRefusedFormat = psk("bad_format")
        pskRefusedUnknown = psk("unknown")
        pskRefusedUnusable = psk("unusable")
        func bearer(_ outcome: String) -> Counter {
            registry.makeCounter(name: "nexusone_bearer_verifications_total", labels: [("outcome", outcome)], help: "Bearer token verifications by outcome")
        }
        bearerAccepted = bearer("accepted")
        bearerRefused = bearer("refused")
        cacheHits = registry.makeCounter(name: "nexusone_credential_cache_total", labels: [("result", "hit")], help: "PSK cache look-ups")
        cacheMisses = registry.makeCounter(name: "nexusone_credential_cache_total", labels: [("result", "miss")], help: "PSK cache look-ups")
    }

    public func psk(_ outcome: PSKOutcome) {
        switch outcome {
        case .accepted: pskAccepted.increment()
        case .badFormat: pskRefusedFormat.increment()
        case .unknown: pskRefusedUnknown.increment()
        case .unusable: pskRefusedUnusable.increment()
        }
    }

    public func bearer(accepted: Bool) { (accepted ? bearerAccepted : bearerRefused).increment() }

    public func credentialCache(hit: Bool) { (hit ? cacheHits : cacheMisses).increment() }

    /// Tokens issued, by grant and realm (labels looked up per call: token issue costs far more than the look-up).
    public func tokenIssued(grant: String, realm: String) {
        registry.makeCounter(name: "nexusone_tokens_issued_total", labels: [("grant", grant), ("realm", realm)], help: "Tokens issued").increment()
    }

    /// Requests answered, by method and status class.
    public func requestAnswered(method: String, status: Int, duration: Duration) {
        requestDuration.record(duration)
        registry.makeCounter(
            name: "nexusone_http_requests_total", labels: [("method", method), ("status", String(status))], help: "Requests answered"
        ).increment()
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
