import Domain
import Foundation
import SQLKit

/// Writes what every realm holds from its creation (`KeycloakRealmLayout`) and what `deploy` adds on top (NexusOne's
/// roles). Each step adds only what is missing, so a new realm, a migrated one and a second run all end the same.
public enum RealmLayoutWriter {
    /// Keycloak's realm roles, the six clients with their roles and composites, and `default-roles-{realm}` holding
    /// `offline_access`, `uma_authorization` and `account`'s `view-profile` and `manage-account`.
    public static func ensureKeycloakLayout(realm: String, now: Int, on sql: any SQLDatabase) async throws {
        // First the scopes, which every client (these included) is given when it is made.
        try await ensureClientScopes(realm: realm, on: sql)
        let roles = RoleStore(sql)
        var defaultParts: [Role] = []
        for name in KeycloakRealmLayout.realmRoles {
            defaultParts.append(try await ensureRole(realm: realm, client: nil, name: name, on: sql))
        }
        for spec in KeycloakRealmLayout.clients {
            let client = try await ensureClient(spec, realm: realm, now: now, on: sql)
            var byName: [String: Role] = [:]
            for (name, _) in spec.roles { byName[name] = try await ensureRole(realm: realm, client: client.id, name: name, on: sql) }
            for (name, parts) in spec.roles {
                for part in parts { try await roles.addComposite(parent: byName[name]!.id, child: byName[part]!.id) }
            }
            if spec.clientId == KeycloakRealmLayout.account {
                defaultParts += KeycloakRealmLayout.defaultAccountRoles.compactMap { byName[$0] }
            }
        }
        let defaults = try await ensureRole(
            realm: realm, client: nil, name: NexusOneRoles.defaultComposite(realm: realm), description: "${role_default-roles}", on: sql)
        for part in defaultParts { try await roles.addComposite(parent: defaults.id, child: part.id) }
    }

    /// Keycloak's client scopes with their mappers (`KeycloakClientScopes`), each one the realm gives new clients.
    public static func ensureClientScopes(realm: String, on sql: any SQLDatabase) async throws {
        let scopes = ClientScopeStore(sql)
        for spec in KeycloakClientScopes.all where try await scopes.find(realm: realm, name: spec.name) == nil {
            let scope = ClientScope(id: Identifiers.uuid(), realm: realm, name: spec.name, description: spec.description, attributes: spec.attributes)
            try await scopes.insert(scope)
            for mapper in spec.mappers {
                try await ProtocolMapperStore(sql).insert(
                    ProtocolMapper(id: Identifiers.uuid(), name: mapper.name, type: mapper.type.rawValue, config: mapper.config), owner: .scope(scope.id))
            }
            try await scopes.setRealmScope(realm: realm, scopeId: scope.id, kind: spec.kind)
        }
    }

    /// NexusOne's roles, with `nx1_admin` holding `realm-management`'s `realm-admin`: the realm administrator of the
    /// NexusOne docs administers everything, through the same rights a delegated administrator holds some of.
    public static func ensureNexusOneRoles(realm: String, on sql: any SQLDatabase) async throws {
        for name in NexusOneRoles.all {
            _ = try await ensureRole(realm: realm, client: nil, name: name, description: "NexusOne role \(name)", on: sql)
        }
        try await makeAdminCompositeOfRealmAdmin(realm: realm, on: sql)
    }

    /// `nx1_admin` ⊃ `realm-admin`, when both exist (a realm without NexusOne's roles has nothing to do).
    public static func makeAdminCompositeOfRealmAdmin(realm: String, on sql: any SQLDatabase) async throws {
        let roles = RoleStore(sql)
        guard let admin = try await roles.find(realm: realm, name: NexusOneRoles.admin),
            let management = try await ClientStore(sql).find(realm: realm, clientId: KeycloakRealmLayout.realmManagement),
            let realmAdmin = try await roles.find(realm: realm, clientId: management.client.id, name: AdminRight.realmAdmin.rawValue)
        else { return }
        try await roles.addComposite(parent: admin.id, child: realmAdmin.id)
    }

    private static func ensureClient(_ spec: KeycloakRealmLayout.BuiltInClient, realm: String, now: Int, on sql: any SQLDatabase) async throws -> Client {
        let store = ClientStore(sql)
        if let existing = try await store.find(realm: realm, clientId: spec.clientId) { return existing.client }
        let client = Client(
            id: Identifiers.uuid(), realm: realm, clientId: spec.clientId, name: spec.displayName, isPublic: spec.isPublic,
            standardFlowEnabled: spec.standardFlowEnabled, directAccessGrantsEnabled: spec.directAccessGrantsEnabled,
            redirectURIs: spec.redirectPath.map { [$0.replacingOccurrences(of: "{realm}", with: realm)] } ?? [], createdAt: now)
        try await store.insert(client, sealedSecret: nil)
        return client
    }

    private static func ensureRole(realm: String, client: String?, name: String, description: String? = nil, on sql: any SQLDatabase) async throws -> Role {
        let store = RoleStore(sql)
        if let existing = try await store.find(realm: realm, clientId: client, name: name) { return existing }
        let role = Role(id: Identifiers.uuid(), realm: realm, clientId: client, name: name, description: description ?? "${role_\(name)}")
        try await store.insert(role)
        return role
    }
}
