import Domain
import Secrets
import SQLKit
import Storage

/// Creates keys inside the caller's transaction. The plaintext is returned once and stored nowhere.
enum KeyIssuer {
    static func issue(
        kind: PSKKind, realm: String, userId: String, dataProductId: String? = nil, description: String, expiresAt: Int?,
        createdByKeyId: String? = nil, now: Int, on sql: any SQLDatabase
    ) async throws -> (key: PreSharedKey, secret: String) {
        let secret = PSKFormat.generate(kind)
        let key = PreSharedKey(
            id: Identifiers.uuid(), realm: realm, kind: kind, userId: userId, dataProductId: dataProductId, description: description,
            hint: PSKFormat.hint(secret), createdAt: now, expiresAt: expiresAt, createdByKeyId: createdByKeyId)
        try await PSKStore(sql).insert(key, secretHash: TokenDigest.sha256Hex(secret))
        return (key, secret)
    }
}

/// The audit trail of keys: every change is recorded in the transaction that makes it, with the actor and address.
enum KeyAudit {
    static func record(
        _ action: AuditAction, key: PreSharedKey?, realm: String, actor: Principal, address: String, detail: String = "", now: Int,
        on sql: any SQLDatabase
    ) async throws {
        try await AuditStore(sql).record(
            AuditEvent(
                id: Identifiers.uuid(), realm: realm, at: now, actorId: actor.subject, action: action, keyId: key?.id, hint: key?.hint,
                address: address, detail: detail))
    }
}

/// Keys minted through a key end with it: when a PSK is revoked or deleted, the keys whose creation it authenticated
/// are revoked in the same transaction and audited, so whoever held a leaked key keeps nothing it made.
enum MintedKeys {
    static func end(through key: PreSharedKey, actor: Principal, address: String, now: Int, on sql: any SQLDatabase) async throws {
        for minted in try await PSKStore(sql).deactivateMinted(through: key.id, at: now) {
            try await KeyAudit.record(
                .revoke, key: minted, realm: minted.realm, actor: actor, address: address, detail: "minted through key \(key.hint), which ended",
                now: now, on: sql)
        }
    }
}
