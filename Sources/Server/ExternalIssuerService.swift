import Domain
import Federation
import ServiceLifecycle

/// Fetches every external issuer's keys at start and every few minutes after, so a rotation at the issuer is known
/// before the first token signed with the new key arrives (an unknown `kid` also triggers a fetch, rate-limited). Added
/// only when there are external issuers: a service that returns early stops the whole server.
struct ExternalIssuerService: Service, CustomStringConvertible {
    var description: String { "ExternalIssuerService" }

    let services: Services
    var interval: Duration = .seconds(300)

    func run() async throws {
        let issuers = services.externalIssuers.all
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = services.clock.now
            await withTaskGroup(of: Void.self) { group in
                for issuer in issuers { group.addTask { await issuer.refresh(now: now, force: true) } }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
