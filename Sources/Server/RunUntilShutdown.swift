import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the application until SIGTERM or SIGINT, then shuts down in order: drain (readiness 503, still serving for
/// `--shutdown-grace`), stop accepting and finish in-flight requests, stop the background services (which flush
/// last-use times), and return so the caller closes the database pool.
public func runUntilShutdown(_ app: some ApplicationProtocol, services: Services, logger: Logger) async throws {
    let drain = ShutdownDrain(serving: services.serving, grace: services.configuration.shutdownGrace, logger: logger)
    var configuration = ServiceGroupConfiguration(
        // Shut down in reverse order: the drain first, the application (server, then its services) after it.
        services: [.init(service: app), .init(service: drain)],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger)
    // In-flight requests get a fixed time after the drain; then they are cancelled rather than hold the exit forever.
    configuration.maximumGracefulShutdownDuration = services.configuration.shutdownGrace + Configuration.inFlightBudget
    try await ServiceGroup(configuration: configuration).run()
}
