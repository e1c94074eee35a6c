import Domain
import SQLKit
import Storage

/// Creates keys and new secrets inside the caller's transaction. The plaintext is returned once and stored nowhere.
public enum PSKIssuer {
    public static func issue(
        kind: PSKKind, realm: String, userId: String, dataProductId: String? = nil, description: String, expiresAt: Int?, now: Int,
        on sql: any SQLDatabase
    ) async throws -> (PreSharedKey, String) {
        let secret = PSKFormat.generate(kind)
        let key = PreSharedKey(
            id: Identifiers.uuid(), realm: realm, kind: kind, userId: userId, dataProductId: dataProductId, description: description,
            hint: PSKFormat.hint(secret), createdAt: now, expiresAt: expiresAt)
        try await PSKStore(sql).insert(key, secretHash: TokenDigest.sha256Hex(secret))
        return (key, secret)
    }
}
