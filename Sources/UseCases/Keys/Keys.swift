import Domain
import Storage

/// Reading keys: one's own Personal PSK, the keys of the products one manages, and — for key administrators — every
/// key of the realm and the audit trail. Never a secret: hints only.
public struct Keys: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func personal(of actor: Principal) async throws -> PreSharedKey? {
        try await database.read { sql in try await PSKStore(sql).personal(userId: actor.subject, realm: actor.realm) }
    }

    /// Keys of every product the actor may manage.
    public func ofProducts(managedBy actor: Principal, includeDeleted: Bool) async throws -> [PreSharedKey] {
        try await database.read { sql in
            let products = try await DataProductStore(sql).all(realm: actor.realm).filter { actor.mayManage($0) }
            return try await PSKStore(sql).forDataProducts(products.map(\.id), includeDeleted: includeDeleted)
        }
    }

    public func all(_ actor: Principal, realm: String) async throws -> [OwnedKey] {
        try KeyPolicy.authorizeAdministration(actor, realm: realm)
        return try await database.read { sql in try await PSKStore(sql).all(realm: realm) }
    }

    public func audit(_ actor: Principal, realm: String, action: AuditAction?, limit: Int) async throws -> [AuditEvent] {
        try KeyPolicy.authorizeAdministration(actor, realm: realm)
        return try await database.read { sql in try await AuditStore(sql).list(realm: realm, action: action, limit: limit) }
    }
}
