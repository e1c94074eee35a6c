import Domain
import Foundation
import Secrets
import SQLKit
import Storage

/// What `nexusone deploy` asks for (identity.md, "Deployment").
public struct DeploymentRequest: Sendable {
    public var clientName: String
    public var clientId: String?
    public var clientSecret: String?
    public var adminUser: String
    /// Print a new client secret even though the client already exists.
    public var rotateSecret: Bool
    public var algorithm: SigningAlgorithm

    public init(
        clientName: String, clientId: String? = nil, clientSecret: String? = nil, adminUser: String = "admin", rotateSecret: Bool = false,
        algorithm: SigningAlgorithm = .rs256
    ) {
        self.clientName = clientName
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.adminUser = adminUser
        self.rotateSecret = rotateSecret
        self.algorithm = algorithm
    }
}

/// What a deployment made. Secrets are present only when they were created or rotated by this run.
public struct DeploymentResult: Sendable, Codable, Equatable {
    public var realm: String
    public var clientId: String
    public var clientSecret: String?
    /// The deployment PSK (`nx1s_…`, owned by the service account), present only when this run issued it.
    public var psk: String?
    public var adminUsername: String
    public var adminPassword: String?
    /// True when this run created the realm (false: it already existed and was completed or left alone).
    public var createdRealm: Bool
    /// For a deployment into an external Keycloak: the issuer to serve with (`--external-issuer`).
    public var externalIssuer: String?

    public init(
        realm: String, clientId: String, clientSecret: String?, psk: String?, adminUsername: String, adminPassword: String?, createdRealm: Bool,
        externalIssuer: String? = nil
    ) {
        self.realm = realm
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.psk = psk
        self.adminUsername = adminUsername
        self.adminPassword = adminPassword
        self.createdRealm = createdRealm
        self.externalIssuer = externalIssuer
    }
}

/// Creates a customer realm, its confidential client with a service account holding the default NexusOne roles, the
/// deployment PSK and the realm's first administrator — all in one transaction, announced to every node, and safe to run
/// again (what the NexusOne deployment script does; `nexusone deploy` and the first start).
public struct Deploy: Sendable {
    let changes: ChangeLog
    let provisioner: RealmProvisioner
    let passwords: PasswordHasher
    let clock: EpochClock

    public init(changes: ChangeLog, provisioner: RealmProvisioner, passwords: PasswordHasher, clock: EpochClock) {
        self.changes = changes
        self.provisioner = provisioner
        self.passwords = passwords
        self.clock = clock
    }

    /// Only the operator deploys (the CLI, and the server's own first start): nothing on the network reaches this.
    public func callAsFunction(_ actor: Principal, _ request: DeploymentRequest) async throws -> DeploymentResult {
        guard actor.credential == .operatorCLI else { throw AdministrationError.forbidden }
        guard Names.isValidRealm(request.clientName), request.clientName != Realm.master else {
            throw ValueError(field: "client_name", message: "must be 1-64 letters, digits, '-' or '_' (and not 'master')", rule: .pattern)
        }
        if let id = request.clientId, !Names.isValidIdentifier(id) {
            throw ValueError(field: "client_id", message: "must be printable without spaces", rule: .pattern)
        }
        if let secret = request.clientSecret { _ = try ClientSecret(secret, field: "client_secret") }
        guard Names.isValidIdentifier(request.adminUser) else {
            throw ValueError(field: "admin_user", message: "must be printable without spaces", rule: .pattern)
        }
        // bcrypt is slow: hash outside the write transaction.
        let adminPassword = SecretGenerator.alphanumeric(16)
        let adminHash = try await passwords.hash(adminPassword)
        return try await changes.commit { sql in
            try await apply(request, adminPassword: adminPassword, adminHash: adminHash, on: sql)
        }
    }

    private func apply(_ request: DeploymentRequest, adminPassword: String, adminHash: String, on sql: any SQLDatabase) async throws
        -> DeploymentResult
    {
        let realmName = request.clientName
        var createdRealm = false
        if try await RealmStore(sql).find(realmName) == nil {
            _ = try await provisioner.create(realmName, algorithm: request.algorithm, on: sql)
            createdRealm = true
        }
        // A realm made through the admin REST has Keycloak's layout only; deploying into it adds NexusOne's.
        try await provisioner.addNexusOneRoles(realm: realmName, on: sql)
        let settings = SettingsStore(sql)
        let settingsKey = "deployment_client.\(realmName)"
        let remembered = try await settings.get(settingsKey)
        let clientId = request.clientId ?? remembered ?? "\(realmName.lowercased())-\(SecretGenerator.alphanumeric(6).lowercased())"
        try await settings.set(settingsKey, clientId)
        let (clientSecret, psk) = try await ensureClient(realm: realmName, clientId: clientId, request: request, on: sql)
        let adminCreated = try await UserProvisioner(clock: clock).ensureUser(
            realm: realmName, username: request.adminUser, passwordHash: adminHash, mustChangePassword: true,
            roles: [NexusOneRoles.admin, NexusOneRoles.defaultComposite(realm: realmName)] + NexusOneRoles.defaults, on: sql)
        if try await settings.get(SettingsStore.defaultRealm) == nil { try await settings.set(SettingsStore.defaultRealm, realmName) }
        return DeploymentResult(
            realm: realmName, clientId: clientId, clientSecret: clientSecret, psk: psk, adminUsername: request.adminUser.lowercased(),
            adminPassword: adminCreated ? adminPassword : nil, createdRealm: createdRealm)
    }

    /// Creates the confidential client, its service account and the deployment PSK, or updates the secret when asked;
    /// returns the secret and the key only when they are new.
    private func ensureClient(realm: String, clientId: String, request: DeploymentRequest, on sql: any SQLDatabase) async throws
        -> (secret: String?, psk: String?)
    {
        let clients = ClientStore(sql)
        let secrets = provisioner.secrets
        if let existing = try await clients.find(realm: realm, clientId: clientId) {
            guard request.rotateSecret || request.clientSecret != nil else { return (nil, nil) }
            let secret = request.clientSecret ?? SecretGenerator.alphanumeric()
            try await clients.setSecret(id: existing.client.id, sealedSecret: try secrets.seal(secret))
            return (secret, nil)
        }
        let secret = request.clientSecret ?? SecretGenerator.alphanumeric()
        let client = Client(
            id: Identifiers.uuid(), realm: realm, clientId: clientId, name: "NexusOne API client", serviceAccountsEnabled: true,
            standardFlowEnabled: false, directAccessGrantsEnabled: false, createdAt: clock.now)
        try await clients.insert(client, sealedSecret: try secrets.seal(secret))
        let serviceAccount = try await UserProvisioner(clock: clock).createServiceAccount(
            for: client, roles: NexusOneRoles.defaults + [NexusOneRoles.defaultComposite(realm: realm)], on: sql)
        let (key, psk) = try await KeyIssuer.issue(
            kind: .service, realm: realm, userId: serviceAccount.id, description: "Deployment PSK", expiresAt: nil, now: clock.now, on: sql)
        try await KeyAudit.record(
            .create, key: key, realm: realm, actor: .operatorCLI(realm: realm), address: "deploy", detail: "deployment PSK", now: clock.now, on: sql)
        return (secret, psk)
    }
}
