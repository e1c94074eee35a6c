import API
import Logging
import ServiceLifecycle

/// The first step of a graceful shutdown: readiness turns 503 at once, and the server keeps answering for the grace
/// period so load balancers see the node leave before it stops accepting. Runs last in the service group, so it is
/// the first to hear of the shutdown and the HTTP server hears of it only when the drain is over.
struct ShutdownDrain: Service, CustomStringConvertible {
    var description: String { "ShutdownDrain" }

    let serving: ServingState
    let grace: Duration
    let logger: Logger

    func run() async throws {
        // Cancelled instead (the group failed): nothing to drain.
        guard (try? await gracefulShutdown()) != nil else { return }
        serving.beginDraining()
        logger.info("draining before shutdown", metadata: ["grace_seconds": "\(grace.components.seconds)"])
        // A second signal cancels the group, which ends the wait early.
        try? await Task.sleep(for: grace)
    }
}
