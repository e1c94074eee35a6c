import API
import Logging
import ServiceLifecycle
import UnixSignals

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
        // The service group stops listening after the first signal: a second SIGTERM or Ctrl-C is heard here, and ends
        // the drain early (what an operator who presses Ctrl-C twice means).
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let grace = self.grace
        let secondSignal = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: grace)
                return false
            }
            group.addTask {
                for await _ in signals { return true }
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
        if secondSignal { logger.info("second signal: the drain ends early") }
    }
}
