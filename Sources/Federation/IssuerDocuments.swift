import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches an issuer's discovery document and JWKS: GET only, 5 s, at most 1 MiB, 200 only.
struct IssuerDocuments: Sendable {
    let client: HTTPClient

    struct Discovery: Decodable, Sendable {
        var issuer: String
        var jwksURI: String
        var authorizationEndpoint: String?
        var tokenEndpoint: String?
        var endSessionEndpoint: String?

        enum CodingKeys: String, CodingKey {
            case issuer
            case jwksURI = "jwks_uri"
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case endSessionEndpoint = "end_session_endpoint"
        }
    }

    static let timeout = TimeAmount.seconds(5)
    /// The whole of a fetch (discovery and JWKS, bodies included): `timeout` covers only until the headers arrive.
    static let fetchDeadline = Duration.seconds(10)

    static func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw FetchError("no answer within \(deadline)") }
            return value
        }
    }
    static let maximumBytes = 1 << 20

    /// OpenID Connect Discovery §4.3: the document's `issuer` must be the one asked for.
    func discovery(of issuer: String) async throws -> Discovery {
        let data = try await get("\(issuer)/.well-known/openid-configuration")
        let discovery = try JSONDecoder().decode(Discovery.self, from: data)
        guard discovery.issuer == issuer else { throw FetchError("discovery names issuer \(discovery.issuer)") }
        return discovery
    }

    /// An `application/x-www-form-urlencoded` POST (the token endpoint); any status, body as JSON.
    func postForm(_ url: String, _ fields: [(String, String)]) async throws -> (status: Int, body: Data) {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw FetchError("not an http(s) URL: \(url)") }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let form = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await client.execute(request, timeout: Self.timeout)
        let body = try await response.body.collect(upTo: Self.maximumBytes)
        return (Int(response.status.code), Data(body.readableBytesView))
    }

    func get(_ url: String) async throws -> Data {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw FetchError("not an http(s) URL: \(url)") }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await client.execute(request, timeout: Self.timeout)
        guard response.status == .ok else { throw FetchError("\(url) answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: Self.maximumBytes)
        return Data(body.readableBytesView)
    }

    struct FetchError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
