import Domain
import SQLKit
import Storage

/// Ends what a user holds: every session — offline ones too, unless `keepingOffline` (a sign-out, which in Keycloak
/// leaves offline tokens to their consent) — and every access token issued up to now (`not_before` is the next second,
/// so a token issued in this very second is refused too). A password reset or a removed credential ends offline
/// tokens as well: that is what an administrator answering a stolen password needs. Part of the caller's transaction;
/// its announcement makes every node's verifier reload the user's cut-off within a second.
enum UserAccess {
    static func end(userId: String, realm: String, now: Int, keepingOffline: Bool = false, on sql: any SQLDatabase) async throws {
        try await SessionStore(sql).endAll(userId: userId, includingOffline: !keepingOffline)
        try await TokenCutOffStore(sql).refuseTokens(of: userId, realm: realm, issuedBefore: now + 1)
    }

    /// A user disabled: `end`, and every key they hold or made — Personal, service, data-product — revoked for good
    /// (with the keys minted through them). Enabling the user again gives back the account, not its keys: a key that
    /// may have leaked with the account stays dead (docs/security.md "Sessions and tokens").
    static func disable(userId: String, realm: String, actor: Principal, now: Int, on sql: any SQLDatabase) async throws {
        try await end(userId: userId, realm: realm, now: now, on: sql)
        for key in try await PSKStore(sql).deactivateAll(userId: userId, realm: realm, at: now) {
            try await KeyAudit.record(.revoke, key: key, realm: realm, actor: actor, address: "", detail: "its user was disabled", now: now, on: sql)
            try await MintedKeys.end(through: key, actor: actor, address: "", now: now, on: sql)
        }
    }
}

/// Keycloak's "Sign out" of a user (admin REST `POST …/users/{id}/logout`).
public struct SignOutUser: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public func callAsFunction(_ actor: Principal, realm: String, userId: String) async throws {
        let now = clock.now
        try await changes.commit(onUser: userId, realm: realm) { _, sql in
            try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, member: userId, .manageMembers, on: sql)
            // Ending someone's sessions is acting on them: not on someone holding more.
            try await PrivilegeGuard.requireOutranks(actor, userId: userId, realm: realm, on: sql)
            try await UserAccess.end(userId: userId, realm: realm, now: now, keepingOffline: true, on: sql)
        }
    }
}
