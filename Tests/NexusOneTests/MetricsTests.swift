import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import Storage
import Testing

@Suite("Metrics")
struct MetricsTests {
    @Test("/metrics counts requests, tokens by grant and realm, and credential checks by outcome — never a credential")
    func exposition() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let psk = try #require(app.report.deployment?.psk)
            _ = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            _ = try await client.execute(uri: "/api/user/me", method: .get, headers: [.init("Authorization-PSK")!: psk])
            _ = try await client.execute(uri: "/api/user/me", method: .get, headers: [.init("Authorization-PSK")!: "nx1p_bad"])
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(TestApp.metricsToken)"])
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains(#"nexusone_tokens_issued_total{grant="client_credentials",realm="\#(app.realm)"} 1"#))
            #expect(text.contains(#"nexusone_psk_verifications_total{outcome="accepted"} 1"#))
            #expect(text.contains(#"nexusone_psk_verifications_total{outcome="bad_format"} 1"#))
            #expect(text.contains(#"nexusone_bearer_verifications_total{outcome="accepted"} 1"#))
            #expect(text.contains("nexusone_http_request_duration_seconds_bucket"))
            #expect(text.contains(#"nexusone_http_requests_total{method="GET",status="200"}"#))
            #expect(text.contains(#"nexusone_build_info{version="\#(NexusOneVersion.current)",database="sqlite"} 1"#))
            // The gauges' meaning is proven in PoolStatisticsTests; here, that the scrape carries all three.
            for state in ["in_use", "idle", "waiting"] {
                #expect(text.contains(#"nexusone_database_connections{state="\#(state)"} "#))
            }
            #expect(!text.contains(token) && !text.contains(psk) && !text.contains(app.clientSecret))
        }
    }

    @Test("/metrics needs the configured token (it names every realm); without one configured it does not exist")
    func notPublic() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let stranger = try await client.execute(uri: "/metrics", method: .get)
            #expect(stranger.status == .unauthorized)
            #expect(!stranger.text.contains(app.realm))
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(TestApp.metricsToken)x"])
            #expect(wrong.status == .unauthorized)
            let bearer = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(try await app.serviceToken(client))"])
            #expect(bearer.status == .unauthorized)
        }
        try await TestApp.run(on: .sqlite, configure: { $0.metricsToken = nil }) { _, client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
        }
    }
}
