import Domain
import Storage
import Tokens

/// Reading realms, for administrators: the server administrator sees all, a realm's `nx1_admin` their own.
public struct Realms: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func visible(to actor: Principal) async throws -> [Realm] {
        let realms = try await database.read { sql in try await RealmStore(sql).all() }
        if Administration.isServerAdmin(actor) || actor.credential == .operatorCLI { return realms }
        return realms.filter { realm in (try? Administration.authorize(actor, realm: realm.name)) != nil }
    }

    /// The realm, after checking that the actor administers it.
    public func administered(by actor: Principal, name: String) async throws -> Realm {
        try Administration.authorize(actor, realm: name)
        guard Names.isValidRealm(name), let realm = try await database.read({ sql in try await RealmStore(sql).find(name) }) else {
            throw AdministrationError.notFound(.realm)
        }
        return realm
    }
}

/// A new active signing key for a realm (`nexusone keys rotate`); the old one keeps verifying until its tokens expire.
public struct RotateSigningKeys: Sendable {
    let changes: ChangeLog
    let provisioner: RealmProvisioner

    public init(changes: ChangeLog, provisioner: RealmProvisioner) {
        self.changes = changes
        self.provisioner = provisioner
    }

    /// The new key's `kid` and algorithm.
    public func callAsFunction(_ actor: Principal, realm name: String, algorithm: SigningAlgorithm?) async throws -> (kid: String, algorithm: KeyAlgorithm) {
        try Administration.authorize(actor, realm: name)
        let provisioner = self.provisioner
        let key = try await changes.commit { sql in
            guard let realm = try await RealmStore(sql).find(name) else { throw AdministrationError.notFound(.realm) }
            return try await provisioner.rotateKeys(realm: realm, algorithm: algorithm, on: sql)
        }
        return (key.kid, key.algorithm)
    }
}
