import Domain
import Secrets
import Storage

/// Creates a client of a realm (admin REST `POST …/clients`); a confidential client with service accounts gets its
/// service-account user with the realm's default roles, in the same transaction.
public struct CreateClient: Sendable {
    let changes: ChangeLog
    let secrets: SecretBox
    let clock: EpochClock

    public init(changes: ChangeLog, secrets: SecretBox, clock: EpochClock) {
        self.changes = changes
        self.secrets = secrets
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, realm: String, clientId: Identifier, settings: ClientSettings, secret: ClientSecret?) async throws
        -> Client
    {
        try Administration.authorize(actor, realm: realm, .createClient)
        // Every realm has Keycloak's own clients; their names are theirs.
        if KeycloakRealmLayout.clientIds.contains(clientId.value) { throw AdministrationError.exists(.client, name: clientId.value) }
        var client = Client(id: Identifiers.uuid(), realm: realm, clientId: clientId.value, createdAt: clock.now)
        settings.apply(to: &client)
        let sealed = client.isPublic ? nil : try secrets.seal((secret ?? .generated()).value)
        let (newClient, clock) = (client, clock)
        do {
            try await changes.commit { sql in
                try await ClientStore(sql).insert(newClient, sealedSecret: sealed)
                try await ClientSettings.applyAuthorization(of: newClient, by: actor, on: sql)
                if newClient.serviceAccountsEnabled && !newClient.isPublic {
                    try await UserProvisioner(clock: clock).createServiceAccount(for: newClient, roles: [NexusOneRoles.defaultComposite(realm: realm)], on: sql)
                }
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.client, name: clientId.value)
        }
        return newClient
    }
}
