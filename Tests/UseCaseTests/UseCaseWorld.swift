import Crypto
import DatabaseFixtures
import Domain
import Identity
import Secrets
import Storage
import UseCases

/// A migrated database with one realm (`acme`), and the use cases and identity checks made on it as the composition
/// root makes them — without HTTP.
struct UseCaseWorld: Sendable {
    static let realm = "acme"

    let changes: ChangeLog
    let clock: TestClock
    let secrets: SecretBox
    let passwords: PasswordHasher
    let administration: RealmAdministration
    let sessions: SessionUseCases
    let throttle: FailureThrottle
    let operatorCLI = Principal.operatorCLI(realm: UseCaseWorld.realm)

    var roles: EffectiveRoles { EffectiveRoles(database: changes.database) }
    var passwordSignIn: PasswordSignIn {
        PasswordSignIn(
            database: changes.database, passwords: passwords, throttle: throttle, failures: administration.signInFailures, clock: clock.epochClock)
    }

    /// Runs `body` in a fresh world on each database kind the run offers.
    static func run(on kind: DatabaseKind, _ body: @Sendable (UseCaseWorld) async throws -> Void) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            try await Migrator.migrate(database)
            let clock = TestClock()
            let secrets = SecretBox(key: SymmetricKey(size: .bits256))
            // Cost 4: the rules are under test here, not bcrypt.
            let passwords = PasswordHasher(cost: 4)
            let changes = ChangeLog(database: database, notifier: ChangeNotifier())
            let world = UseCaseWorld(
                changes: changes, clock: clock, secrets: secrets, passwords: passwords,
                administration: RealmAdministration(changes: changes, secrets: secrets, passwords: passwords, clock: clock.epochClock),
                sessions: SessionUseCases(changes: changes, revocations: RevocationList(), clock: clock.epochClock),
                throttle: FailureThrottle(limit: 3, clock: clock.epochClock))
            _ = try await world.administration.createRealm(
                Principal.operatorCLI(realm: Realm.master), name: realm, algorithm: .es256, settings: try RealmSettings())
            // A deployed realm: NexusOne's roles on top of Keycloak's layout.
            try await changes.commit { sql in try await RealmLayoutWriter.ensureNexusOneRoles(realm: realm, on: sql) }
            try await body(world)
        }
    }

    /// A user of the realm with a password; its id.
    func user(_ name: String, password: String = "correct-horse-1", temporary: Bool = false) async throws -> String {
        let (created, _) = try await administration.createUser(
            operatorCLI, realm: Self.realm,
            .init(username: try Identifier.username(name), password: .given(try UserPassword(password), temporary: temporary)))
        return created.id
    }
}
