import Foundation
import HTTPKit
import Hummingbird
import Identity

/// A strictly parsed `application/x-www-form-urlencoded` body (the only encoding OAuth endpoints take).
///
/// Empty values count as absent (python-keycloak sends `username=&password=`); a name given twice with values is
/// `invalid_request` (RFC 6749 §3.2) — but `permission`, which the `uma-ticket` grant takes once per permission asked,
/// up to 100 times; bodies over 64 KiB, other content types and bytes that are not UTF-8 are refused.
struct FormBody: Sendable {
    private var fields: [String: String]
    private var repeated: [String: [String]] = [:]

    static let maxSize = 64 * 1024
    /// Names that may come more than once, and how often.
    static let repeatable = ["permission": 100]

    init(fields: [String: String]) { self.fields = fields }

    static func read(_ request: Request) async throws -> FormBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw OAuthError.invalidRequest("Content-Type must be application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxSize)
        } catch {
            throw OAuthError(status: .contentTooLarge, error: "invalid_request", description: "Request body too large")
        }
        return try parse(String(buffer: buffer))
    }

    static func parse(_ text: String) throws -> FormBody {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { throw OAuthError.invalidRequest("Form body must be percent-encoded ASCII") }
        var fields: [String: String] = [:]
        var repeated: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { throw OAuthError.invalidRequest("Malformed form body") }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { throw OAuthError.invalidRequest("Malformed form body") }
            if value.isEmpty { continue }
            if let limit = repeatable[name] {
                guard repeated[name, default: []].count < limit else { throw OAuthError.invalidRequest("At most \(limit) \(name) parameters") }
                repeated[name, default: []].append(value)
            } else if fields[name] != nil {
                throw OAuthError.invalidRequest("Duplicated form parameter: \(name.prefix(64))")
            }
            if fields[name] == nil { fields[name] = value }
        }
        var body = FormBody(fields: fields)
        body.repeated = repeated
        return body
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// Every value of a repeatable name, in order.
    func all(_ name: String) -> [String] { repeated[name] ?? [] }

    /// Percent-decoding that also turns `+` into a space and rejects invalid UTF-8 and control characters.
    static func decode(_ raw: Substring) -> String? {
        guard let decoded = FormURLEncoding.decode(raw) else { return nil }
        guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return decoded
    }
}
