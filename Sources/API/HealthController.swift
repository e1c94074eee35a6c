import Federation
import Foundation
import HTTPKit
import Hummingbird
import Identity

/// Public liveness and readiness: `GET /api/health/ping`, `GET /health/live` (the process serves) and
/// `GET /health/ready` (the database answers; 503 within a second when it does not, and from the moment SIGTERM
/// arrives, operations.md).
public struct HealthController: Sendable {
    /// Whether the system database answers within the deadline (`Database.isReachable`, wired by the composition root).
    let databaseAnswers: @Sendable (Duration) async -> Bool
    let version: String
    let external: ExternalIssuers
    let serving: ServingState

    public init(
        databaseAnswers: @escaping @Sendable (Duration) async -> Bool, version: String, external: ExternalIssuers = .none,
        serving: ServingState = ServingState()
    ) {
        self.databaseAnswers = databaseAnswers
        self.version = version
        self.external = external
        self.serving = serving
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        router.get("api/health/ping") { _, _ in
            JSONBody.response(["status": "ok", "version": version, "build_number": buildNumber])
        }
        router.get("health/live") { _, _ in JSONBody.response(["status": "live"]) }
        router.get("health/ready") { _, _ in
            guard !serving.isDraining else { throw APIError(status: .serviceUnavailable, detail: "Shutting down") }
            guard await databaseAnswers(Self.readinessDeadline) else { throw APIError.unavailable }
            guard !external.isEmpty else { return JSONBody.response(["status": "ready"]) }
            // Ready while an external issuer is unreachable: its tokens verify from the cached keys; the details say so.
            return try Self.readiness(issuers: external.all.map(\.status))
        }
    }

    struct Readiness: Encodable {
        var status = "ready"
        var externalIssuers: [ExternalIssuerKeys.Status]

        enum CodingKeys: String, CodingKey {
            case status
            case externalIssuers = "external_issuers"
        }
    }

    static func readiness(issuers: [ExternalIssuerKeys.Status]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Readiness(externalIssuers: issuers))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Load balancers take a node out when readiness fails; answering late is as bad as not answering.
    static let readinessDeadline = Duration.milliseconds(500)

    private var buildNumber: String { version.split(separator: ".").last.map(String.init) ?? "0" }
}
