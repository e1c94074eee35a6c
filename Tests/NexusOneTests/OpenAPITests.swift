import API
import DatabaseFixtures
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Server
import Storage
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("the served document lists exactly the /api routes the router serves, with both security schemes")
    func documentMatchesRoutes() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, directory in
            var configuration = Configuration()
            configuration.dataDirectory = directory
            let services = try Services(configuration: configuration, database: database, passwordCost: 4)
            try await Migrator.migrate(database)
            let router = try await buildRouter(services)
            let served = Set(
                router.routes.map { "\($0.method.rawValue.lowercased()) /\($0.path.description.split(separator: "/").joined(separator: "/"))" }
                    .filter { $0.split(separator: " ")[1].hasPrefix("/api/") }
                    .map { $0.replacingOccurrences(of: #":(\w+)"#, with: "{$1}", options: .regularExpression) })
            let document = try OpenAPIController.loadDocument()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                    documented.insert("\(method) \(path)")
                    let security = (operations[method] as? [String: Any])?["security"] as? [[String: Any]]
                    if path != "/api/health/ping" {
                        #expect(Set(security?.flatMap(\.keys) ?? []) == ["OAuth2AuthorizationCodeBearer", "APIKeyHeader"], "\(method) \(path)")
                    }
                }
            }
            #expect(served == documented)
            let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            #expect(Set(schemes?.keys.map { $0 } ?? []) == ["OAuth2AuthorizationCodeBearer", "APIKeyHeader"])

            try await Application(router: router).test(.router) { client in
                let json = try await client.execute(uri: "/openapi.json", method: .get)
                #expect(json.status == .ok)
                #expect(json.object["openapi"] as? String == "3.1.0")
                let docs = try await client.execute(uri: "/docs", method: .get)
                #expect(docs.text.contains("/api/user/me"))
            }
        }
    }
}
