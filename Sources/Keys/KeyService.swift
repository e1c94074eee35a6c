import Authentication
import Domain
import Foundation
import HTTPTypes
import SQLKit
import Storage

/// The key use cases. Each change is one transaction with its audit entry and a change announcement, and empties this
/// node's verification cache once committed (other nodes empty theirs when the announcement arrives).
public struct KeyService: Sendable {
    let database: any Database
    let clock: EpochClock
    let verifier: PSKVerifier

    public init(database: any Database, clock: EpochClock, verifier: PSKVerifier) {
        self.database = database
        self.clock = clock
        self.verifier = verifier
    }

    public static let maximumGraceSeconds = 7 * 86_400

    public func personal(of principal: Principal) async throws -> PreSharedKey? {
        try await database.read { sql in try await PSKStore(sql).personal(userId: principal.subject) }
    }

    public func createPersonal(for principal: Principal, description: String, expiresInDays: Int?, address: String) async throws
        -> (PreSharedKey, String)
    {
        let now = clock.now
        return try await change { sql in
            guard try await PSKStore(sql).personal(userId: principal.subject) == nil else {
                throw APIError(status: .conflict, detail: "You already have a Personal PSK; regenerate or delete it first.")
            }
            let issued = try await PSKIssuer.issue(
                kind: .personal, realm: principal.realm, userId: principal.subject, description: description,
                expiresAt: expiresInDays.map { now + $0 * 86_400 }, now: now, on: sql)
            try await audit("create", key: issued.0, actor: principal.subject, address: address, on: sql)
            return issued
        }
    }

    /// A new secret for the same key (same id and description); the old secret ends now or after `graceSeconds`.
    public func regeneratePersonal(for principal: Principal, graceSeconds: Int, address: String) async throws -> (PreSharedKey, String) {
        let now = clock.now
        return try await change { sql in
            let store = PSKStore(sql)
            guard var key = try await store.personal(userId: principal.subject) else { throw APIError.notFound("No PSK") }
            guard key.isActive else {
                throw APIError(status: .conflict, detail: "Your Personal PSK was revoked by an administrator; delete it and create a new one.")
            }
            try await store.retireSecrets(keyId: key.id, at: graceSeconds > 0 ? now + graceSeconds : nil)
            let secret = PSKFormat.generate(.personal)
            try await store.addSecret(keyId: key.id, hash: TokenDigest.sha256Hex(secret), now: now)
            key.hint = PSKFormat.hint(secret)
            key.updatedAt = now
            try await store.setUpdated(id: key.id, at: now, hint: key.hint)
            try await audit("regenerate", key: key, actor: principal.subject, address: address, detail: "grace_seconds=\(graceSeconds)", on: sql)
            return (key, secret)
        }
    }

    public func deletePersonal(for principal: Principal, address: String) async throws {
        try await change { sql in
            guard let key = try await PSKStore(sql).personal(userId: principal.subject) else { throw APIError.notFound("No PSK") }
            try await PSKStore(sql).delete(id: key.id)
            try await audit("delete", key: key, actor: principal.subject, address: address, on: sql)
        }
    }

    public func list(realm: String) async throws -> [PSKStore.Listed] {
        try await database.read { sql in try await PSKStore(sql).all(realm: realm) }
    }

    /// An administrator's revocation: the key stays listed, inactive, and never works again.
    public func revoke(keyId: String, by administrator: Principal, address: String) async throws {
        let now = clock.now
        try await change { sql in
            guard let key = try await PSKStore(sql).find(id: keyId), key.realm == administrator.realm, !key.isDeleted else {
                throw APIError.notFound("No such key")
            }
            try await PSKStore(sql).deactivate(id: key.id, at: now)
            try await audit("revoke", key: key, actor: administrator.subject, address: address, on: sql)
        }
    }

    public func audit(realm: String, action: String?, limit: Int) async throws -> [AuditEvent] {
        try await database.read { sql in try await AuditStore(sql).list(realm: realm, action: action, limit: limit) }
    }

    func change<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = self.database
        let result = try await database.transaction { sql in
            let value = try await body(sql)
            try await database.announceChange(on: sql)
            return value
        }
        verifier.invalidate()
        return result
    }

    func audit(_ action: String, key: PreSharedKey, actor: String, address: String, detail: String = "", on sql: any SQLDatabase)
        async throws
    {
        try await AuditStore(sql).record(
            AuditEvent(
                id: Identifiers.uuid(), realm: key.realm, at: clock.now, actorId: actor, action: action, keyId: key.id, hint: key.hint,
                address: address, detail: detail))
    }
}
