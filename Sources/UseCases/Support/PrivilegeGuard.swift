import Domain
import SQLKit
import Storage

/// Keeps a delegated administrator within what they hold. Keycloak stops an administrator from handing out an admin
/// role they lack; we go one step further, because the weaker right could otherwise take the stronger by the back
/// door:
/// - nobody gives a right in administering the realm (a `realm-management` role, or a role or group that reaches one)
///   that they do not hold themselves;
/// - nobody with `manage-users` changes, resets, deletes or strips the second factor of a user who holds a right they
///   lack: a help desk can reset a colleague's password, not a realm administrator's and then sign in as them.
/// The server administrator and the operator hold every right, so nothing here stops them.
enum PrivilegeGuard {
    /// Throws `forbidden` unless `actor` holds every right that `roles` reach through composites.
    static func requireHolds(_ actor: Principal, rightsOf roles: [Role], realm: String, on sql: any SQLDatabase) async throws {
        guard !holdsEverything(actor) else { return }
        let reached = try await rights(reachedBy: roles, realm: realm, on: sql)
        guard reached.allSatisfy({ actor.may($0) }) else { throw AdministrationError.forbidden }
    }

    /// Throws `forbidden` unless `actor` holds every right the user holds.
    static func requireOutranks(_ actor: Principal, userId: String, realm: String, on sql: any SQLDatabase) async throws {
        guard !holdsEverything(actor) else { return }
        let held = try await EffectiveRoles.read(userId: userId, on: sql).adminRights
        guard held.allSatisfy({ actor.may($0) }) else { throw AdministrationError.forbidden }
    }

    /// Throws `forbidden` unless `actor` holds every right the client's service account holds: its secret (read,
    /// regenerated) signs in as that account, and deleting the client deletes the account.
    static func requireOutranksServiceAccount(_ actor: Principal, of client: Client, on sql: any SQLDatabase) async throws {
        guard let account = try await UserStore(sql).serviceAccount(clientInternalId: client.id) else { return }
        try await requireOutranks(actor, userId: account.id, realm: client.realm, on: sql)
    }

    /// The rights `roles` give, composites expanded.
    static func rights(reachedBy roles: [Role], realm: String, on sql: any SQLDatabase) async throws -> Set<AdminRight> {
        guard !roles.isEmpty,
            let management = try await ClientStore(sql).find(realm: realm, clientId: KeycloakRealmLayout.realmManagement)?.client.id
        else { return [] }
        let store = RoleStore(sql)
        var seen: [String: Role] = [:]
        var frontier = roles
        while !frontier.isEmpty {
            for role in frontier { seen[role.id] = role }
            frontier = try await store.children(ofAny: frontier.map(\.id)).filter { seen[$0.id] == nil }
        }
        return AdminRight.rights(fromRoles: seen.values.filter { $0.clientId == management }.map(\.name))
    }

    private static func holdsEverything(_ actor: Principal) -> Bool {
        actor.credential == .operatorCLI || Administration.isServerAdmin(actor)
    }
}
