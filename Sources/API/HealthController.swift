import Authentication
import Hummingbird
import Storage

/// Public liveness and readiness: `GET /api/health/ping` and `GET /health/ready`.
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
        router.get("health/ready") { _, _ in
            guard await database.isReachable() else { throw APIError.unavailable }
            return JSONBody.response(["status": "ready"])
        }
    }

    private var buildNumber: String { version.split(separator: ".").last.map(String.init) ?? "0" }
}
