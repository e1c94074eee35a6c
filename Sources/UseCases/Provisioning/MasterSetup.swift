import Domain
import Secrets
import Storage

/// Makes sure the `master` realm and its administrator exist. Returns the generated password when it made the
/// administrator without a configured one (to be printed once), nil otherwise.
public struct MasterSetup: Sendable {
    let provisioner: RealmProvisioner
    let passwords: PasswordHasher
    let clock: EpochClock

    public init(provisioner: RealmProvisioner, passwords: PasswordHasher, clock: EpochClock) {
        self.provisioner = provisioner
        self.passwords = passwords
        self.clock = clock
    }

    public struct Outcome: Sendable {
        public var createdAdmin: Bool
        public var generatedPassword: String?
    }

    public func ensure(database: any Database, configuredPassword: String?) async throws -> Outcome {
        let exists = try await database.read { sql in try await SettingsStore(sql).get(SettingsStore.masterAdminCreated) != nil }
        if exists { return Outcome(createdAdmin: false, generatedPassword: nil) }
        let password = configuredPassword ?? SecretGenerator.alphanumeric(20)
        let hash = try await passwords.hash(password)
        let provisioner = self.provisioner
        let clock = self.clock
        try await database.transaction { sql in
            if try await RealmStore(sql).find(Realm.master) == nil { _ = try await provisioner.create(Realm.master, on: sql) }
            _ = try await UserProvisioner(clock: clock).ensureUser(
                realm: Realm.master, username: MasterRealm.adminUsername, passwordHash: hash, mustChangePassword: false,
                roles: [MasterRealm.adminRole, NexusOneRoles.defaultComposite(realm: Realm.master)], on: sql)
            try await SettingsStore(sql).set(SettingsStore.masterAdminCreated, "1")
        }
        return Outcome(createdAdmin: true, generatedPassword: configuredPassword == nil ? password : nil)
    }
}
