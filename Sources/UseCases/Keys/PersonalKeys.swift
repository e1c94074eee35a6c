import Domain
import Secrets
import Storage

/// Creates the owner's Personal PSK (psk.md "Lifecycle"). A user has at most one: a unique index decides, so of
/// simultaneous creates exactly one succeeds and the others are told to regenerate or delete it.
public struct CreatePersonalKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// `owner`: the user whose key this is, for the operator; everyone else makes their own.
    public func callAsFunction(
        _ actor: Principal, owner: String? = nil, description: DescriptionText, expiresIn: ValidityDays?, address: String
    ) async throws -> (key: PreSharedKey, secret: String) {
        let userId = try KeyPolicy.personalKeyOwner(actor, owner: owner)
        let now = clock.now
        do {
            return try await changes.commit { sql in
                guard let user = try await UserStore(sql).find(realm: actor.realm, id: userId) else { throw KeyError.notFound }
                let issued = try await KeyIssuer.issue(
                    kind: .personal, realm: user.realm, userId: user.id, description: description.value,
                    expiresAt: expiresIn.map { now.addingSaturated($0.seconds) }, now: now, on: sql)
                try await KeyAudit.record(.create, key: issued.key, realm: user.realm, actor: actor, address: address, now: now, on: sql)
                return issued
            }
        } catch StorageError.duplicate {
            throw KeyError.personalKeyExists
        }
    }
}

/// A new secret for the same Personal PSK (same id and description); the old secret ends now or after a grace period.
/// The key's row is written first, so simultaneous regenerates run one after the other and one secret stays live.
public struct RegeneratePersonalKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, owner: String? = nil, grace: GraceSeconds, address: String) async throws
        -> (key: PreSharedKey, secret: String)
    {
        let userId = try KeyPolicy.personalKeyOwner(actor, owner: owner)
        let now = clock.now
        let secret = PSKFormat.generate(.personal)
        let key = try await changes.commit { sql in
            let store = PSKStore(sql)
            guard let key = try await store.reissuePersonal(userId: userId, realm: actor.realm, at: now, hint: PSKFormat.hint(secret)) else { throw KeyError.noPersonalKey }
            guard key.isActive else { throw KeyError.revokedByAdministrator }
            try await store.retireSecrets(keyId: key.id, at: grace.seconds > 0 ? now + grace.seconds : nil)
            try await store.addSecret(keyId: key.id, hash: TokenDigest.sha256Hex(secret), now: now)
            try await KeyAudit.record(
                .regenerate, key: key, realm: key.realm, actor: actor, address: address, detail: "grace_seconds=\(grace.seconds)", now: now, on: sql)
            return key
        }
        return (key, secret)
    }
}

/// Deletes the owner's Personal PSK: it stops working at once, on every node, and so do the keys made through it.
public struct DeletePersonalKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, owner: String? = nil, address: String) async throws {
        let userId = try KeyPolicy.personalKeyOwner(actor, owner: owner)
        let now = clock.now
        try await changes.commit { sql in
            guard let key = try await PSKStore(sql).deletePersonal(userId: userId, realm: actor.realm) else { throw KeyError.noPersonalKey }
            try await KeyAudit.record(.delete, key: key, realm: key.realm, actor: actor, address: address, now: now, on: sql)
            try await MintedKeys.end(through: key, actor: actor, address: address, now: now, on: sql)
        }
    }
}
