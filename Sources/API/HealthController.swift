import Authentication
import Hummingbird
import Storage

/// Public liveness and readiness: `GET /api/health/ping`, `GET /health/live` (the process serves) and
/// `GET /health/ready` (the database answers; 503 within a second when it does not, operations.md).
public struct HealthController: Sendable {
    let database: any Database
    let version: String

    public init(database: any Database, version: String) {
        self.database = database
        self.version = version
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        router.get("api/health/ping") { _, _ in
            JSONBody.response(["status": "ok", "version": version, "build_number": buildNumber])
        }
        router.get("health/live") { _, _ in JSONBody.response(["status": "live"]) }
        router.get("health/ready") { _, _ in
            guard await database.isReachable(within: Self.readinessDeadline) else { throw APIError.unavailable }
            return JSONBody.response(["status": "ready"])
        }
    }

    /// Load balancers take a node out when readiness fails; answering late is as bad as not answering.
    static let readinessDeadline = Duration.milliseconds(500)

    private var buildNumber: String { version.split(separator: ".").last.map(String.init) ?? "0" }
}
