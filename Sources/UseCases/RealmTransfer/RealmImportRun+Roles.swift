import Domain
import Foundation
import Secrets
import SQLKit
import Storage

/// The file's realm and client roles, and the composites between them.
extension RealmImportRun {
    // MARK: Roles

    mutating func roles() async throws {
        for role in document.roles?.realm ?? [] { try await importRole(role, clientInternalId: nil, clientLabel: nil) }
    }

    mutating func clientRoles() async throws {
        for (clientId, roles) in (document.roles?.client ?? [:]).sorted(by: { $0.key < $1.key }) {
            // Keycloak's own clients keep the roles every realm has; a file does not add to them.
            guard !KeycloakRealmDocument.builtInClients.contains(clientId), let client = try await importedClient(clientId) else { continue }
            for role in roles { try await importRole(role, clientInternalId: client.id, clientLabel: clientId) }
        }
    }

    private mutating func importRole(_ role: KeycloakRealmDocument.Role, clientInternalId: String?, clientLabel: String?) async throws {
        let label = clientLabel.map { "\($0)/\(role.name)" } ?? role.name
        guard let name = try? Identifier(role.name, field: "name") else {
            report.notes.append("Role \"\(label)\" not imported: invalid name")
            return
        }
        let description = String((role.description ?? "").prefix(DescriptionText.maximumLength))
        let store = RoleStore(sql)
        if let existing = try await store.find(realm: realmName, clientId: clientInternalId, name: name.value) {
            if role.description != nil && existing.description != description {
                try await store.update(id: existing.id, description: description)
                report.roles.updated += 1
            } else {
                report.roles.unchanged += 1
            }
            return
        }
        let id = try await IdentifierLedger.reuse(role.id, in: .roles, on: sql)
        try await store.insert(Role(id: id, realm: realmName, clientId: clientInternalId, name: name.value, description: description))
        report.roles.created += 1
    }

    /// Adds the composites the file names; a child that is not there is reported, one that is already there is kept.
    mutating func composites() async throws {
        var parents: [(role: KeycloakRealmDocument.Role, clientId: String?)] = (document.roles?.realm ?? []).map { ($0, nil) }
        for (clientId, roles) in document.roles?.client ?? [:] { parents += roles.map { ($0, clientId) } }
        let store = RoleStore(sql)
        for (role, clientId) in parents {
            if let clientId, KeycloakRealmDocument.builtInClients.contains(clientId) { continue }
            guard let composites = role.composites, let parent = try await findRole(clientId: clientId, name: role.name) else { continue }
            let present = Set(try await store.children(of: parent.id).map(\.id))
            for (childClient, name) in Self.roleNames(realm: composites.realm, client: composites.client) {
                guard let child = try await findRole(clientId: childClient, name: name) else {
                    report.notes.append("Composite \(role.name) → \(childClient.map { "\($0)/" } ?? "")\(name) not imported: no such role")
                    continue
                }
                guard !present.contains(child.id) else { continue }
                try await store.addComposite(parent: parent.id, child: child.id)
                report.compositesAdded += 1
            }
        }
    }
}
