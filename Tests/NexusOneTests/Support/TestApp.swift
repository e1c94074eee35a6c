import DatabaseFixtures
import Domain
import Foundation
import HTTPKit
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import NIOCore
import RealmEndpoints
import Secrets
import Server
import Storage

/// A bootstrapped server (master realm + first deployment) on a fresh database, driven through the router.
struct TestApp: Sendable {
    static let baseURL = "http://127.0.0.1:8080"
    static let adminPassword = "master-admin-password"
    static let metricsToken = "test-metrics-token"

    let services: Services
    let report: StartupReport
    let clock: TestClock
    let directory: String

    var realm: String { report.deployment!.realm }
    var clientId: String { report.deployment!.clientId }
    var clientSecret: String { report.deployment!.clientSecret! }

    /// Runs `body` against a new app for each database kind in use.
    static func run(
        on kind: DatabaseKind, failureLimit: Int = 1000, hashing: HashingPool = .shared, configure: @Sendable (inout Configuration) -> Void = { _ in },
        _ body: @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabases.withFresh(kind) { database, directory in
            var configuration = Configuration()
            configuration.dataDirectory = directory
            configuration.publicURL = baseURL
            configuration.adminPassword = adminPassword
            configuration.authFailureLimit = failureLimit
            configuration.metricsToken = metricsToken
            configure(&configuration)
            let (warehouse, warehouseURL) = try await TestWarehouses.shared(kind)
            configuration.warehouseURL = warehouseURL
            let clock = TestClock()
            let services = try Services(
                configuration: configuration, database: database, warehouse: warehouse, clock: clock.epochClock, passwordCost: 4, hashing: hashing)
            let report = try await Bootstrap.run(services)
            let app = TestApp(services: services, report: report, clock: clock, directory: directory)
            let router = try await buildRouter(services)
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            try await Application(router: router, logger: logger).test(.router) { client in try await body(app, client) }
        }
    }
}

extension TestClientProtocol {
    /// POSTs an `application/x-www-form-urlencoded` body built from the pairs (percent-encoded).
    func form(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func json(_ uri: String, method: HTTPRequest.Method, token: String, body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

enum FormEncoding {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [[String: Any]] ?? [] }
}
