import Prometheus
import Synchronization
import Storage

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
    private let poolInUse: Gauge
    private let poolIdle: Gauge
    private let poolWaiting: Gauge
    /// Request counters for the usual methods and statuses, made up front: looking one up in the registry takes its
    /// lock and builds label strings, too much for every request.
    private let requestCounters: [RequestKey: Counter]
    private let tokenCounters = Mutex<[TokenCounterKey: Counter]>([:])

    struct RequestKey: Hashable {
        let method: String
        let status: Int
    }

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
        func pool(_ state: String) -> Gauge {
            registry.makeGauge(
                name: "nexusone_database_connections", labels: [("state", state)],
                help: "System database connections: in_use, idle (could be lent at once), waiting (operations queued for one)")
        }
        poolInUse = pool("in_use")
        poolIdle = pool("idle")
        poolWaiting = pool("waiting")
        var counters: [RequestKey: Counter] = [:]
        for method in ["GET", "POST", "PUT", "DELETE"] {
            for status in [200, 201, 204, 302, 400, 401, 403, 404, 409, 413, 422, 429, 500, 503] {
                counters[RequestKey(method: method, status: status)] = Self.requestCounter(registry, method: method, status: status)
            }
        }
        requestCounters = counters
    }

    private static func requestCounter(_ registry: PrometheusCollectorRegistry, method: String, status: Int) -> Counter {
        registry.makeCounter(name: "nexusone_http_requests_total", labels: [("method", method), ("status", String(status))], help: "Requests answered")
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

    /// Tokens issued, by grant and realm. Realms come and go, so their counters are made on first use and kept here:
    /// the registry's own look-up builds label strings under its lock on every call.
    public func tokenIssued(grant: String, realm: String) {
        let key = TokenCounterKey(grant: grant, realm: realm)
        if let counter = tokenCounters.withLock({ $0[key] }) { return counter.increment() }
        let counter = registry.makeCounter(name: "nexusone_tokens_issued_total", labels: [("grant", grant), ("realm", realm)], help: "Tokens issued")
        tokenCounters.withLock { counters in
            if counters.count >= 10_000 { counters.removeAll() }  // bounded; the registry keeps the counts
            counters[key] = counter
        }
        counter.increment()
    }

    private struct TokenCounterKey: Hashable {
        let grant: String
        let realm: String
    }

    /// Requests answered, by method and status.
    public func requestAnswered(method: String, status: Int, duration: Duration) {
        requestDuration.record(duration)
        // Clients choose the method token; anything unusual shares one label so they cannot grow the registry.
        let method = Self.knownMethods.contains(method) ? method : "OTHER"
        (requestCounters[RequestKey(method: method, status: status)] ?? Self.requestCounter(registry, method: method, status: status)).increment()
    }

    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// `nexusone_build_info{version, database} 1`: which build runs where, for dashboards and alerts during roll-outs.
    public func recordBuild(version: String, database: DatabaseKind) {
        registry.makeGauge(
            name: "nexusone_build_info", labels: [("version", version), ("database", database.rawValue)], help: "The running build (always 1)"
        ).set(to: 1)
    }

    /// The Prometheus text exposition, with the pool gauges read at this moment.
    public func exposition(pool: PoolStatistics) -> [UInt8] {
        poolInUse.set(Int64(pool.inUse))
        poolIdle.set(Int64(pool.idle))
        poolWaiting.set(Int64(pool.waiting))
        return registry.emitToBuffer()
    }
}
