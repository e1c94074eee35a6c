import Domain
import Storage

/// Reading a realm's roles, for its administrators.
public struct Roles: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    /// Realm roles (`clientInternalId` nil), or the roles of one client.
    public func all(_ actor: Principal, realm: String, clientInternalId: String? = nil) async throws -> [Role] {
        try Administration.authorize(actor, realm: realm)
        return try await database.read { sql in try await RoleStore(sql).all(realm: realm, clientId: clientInternalId) }
    }

    public func find(_ actor: Principal, realm: String, name: String) async throws -> Role {
        try Administration.authorize(actor, realm: realm)
        guard let role = try await database.read({ sql in try await RoleStore(sql).find(realm: realm, name: name) }) else {
            throw AdministrationError.notFound(.role)
        }
        return role
    }
}
