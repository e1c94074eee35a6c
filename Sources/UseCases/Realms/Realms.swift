import Domain
import Storage
import Tokens

/// Reading realms, for administrators: the server administrator sees all, anyone with a right in administering a realm
/// their own (as Keycloak shows every admin role the realm's representation).
public struct Realms: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func visible(to actor: Principal) async throws -> [Realm] {
        let realms = try await database.read { sql in try await RealmStore(sql).all() }
        if Administration.isServerAdmin(actor) || actor.credential == .operatorCLI { return realms }
        return realms.filter { realm in Administration.administersAnything(actor, realm: realm.name) }
    }

    /// The realm, after checking that the actor administers anything in it.
    public func administered(by actor: Principal, name: String) async throws -> Realm {
        guard Administration.administersAnything(actor, realm: name) else { throw AdministrationError.forbidden }
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
        try Administration.authorize(actor, realm: name, .manageRealm)
        let provisioner = self.provisioner
        let key = try await changes.commit { sql in
            guard let realm = try await RealmStore(sql).find(name) else { throw AdministrationError.notFound(.realm) }
            return try await provisioner.rotateKeys(realm: realm, algorithm: algorithm, on: sql)
        }
        return (key.kid, key.algorithm)
    }
}
