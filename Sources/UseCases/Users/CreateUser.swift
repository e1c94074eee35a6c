import Domain
import Secrets
import Storage

/// Creates a user of a realm with the realm's default roles plus the ones asked for (admin REST `POST …/users`, the
/// portal's "New user"). A one-time password, when asked for, is generated here and returned once.
public struct CreateUser: Sendable {
    let changes: ChangeLog
    let passwords: PasswordHasher
    let clock: EpochClock

    public enum Password: Sendable {
        case none
        case given(UserPassword, temporary: Bool)
        /// Generated, returned once, to be changed at first sign-in.
        case oneTime
    }

    public struct Input: Sendable {
        public var username: Identifier
        public var profile: UserProfile
        public var password: Password
        /// Realm roles besides `default-roles-<realm>` (names that do not exist are skipped, as Keycloak's import does).
        public var roles: [String]
        /// Groups to join, by path (`/top/child`); one that does not exist refuses the whole creation, as in Keycloak.
        public var groups: [String]

        public init(
            username: Identifier, profile: UserProfile = UserProfile(), password: Password = .none, roles: [String] = [], groups: [String] = []
        ) {
            (self.username, self.profile, self.password) = (username, profile, password)
            (self.roles, self.groups) = (roles, groups)
        }
    }

    public func callAsFunction(_ actor: Principal, realm: String, _ input: Input) async throws -> (user: User, oneTimePassword: String?) {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        // Roles beyond the realm's defaults are granted as `ChangeRoleMappings` grants them.
        if !input.roles.isEmpty { try Administration.authorize(actor, realm: realm, .manageRealm) }
        try input.profile.validate()
        var user = User(id: Identifiers.uuid(), realm: realm, username: input.username.value, createdAt: clock.now)
        input.profile.apply(to: &user)
        var oneTime: String?
        var hash: String?
        switch input.password {
        case .none: break
        case .given(let password, let temporary):
            let policy = try await changes.read { sql in try await RealmStore(sql).find(realm)?.policy } ?? .none
            try await PasswordRules(passwords: passwords).check(password.value, username: user.username, email: user.email, policy: policy)
            hash = try await passwords.hash(password.value)
            user.mustChangePassword = temporary
        case .oneTime:
            let policy = try await changes.read { sql in try await RealmStore(sql).find(realm)?.policy } ?? .none
            let generated = SecretGenerator.oneTimePassword(meeting: policy)
            hash = try await passwords.hash(generated)
            user.mustChangePassword = true
            oneTime = generated
        }
        let (newUser, passwordHash, roles, groups, clock, generated) = (user, hash, [NexusOneRoles.defaultComposite(realm: realm)] + input.roles, input.groups, clock, oneTime)
        do {
            return try await changes.commit { sql in
                // The realm's default actions: every new user chooses their own password first (`UPDATE_PASSWORD`), or sets
                // up an authenticator (`CONFIGURE_TOTP`).
                var newUser = newUser
                let actions = try await RealmStore(sql).find(realm)?.requiredActions ?? RequiredActions()
                if actions[.updatePassword].defaultAction, passwordHash != nil { newUser.mustChangePassword = true }
                if actions[.configureTOTP].defaultAction { newUser.mustConfigureOTP = true }
                // Keycloak names a taken username before a taken address.
                if newUser.email != nil, try await UserStore(sql).find(realm: realm, username: newUser.username) != nil {
                    throw AdministrationError.exists(.user, name: newUser.username)
                }
                try await UniqueEmail.check(newUser.email, userId: newUser.id, realm: realm, on: sql)
                try await UserStore(sql).insert(newUser, passwordHash: passwordHash)
                try await UserProvisioner(clock: clock).grant(roles, to: newUser.id, realm: realm, on: sql)
                try await PrivilegeGuard.requireOutranks(actor, userId: newUser.id, realm: realm, on: sql)
                for path in groups {
                    guard let group = try await Groups.find(path: path, realm: realm, on: sql) else { throw AdministrationError.refused("Group \(path) not found") }
                    try await ChangeGroups.requireMayChangeMembers(actor, groupId: group.id, userId: newUser.id, realm: realm, on: sql)
                    try await GroupStore(sql).addMember(groupId: group.id, userId: newUser.id)
                }
                return (newUser, generated)
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.user, name: newUser.username)
        }
    }
}
