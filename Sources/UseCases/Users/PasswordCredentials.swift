import Domain
import Secrets
import Storage

/// A user's password as Keycloak's credential list shows it: that there is one, since when, and how it is hashed —
/// never the hash. Its id is the user's id (a user has at most one password here).
public struct PasswordCredential: Sendable, Equatable {
    public let id: String
    public let createdAt: Int?
    /// `bcrypt`, or the Keycloak algorithm of an imported hash not yet rehashed (`pbkdf2-sha256`, …).
    public let algorithm: String
}

/// Reading and removing users' passwords (admin REST `…/users/{id}/credentials`).
public struct PasswordCredentials: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func list(_ actor: Principal, realm: String, userId: String) async throws -> [PasswordCredential] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        guard let stored = try await changes.read({ sql in try await UserStore(sql).credentials(realm: realm, id: userId) }) else {
            throw AdministrationError.notFound(.user)
        }
        guard let hash = stored.passwordHash else { return [] }
        return [PasswordCredential(id: userId, createdAt: stored.passwordSetAt, algorithm: PasswordHashFormat.algorithm(of: hash))]
    }

    /// Removes the password: the user cannot sign in with one until an administrator sets a new one. Sessions and
    /// tokens end too, as after any change of credentials by someone else.
    public func remove(_ actor: Principal, realm: String, userId: String, credentialId: String, now: Int) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try await changes.commit { sql in
            guard let stored = try await UserStore(sql).credentials(realm: realm, id: userId) else { throw AdministrationError.notFound(.user) }
            guard credentialId == userId, stored.passwordHash != nil else { throw AdministrationError.notFound(.credential) }
            try await PrivilegeGuard.requireOutranks(actor, userId: userId, realm: realm, on: sql)
            try await UserStore(sql).removePassword(id: userId)
            try await UserAccess.end(userId: userId, realm: realm, now: now, on: sql)
        }
    }
}
