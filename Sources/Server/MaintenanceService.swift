import Domain
import HTTPKit
import Identity
import Logging
import ServiceLifecycle
import Storage

/// Every few seconds: picks up revocations made by other nodes and forgets expired sessions, codes and revocations.
struct MaintenanceService: Service, CustomStringConvertible {
    /// How ServiceLifecycle names it in logs: never a dump of what it holds (the configuration, keys).
    var description: String { "MaintenanceService" }

    let services: Services
    let logger: Logger
    var interval: Duration = .seconds(5)

    func run() async throws {
        var purgeCountdown = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = services.clock.now
            do {
                try await services.revocations.reload(from: services.database, now: now)
                if purgeCountdown == 0 {
                    try await services.database.transaction { sql in
                        try await SessionStore(sql).purgeExpired(now: now)
                        try await PortalSessionStore(sql).purgeExpired(now: now)
                        try await ConsumedTokenStore(sql).purgeExpired(now: now)
                    }
                    purgeCountdown = 60
                }
                purgeCountdown -= 1
            } catch {
                logger.warning("maintenance failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        // Last-use times of keys still in flight are written before the process exits.
        await services.pskVerifier.flushLastUse()
    }
}
