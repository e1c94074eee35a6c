import HTTPKit
import Hummingbird
import Identity
import Secrets
import Storage

/// `GET /metrics` in Prometheus text, for a scraper that sends `Authorization: Bearer <NEXUSONE_METRICS_TOKEN>`
/// (Prometheus' `authorization` setting). Without a configured token the route does not exist: metrics name every
/// realm and client, which is not for strangers (operations.md "/metrics is not public").
struct MetricsController: Sendable {
    let telemetry: Telemetry
    let database: any Database
    let token: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        guard let token else { return }
        router.get("metrics") { request, _ in
            guard let presented = BearerTokenAuthenticator.bearerToken(request.headers[.authorization]), ConstantTime.equals(presented, token)
            else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"metrics\""])
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: telemetry.exposition(pool: database.poolStatistics))))
        }
    }
}
