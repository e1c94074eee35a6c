import Domain
import Secrets
import Storage

/// Reading a realm's clients, for those who may view them (`view-clients`). A secret is unsealed only for `secret(…)`,
/// as Keycloak shows it, and only to those who may manage clients.
public struct Clients: Sendable {
    let database: any Database
    let secrets: SecretBox

    public init(database: any Database, secrets: SecretBox) {
        self.database = database
        self.secrets = secrets
    }

    public func all(_ actor: Principal, realm: String) async throws -> [Client] {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await database.read { sql in try await ClientStore(sql).all(realm: realm) }
    }

    public func find(_ actor: Principal, realm: String, id: String) async throws -> Client {
        try await record(actor, realm: realm, id: id, .viewClients).client
    }

    /// The secret, for those who manage clients and hold every right the client's service account holds: the secret
    /// signs in as that account.
    public func secret(_ actor: Principal, realm: String, id: String) async throws -> String {
        let record = try await record(actor, realm: realm, id: id, .manageClients)
        try await database.read { sql in try await PrivilegeGuard.requireOutranksServiceAccount(actor, of: record.client, on: sql) }
        guard let sealed = record.sealedSecret else { throw AdministrationError.refused("Client has no secret") }
        return try secrets.open(sealed)
    }

    public func serviceAccount(_ actor: Principal, realm: String, id: String) async throws -> User {
        let client = try await find(actor, realm: realm, id: id)
        guard let user = try await database.read({ sql in try await UserStore(sql).serviceAccount(clientInternalId: client.id) }) else {
            throw AdministrationError.refused("Service account not enabled for the client '\(client.clientId)'")
        }
        return user
    }

    private func record(_ actor: Principal, realm: String, id: String, _ right: AdminRight) async throws -> ClientStore.Record {
        try Administration.authorize(actor, realm: realm, right)
        guard let record = try await database.read({ sql in try await ClientStore(sql).find(realm: realm, id: id) }) else {
            throw AdministrationError.notFound(.client)
        }
        return record
    }
}
