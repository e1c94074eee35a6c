import Domain
import HTTPKit
import Identity
import Storage
import UseCases

/// `grant_type=client_credentials`: a token for the client's service account. Reads, never writes; the account and its
/// roles are cached between requests (any change empties the cache on every node).
struct ClientCredentialsGrant: Sendable {
    let database: any Database
    let serviceAccounts: ExpiringCache<ServiceAccountSubject>
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard !client.isPublic else { throw OAuthError.publicClientServiceAccount }
        guard client.serviceAccountsEnabled else { throw OAuthError.serviceAccountsDisabled }
        let scope = try GrantedScope(requested: form["scope"])
        let account = try await serviceAccounts.value(client.id) {
            try await database.read { sql -> ServiceAccountSubject? in
                guard let user = try await UserStore(sql).serviceAccount(clientInternalId: client.id) else { return nil }
                let roles = try await EffectiveRoles.read(userId: user.id, on: sql)
                return ServiceAccountSubject(user: user, realmRoles: roles.realm, clientRoles: roles.clients)
            }
        }
        guard let account else { throw OAuthError.serviceAccountsDisabled }
        guard account.user.enabled else { throw OAuthError.invalidGrant("Account disabled") }
        let subject = TokenSubject(
            user: account.user, client: client, realmRoles: account.realmRoles, clientRoles: account.clientRoles, scope: scope, session: nil,
            remoteAddress: remoteAddress)
        return try await issuer.issue(subject, realm: realm)
    }
}

/// What a service account's tokens say about it, cached between token requests.
struct ServiceAccountSubject: Sendable {
    var user: User
    var realmRoles: [String]
    var clientRoles: [String: [String]]
}
