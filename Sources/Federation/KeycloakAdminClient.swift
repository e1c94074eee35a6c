import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Just enough of Keycloak's admin REST (20–26) for a deployment: a token from the admin realm's `admin-cli`, then
/// JSON requests under `/admin/realms`. Errors name the request and the status, never a credential.
public struct KeycloakAdminClient: Sendable {
    /// `https://kc.example.com` (Keycloak 17+) or `https://kc.example.com/auth` (older layouts).
    public let baseURL: String
    let client: HTTPClient
    private let token: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public struct Answer: Sendable {
        public let status: Int
        public let location: String?
        public let body: Data

        public func json<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
    }

    /// An HTTP client that follows no redirect: the administrator's password and token go to the URL given and
    /// nowhere else, whatever a 307 says (one client for the process, like `HTTPClient.shared`).
    public static let withoutRedirects = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    /// Signs in as the administrator (password grant on `adminRealm`'s `admin-cli`, as `kcadm.sh` does).
    public static func signIn(
        baseURL: String, username: String, password: String, adminRealm: String = "master", client: HTTPClient = withoutRedirects
    ) async throws -> KeycloakAdminClient {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var request = HTTPClientRequest(url: "\(base)/realms/\(adminRealm)/protocol/openid-connect/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = [("grant_type", "password"), ("client_id", "admin-cli"), ("username", username), ("password", password)]
            .map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await client.execute(request, timeout: .seconds(15))
        try Self.refuseRedirect(response, base: base)
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok,
            let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let token = object["access_token"] as? String
        else { throw Failure("Keycloak administrator sign-in at \(base) failed (HTTP \(response.status.code))") }
        return KeycloakAdminClient(baseURL: base, client: client, token: token)
    }

    public func get(_ path: String) async throws -> Answer { try await send(.GET, path, body: nil) }

    public func post(_ path: String, json body: some Encodable) async throws -> Answer {
        try await send(.POST, path, body: try JSONEncoder().encode(body))
    }

    public func post(_ path: String) async throws -> Answer { try await send(.POST, path, body: nil) }

    /// `path` is under `/admin/realms`; each segment is percent-encoded by the caller (`segment`).
    private func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Answer {
        var request = HTTPClientRequest(url: "\(baseURL)/admin/realms\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: .seconds(15))
        try Self.refuseRedirect(response, base: baseURL)
        let data = try await response.body.collect(upTo: 8 << 20)
        let answer = Answer(status: Int(response.status.code), location: response.headers.first(name: "Location"), body: Data(data.readableBytesView))
        guard answer.status < 500, answer.status != 401, answer.status != 403 else {
            throw Failure("Keycloak answered \(method.rawValue) /admin/realms\(path) with HTTP \(answer.status)")
        }
        return answer
    }

    /// A redirect is an error, never followed: the operator gives the URL Keycloak answers at.
    private static func refuseRedirect(_ response: HTTPClientResponse, base: String) throws {
        guard (300..<400).contains(response.status.code) else { return }
        throw Failure(
            "Keycloak at \(base) answered with a redirect (HTTP \(response.status.code)); credentials are not sent on: "
                + "give --keycloak-url the address Keycloak answers at")
    }

    /// One path segment, percent-encoded.
    public static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
