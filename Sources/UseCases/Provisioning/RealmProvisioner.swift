import Domain
import Secrets
import SQLKit
import Storage
import Tokens

/// Creates a realm with everything Keycloak would give it: signing keys, and Keycloak's roles and clients
/// (`RealmLayoutWriter`). NexusOne's roles come with `deploy` (`addNexusOneRoles`).
public struct RealmProvisioner: Sendable {
    let secrets: SecretBox
    let clock: EpochClock

    public init(secrets: SecretBox, clock: EpochClock) {
        self.secrets = secrets
        self.clock = clock
    }

    /// Creates the realm inside the caller's transaction; a duplicate name throws `StorageError.duplicate`.
    public func create(_ name: String, algorithm: SigningAlgorithm = .rs256, on sql: any SQLDatabase) async throws -> Realm {
        let now = clock.now
        var realm = Realm(name: name, signingAlgorithm: algorithm, createdAt: now)
        // Keycloak's master realm gives its administrators one-minute tokens, which admin tools refresh as they go.
        if name == Realm.master { realm.accessTokenLifespan = MasterRealm.accessTokenLifespan }
        try await RealmStore(sql).insert(realm)
        for key in [try KeyMaterial.generate(algorithm.keyAlgorithm), try KeyMaterial.generate(KeyMaterial.refreshAlgorithm)] {
            try await SigningKeyStore(sql).insert(
                StoredSigningKey(
                    kid: key.kid, realm: name, algorithm: key.algorithm, sealedPrivateKey: try secrets.seal(key.privateKey), status: .active,
                    createdAt: now))
        }
        try await RealmLayoutWriter.ensureKeycloakLayout(realm: name, now: now, on: sql)
        if name == Realm.master {
            try await RoleStore(sql).insert(Role(id: Identifiers.uuid(), realm: name, name: MasterRealm.adminRole, description: "${role_admin}"))
        }
        return realm
    }

    /// NexusOne's roles on top of Keycloak's layout (`deploy`, and realms that predate the layout's split).
    public func addNexusOneRoles(realm: String, on sql: any SQLDatabase) async throws {
        try await RealmLayoutWriter.ensureNexusOneRoles(realm: realm, on: sql)
    }

    /// Replaces the realm's active signing key; the old one stays published and keeps verifying until every token it
    /// signed has expired (`retireAfter` = now + the access-token lifespan).
    public func rotateKeys(realm: Realm, algorithm: SigningAlgorithm? = nil, on sql: any SQLDatabase) async throws -> KeyMaterial {
        let now = clock.now
        let algorithm = algorithm ?? realm.signingAlgorithm
        try await SigningKeyStore(sql).purgeRetired(now: now)
        try await SigningKeyStore(sql).demoteActive(
            realm: realm.name, algorithms: SigningAlgorithm.allCases.map(\.keyAlgorithm), retireAfter: now.addingSaturated(realm.accessTokenLifespan.addingSaturated(60)))
        let key = try KeyMaterial.generate(algorithm.keyAlgorithm)
        try await SigningKeyStore(sql).insert(
            StoredSigningKey(
                kid: key.kid, realm: realm.name, algorithm: key.algorithm, sealedPrivateKey: try secrets.seal(key.privateKey), status: .active,
                createdAt: now))
        if algorithm != realm.signingAlgorithm {
            var updated = realm
            updated.signingAlgorithm = algorithm
            try await RealmStore(sql).update(updated)
        }
        return key
    }
}

/// Facts about the `master` realm, where the server administrator lives.
public enum MasterRealm {
    /// The master realm role that makes a user the server administrator.
    public static let adminRole = "admin"
    public static let adminUsername = "admin"
    /// Keycloak's `accessTokenLifespan` of the master realm, which python-keycloak's refresh logic is written for.
    public static let accessTokenLifespan = 60
}
