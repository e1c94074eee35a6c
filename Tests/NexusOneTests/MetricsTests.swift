import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
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
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains(#"nexusone_tokens_issued_total{grant="client_credentials",realm="\#(app.realm)"} 1"#))
            #expect(text.contains(#"nexusone_psk_verifications_total{outcome="accepted"} 1"#))
            #expect(text.contains(#"nexusone_psk_verifications_total{outcome="bad_format"} 1"#))
            #expect(text.contains(#"nexusone_bearer_verifications_total{outcome="accepted"} 1"#))
            #expect(text.contains("nexusone_http_request_duration_seconds_bucket"))
            #expect(text.contains(#"nexusone_http_requests_total{method="GET",status="200"}"#))
            #expect(!text.contains(token) && !text.contains(psk) && !text.contains(app.clientSecret))
        }
    }
}
