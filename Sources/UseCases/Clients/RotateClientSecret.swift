import Domain
import Secrets
import Storage

/// A new secret for a confidential client (admin REST `POST …/client-secret`, the portal's "Regenerate"): returned once,
/// stored sealed; the old one stops working at once on every node.
public struct RotateClientSecret: Sendable {
    let changes: ChangeLog
    let secrets: SecretBox

    public init(changes: ChangeLog, secrets: SecretBox) {
        self.changes = changes
        self.secrets = secrets
    }

    public func callAsFunction(_ actor: Principal, realm: String, clientInternalId: String) async throws -> (client: Client, secret: String) {
        try Administration.authorize(actor, realm: realm, .manageClients)
        let secret = ClientSecret.generated().value
        let sealed = try secrets.seal(secret)
        let client = try await changes.commit { sql in
            guard let client = try await ClientStore(sql).find(realm: realm, id: clientInternalId)?.client else {
                throw AdministrationError.notFound(.client)
            }
            guard !client.isPublic else { throw AdministrationError.refused("Public clients have no secret") }
            try await PrivilegeGuard.requireOutranksServiceAccount(actor, of: client, on: sql)
            try await ClientStore(sql).setSecret(id: client.id, sealedSecret: sealed)
            return client
        }
        return (client, secret)
    }
}
