import Domain
import Storage

/// Changes a client's settings or its `clientId` (admin REST `PUT …/clients/{id}`); turning service accounts on for a
/// confidential client creates its service-account user if it has none.
public struct UpdateClient: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, realm: String, id: String, clientId: Identifier?, settings: ClientSettings) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        let clock = self.clock
        do {
            try await changes.commit { sql in
                guard var client = try await ClientStore(sql).lock(realm: realm, id: id)?.client else { throw AdministrationError.notFound(.client) }
                settings.apply(to: &client)
                if let clientId, clientId.value != client.clientId {
                    // Rights and self-service are read by these names (`realm-management`, `account`): renaming one, or
                    // naming another client so, would hand them to whoever holds that client's roles.
                    guard !KeycloakRealmLayout.clientIds.contains(client.clientId), !KeycloakRealmLayout.clientIds.contains(clientId.value) else {
                        throw AdministrationError.refused("Keycloak's own clients keep their clientId, and no other client takes one")
                    }
                    client.clientId = clientId.value
                }
                try await ClientStore(sql).update(client)
                try await ClientSettings.applyAuthorization(of: client, by: actor, on: sql)
                if client.serviceAccountsEnabled, !client.isPublic, try await UserStore(sql).serviceAccount(clientInternalId: client.id) == nil {
                    try await UserProvisioner(clock: clock).createServiceAccount(for: client, roles: [NexusOneRoles.defaultComposite(realm: realm)], on: sql)
                }
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.client, name: clientId?.value ?? id)
        }
    }
}

/// Deletes a client with its service account and roles (storage cascades).
public struct DeleteClient: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String, id: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        try await changes.commit { sql in
            guard let client = try await ClientStore(sql).find(realm: realm, id: id)?.client else { throw AdministrationError.notFound(.client) }
            guard !KeycloakRealmLayout.clientIds.contains(client.clientId) else { throw AdministrationError.refused("Keycloak's own clients cannot be deleted") }
            try await PrivilegeGuard.requireOutranksServiceAccount(actor, of: client, on: sql)
            try await ClientStore(sql).delete(id: client.id)
            // Its sessions and offline tokens go with it: a new client given the same clientId must not inherit them.
            try await SessionStore(sql).endAll(realm: realm, clientId: client.clientId)
        }
    }
}
