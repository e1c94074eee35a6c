import Domain
import Secrets
import SQLKit
import Storage

/// Reads a realm from Keycloak's export format into this server (`nexusone realm import`): realm settings, realm and
/// client roles with composites, clients with their secrets and service accounts, users with attributes, role
/// mappings and their passwords as Keycloak hashed them. One transaction: all of it or nothing; `dryRun` runs the same
/// transaction and rolls it back, so the report says exactly what a real run would change.
///
/// Running it again changes nothing: what exists is matched by name and updated where the file differs, and a
/// credential that exists (a password, perhaps already rehashed; a client secret) is never replaced.
public struct ImportRealm: Sendable {
    let changes: ChangeLog
    let provisioner: RealmProvisioner
    let secrets: SecretBox
    let clock: EpochClock

    public init(changes: ChangeLog, provisioner: RealmProvisioner, secrets: SecretBox, clock: EpochClock) {
        self.changes = changes
        self.provisioner = provisioner
        self.secrets = secrets
        self.clock = clock
    }

    /// `settings`: the realm's settings as the admin REST read them from the same body (every field of Keycloak's realm
    /// representation), instead of the few the export format names; `asNew`: refuse a realm that exists (`POST
    /// /admin/realms`), checked inside the transaction so two such imports cannot both fill one realm.
    public func callAsFunction(
        _ actor: Principal, _ document: KeycloakRealmDocument, dryRun: Bool, settings given: RealmSettings? = nil, asNew: Bool = false
    ) async throws -> RealmImportReport {
        guard Administration.isServerAdmin(actor) || actor.credential == .operatorCLI else { throw AdministrationError.forbidden }
        guard Names.isValidRealm(document.realm) else { throw ValueError(field: "realm", message: "Invalid realm name", rule: .pattern) }
        // Keycloak's master realm holds Keycloak's own administrators; ours is this server's, and a file must not grant it.
        guard document.realm != Realm.master else {
            throw ValueError(field: "realm", message: "The master realm is this server's own: import customer realms only", rule: .pattern)
        }
        let policy = document.passwordPolicy.map(PasswordPolicy.enforceablePart(of:))
        var imported = try RealmSettings(
            enabled: document.enabled, accessTokenLifespan: document.accessTokenLifespan, refreshTokenLifespan: document.ssoSessionIdleTimeout)
        imported.passwordPolicy = policy?.policy
        let settings = given ?? imported
        let (provisioner, secrets, clock, now) = (self.provisioner, self.secrets, self.clock, clock.now)
        do {
            return try await changes.commit { sql in
                var run = RealmImportRun(
                    document: document, sql: sql, secrets: secrets, accounts: UserProvisioner(clock: clock), now: now,
                    report: RealmImportReport(realm: document.realm, dryRun: dryRun))
                try await run.realm(settings: settings, provisioner: provisioner, asNew: asNew)
                for term in policy?.dropped ?? [] { run.report.notes.append("Password policy \(term) not imported: not enforced by this server") }
                try await run.roles()
                try await run.clients()
                try await run.clientRoles()
                try await run.composites()
                try await run.groups()
                try await run.users()
                if dryRun { throw DryRunFinished(report: run.report) }
                return run.report
            }
        } catch let finished as DryRunFinished {
            return finished.report
        } catch StorageError.duplicate where asNew {
            // Another request made the realm at the same moment.
            throw AdministrationError.exists(.realm, name: document.realm)
        }
    }

    /// Thrown at the end of a dry run so the transaction rolls back; carries what would have changed.
    private struct DryRunFinished: Error {
        let report: RealmImportReport
    }
}

/// What an import did (or, in a dry run, would do).
public struct RealmImportReport: Sendable, Encodable, Equatable {
    public struct Counts: Sendable, Encodable, Equatable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0

        public var changed: Bool { created + updated > 0 }
    }

    public var realm: String
    public var dryRun: Bool
    public var realmCreated = false
    public var realmUpdated = false
    public var roles = Counts()
    public var clients = Counts()
    public var users = Counts()
    public var groups = Counts()
    public var compositesAdded = 0
    public var passwordsImported = 0
    /// Argon2 hashes on a machine without libargon2, and hashes costlier than a sign-in may be: these users need a new
    /// password from an administrator.
    public var passwordResetsRequired: [String] = []
    /// Confidential clients whose secret the file did not contain (masked): a new one was generated, shown here once
    /// as `nexusone deploy` shows one (nil in a dry run, which stores nothing).
    public var generatedSecrets: [GeneratedSecret] = []
    /// What was read past, in words an operator can act on.
    public var notes: [String] = []

    public struct GeneratedSecret: Sendable, Encodable, Equatable {
        public var clientId: String
        public var secret: String?

        public init(clientId: String, secret: String?) {
            self.clientId = clientId
            self.secret = secret
        }
    }

    init(realm: String, dryRun: Bool) {
        self.realm = realm
        self.dryRun = dryRun
    }

    /// Whether the import changed (or would change) anything.
    public var changedAnything: Bool { realmCreated || realmUpdated || roles.changed || clients.changed || users.changed || groups.changed || compositesAdded > 0 }
}
