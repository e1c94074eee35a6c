import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Shortcuts for getting tokens in tests.
extension TestApp {
    var tokenPath: String { "/realms/\(realm)/protocol/openid-connect/token" }

    func serviceToken(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.form(
            tokenPath, [("grant_type", "client_credentials"), ("scope", "profile"), ("client_id", clientId), ("client_secret", clientSecret)])
        guard let token = response.object["access_token"] as? String else { throw TestFailure("no token: \(response.text)") }
        return token
    }

    func masterAdminToken(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.form(
            "/realms/master/protocol/openid-connect/token",
            [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "admin"), ("password", TestApp.adminPassword)])
        guard let token = response.object["access_token"] as? String else { throw TestFailure("no admin token: \(response.text)") }
        return token
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Splits a JWT and decodes its header and payload without verifying (for assertions and for forging bad tokens).
enum JWTParts {
    static func decode(_ token: String) -> (header: [String: Any], payload: [String: Any]) {
        let parts = token.split(separator: ".").map(String.init)
        func json(_ part: String) -> [String: Any] {
            var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            return (Data(base64Encoded: base64).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        }
        return (json(parts[0]), json(parts.count > 1 ? parts[1] : ""))
    }

    static func encode(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
