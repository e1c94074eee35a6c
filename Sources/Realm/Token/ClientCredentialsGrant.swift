import Authentication
import Domain
import Storage

/// `grant_type=client_credentials`: a token for the client's service account. Reads, never writes.
struct ClientCredentialsGrant: Sendable {
    let services: RealmServices

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard !client.isPublic else { throw OAuthError.publicClientServiceAccount }
        guard client.serviceAccountsEnabled else { throw OAuthError.serviceAccountsDisabled }
        let scope = try GrantedScope(requested: form["scope"])
        let (user, roles) = try await services.database.read { sql in
            guard let user = try await UserStore(sql).serviceAccount(clientInternalId: client.id) else { throw OAuthError.serviceAccountsDisabled }
            return (user, try await SubjectLoader.roles(of: user.id, on: sql))
        }
        guard user.enabled else { throw OAuthError.invalidGrant("Account disabled") }
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope, session: nil, remoteAddress: remoteAddress)
        return try await services.issuer.issue(subject, realm: realm)
    }
}
