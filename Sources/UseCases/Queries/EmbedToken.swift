import Foundation
import Secrets
import Storage

/// The short-lived link that shows one card without logging in (`POST /api/query/embed/token`): the query id, realm
/// and expiry sealed with the at-rest key (AES-GCM), so it can be neither forged nor read, and needs no storage.
public struct EmbedToken: Sendable, Equatable {
    public let realm: String
    public let queryId: String
    public let expiresAt: Int

    public static let lifetime = 900

    public init(realm: String, queryId: String, expiresAt: Int) {
        self.realm = realm
        self.queryId = queryId
        self.expiresAt = expiresAt
    }

    public func sealed(with secrets: SecretBox) throws -> String {
        try secrets.sealForURL("embed\n\(realm)\n\(queryId)\n\(expiresAt)")
    }

    /// The token's claims, if it opens, is for `queryId` and has not expired.
    public static func open(_ token: String, queryId: String, secrets: SecretBox, now: Int) -> EmbedToken? {
        guard let text = try? secrets.openFromURL(token) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "embed", parts[2] == queryId, let expiresAt = Int(parts[3]), expiresAt > now else { return nil }
        return EmbedToken(realm: parts[1], queryId: parts[2], expiresAt: expiresAt)
    }
}
