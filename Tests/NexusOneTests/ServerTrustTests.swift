
import Dispatch
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import Testing
import Tokens

@testable import API
@testable import HTTPKit
@testable import Identity
@testable import Portal
@testable import Secrets
@testable import Storage

/// Nothing a caller sends starves the server (docs/security.md "Input that could crash or exhaust the server").
@Suite("Server trust")
struct ServerTrustTests {
    @Test("sign-ins beyond the hashing threads and their queue get 503 with Retry-After; other grants do not wait for them")
    func hashingBusy() async throws {
        let pool = HashingPool(threads: 1, queuePerThread: 0)
        try await TestApp.run(on: .sqlite, hashing: pool) { app, client in
            let gate = DispatchSemaphore(value: 0)
            let occupying = Task { try await pool.run(limited: false) { gate.wait() } }
            while pool.inFlightCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
            let signIn = try await client.form(
                "/realms/master/protocol/openid-connect/token",
                [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "admin"), ("password", TestApp.adminPassword)])
            #expect(signIn.status == .serviceUnavailable)
            #expect(signIn.headers[.retryAfter] == "1")
            #expect(signIn.object["error"] as? String == "temporarily_unavailable")
            // A client-credentials grant hashes nothing: it is served while every hashing thread is taken (and would wait
            // for the gate forever if it did).
            _ = try await app.serviceToken(client)
            gate.signal()
            try await occupying.value
            let later = try await client.form(
                "/realms/master/protocol/openid-connect/token",
                [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "admin"), ("password", TestApp.adminPassword)])
            #expect(later.status == .ok)
        }
    }

    @Test("X-Forwarded-For is read from the right past trusted proxies only; from any other peer it changes nothing")
    func trustedProxies() throws {
        let proxies = try TrustedProxies(parsing: ["10.0.0.0/8", "2001:db8::/32", "192.168.1.7"])
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["198.51.100.7, 10.9.9.9"]) == "198.51.100.7")
        // A client's forged entries stay to the left of what its proxy appended.
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 203.0.113.5"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["6.6.6.6", "203.0.113.5, 192.168.1.7"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "203.0.113.9", forwardedFor: ["6.6.6.6"]) == "203.0.113.9")
        #expect(proxies.clientAddress(peer: "2001:db8::1", forwardedFor: ["2001:db9::5"]) == "2001:db9::5")
        #expect(proxies.clientAddress(peer: "::ffff:10.0.0.1", forwardedFor: ["203.0.113.1"]) == "203.0.113.1")
        #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["not-an-address, 203.0.113.1"]) == "203.0.113.1")
        #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.1, garbage"]) == "10.0.0.1")
        #expect(TrustedProxies.none.clientAddress(peer: "10.1.2.3", forwardedFor: ["6.6.6.6"]) == "10.1.2.3")
        for bad in ["10.0.0.0/33", "300.1.1.1", "example.com", "::/129", "10.0.0.0/x"] {
            #expect(throws: TrustedProxies.InvalidNetwork.self) { try TrustedProxies(parsing: [bad]) }
        }
    }

    @Test("a trusted proxy's clients are throttled one by one through the router")
    func throttledBehindAProxy() async throws {
        try await TestApp.run(on: .sqlite, failureLimit: 2, configure: { $0.trustedProxies = ["127.0.0.0/8"] }) { app, client in
            func attempt(_ address: String, password: String) async throws -> TestResponse {
                try await client.execute(
                    uri: app.tokenPath, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Forwarded-For")!: address],
                    body: ByteBuffer(string: "grant_type=client_credentials&client_id=\(app.clientId)&client_secret=\(FormEncoding.encode(password))"))
            }
            for _ in 0..<3 { _ = try await attempt("198.51.100.66", password: "wrong") }
            #expect(try await attempt("198.51.100.66", password: app.clientSecret).status == .tooManyRequests)
            #expect(try await attempt("198.51.100.10", password: app.clientSecret).status == .ok)
        }
    }

    @Test("the verified-token cache keeps to its byte bound, dropping expired tokens first")
    func tokenCacheBound() {
        let cache = VerifiedTokens(byteLimit: 100_000)
        func entry(exp: Int) -> VerifiedTokens.Entry {
            let claims = AccessTokenClaims(TokenStamp(exp: exp, iat: 0, jti: "j", iss: "i", sub: "s", azp: "a"), sessionId: nil, claims: ClaimSet(), scope: "")
            return VerifiedTokens.Entry(claims: claims, principal: Principal(subject: "s", username: "u", realm: "r", roles: [], credential: .bearer))
        }
        let big = String(repeating: "t", count: 5_000)
        for index in 0..<5 { cache.remember("expired\(index)" + big, entry(exp: 10), now: 100) }
        for index in 0..<100 { cache.remember("live\(index)" + big, entry(exp: 1_000), now: 100) }
        #expect(cache.byteCount <= 100_000)
        #expect(cache.entry("expired0" + big) == nil)
        #expect(cache.count > 0)
    }

    @Test("pages held for their clients share one budget; a page that does not fit is 503 with Retry-After until one is gone")
    func pageBudget() throws {
        let budget = PageBudget(limit: 1_000)
        var first: PageBudget.Reservation? = try budget.reserve(800)
        #expect(throws: APIError.self) { _ = try budget.reserve(300) }
        #expect(budget.heldBytes == 800)
        first = nil
        #expect(budget.heldBytes == 0)
        _ = try budget.reserve(300)
        _ = first
    }

    @Test("a portal table shows at most 100 columns, 1,000 characters a cell and 64,000 in all")
    func portalTable() {
        let wide = Array(repeating: Cell.text(String(repeating: "\"", count: 5_000)), count: 160)
        let shown = Cell.shown(Array(repeating: wide, count: 50))
        #expect(shown.allSatisfy { $0.count == Cell.shownColumns })
        #expect(shown[0][0].count == Cell.shownCharacters + 1 && shown[0][0].hasSuffix("…"))
        #expect(shown.joined().reduce(0) { $0 + $1.count } <= Cell.shownInAll + shown.count * Cell.shownColumns)
        #expect(Cell.text(String(repeating: "x", count: 10_000)).label.count == 65)
    }

    @Test("the connection cap follows the file-descriptor limit unless set")
    func connectionCap() {
        var limits = ConnectionLimits()
        #expect(limits.resolvedMaximumConnections >= 16)
        limits.maximumConnections = 7
        #expect(limits.resolvedMaximumConnections == 7)
    }
}
