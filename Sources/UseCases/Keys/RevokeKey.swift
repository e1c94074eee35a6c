import Domain
import Storage

/// An administrator's revocation of any key of the realm: the key stays listed, inactive, and never works again; nor
/// do the keys made through it.
public struct RevokeKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, realm: String, keyId: String, address: String) async throws {
        try KeyPolicy.authorizeAdministration(actor, realm: realm)
        let now = clock.now
        try await changes.commit { sql in
            guard let key = try await PSKStore(sql).deactivate(id: keyId, realm: realm, at: now) else { throw KeyError.notFound }
            try await KeyAudit.record(.revoke, key: key, realm: realm, actor: actor, address: address, now: now, on: sql)
            try await MintedKeys.end(through: key, actor: actor, address: address, now: now, on: sql)
        }
    }
}
