import Domain
import Secrets
import SQLKit
import Storage
import Tokens

/// Creates a realm with everything Keycloak would give it: signing keys, built-in and NexusOne roles, `admin-cli`.
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
        let realm = Realm(name: name, signingAlgorithm: algorithm, createdAt: now)
        try await RealmStore(sql).insert(realm)
        for key in [try KeyMaterial.generate(algorithm.keyAlgorithm), try KeyMaterial.generate(KeyMaterial.refreshAlgorithm)] {
            try await SigningKeyStore(sql).insert(
                StoredSigningKey(
                    kid: key.kid, realm: name, algorithm: key.algorithm, sealedPrivateKey: try secrets.seal(key.privateKey), status: .active,
                    createdAt: now))
        }
        let roles = RoleStore(sql)
        var builtIn: [Role] = []
        for roleName in NexusOneRoles.builtIn {
            let role = Role(id: Identifiers.uuid(), realm: name, name: roleName, description: "${role_\(roleName)}")
            try await roles.insert(role)
            builtIn.append(role)
        }
        let defaults = Role(
            id: Identifiers.uuid(), realm: name, name: NexusOneRoles.defaultComposite(realm: name), description: "${role_default-roles}",
            composite: true)
        try await roles.insert(defaults)
        for child in builtIn { try await roles.addComposite(parent: defaults.id, child: child.id) }
        for roleName in NexusOneRoles.all {
            try await roles.insert(Role(id: Identifiers.uuid(), realm: name, name: roleName, description: "NexusOne role \(roleName)"))
        }
        if name == Realm.master {
            try await roles.insert(Role(id: Identifiers.uuid(), realm: name, name: MasterRealm.adminRole, description: "${role_admin}"))
        }
        try await ClientStore(sql).insert(
            Client(
                id: Identifiers.uuid(), realm: name, clientId: Client.adminCLI, name: "${client_admin-cli}", isPublic: true,
                standardFlowEnabled: false, directAccessGrantsEnabled: true, createdAt: now),
            sealedSecret: nil)
        return realm
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
}
