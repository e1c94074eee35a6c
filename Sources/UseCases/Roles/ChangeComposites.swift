import Domain
import Storage

/// Adds roles to a composite role or removes them (admin REST `POST`/`DELETE …/roles/{name}/composites`), all in one
/// transaction. Who holds the composite holds its parts from the next token on.
public struct ChangeComposites: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// `parts` name roles of the realm or its clients by id, or realm roles by name.
    public func callAsFunction(
        _ actor: Principal, realm: String, parent name: String, clientInternalId: String? = nil, parts: [ChangeRoleMappings.RoleReference], add: Bool
    ) async throws {
        try Administration.authorize(actor, realm: realm)
        // A role deleted between the lookup and the insert (PostgreSQL runs both at once) is as missing as one never there.
        try await StorageError.missingReference.means(AdministrationError.notFound(.role)) {
            try await changes.commit { sql in
                let store = RoleStore(sql)
                guard let parent = try await store.find(realm: realm, clientId: clientInternalId, name: name) else {
                    throw AdministrationError.notFound(.role)
                }
                for reference in parts {
                    let found = if let id = reference.id { try await store.find(id: id) } else { try await store.find(realm: realm, name: reference.name) }
                    guard let child = found, child.realm == realm else { throw AdministrationError.notFound(.role) }
                    guard child.id != parent.id else { throw AdministrationError.refused("A role cannot contain itself") }
                    if add { try await store.addComposite(parent: parent.id, child: child.id) } else { try await store.removeComposite(parent: parent.id, child: child.id) }
                }
            }
        }
    }
}
