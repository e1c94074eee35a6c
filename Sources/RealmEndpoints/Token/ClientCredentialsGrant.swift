import Domain
import Identity
import UseCases

/// `grant_type=client_credentials`: a token for the client's service account. Reads, never writes; the account and its
/// roles come cached from the identity capability (`ServiceAccounts`).
struct ClientCredentialsGrant: Sendable {
    let serviceAccounts: ServiceAccounts
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard !client.isPublic else { throw OAuthError.publicClientServiceAccount }
        guard client.serviceAccountsEnabled else { throw OAuthError.serviceAccountsDisabled }
        let scope = try GrantedScope(requested: form["scope"], plan: try await issuer.plans.plan(of: client))
        guard let account = try await serviceAccounts.account(of: client) else { throw OAuthError.serviceAccountsDisabled }
        guard account.user.enabled else { throw OAuthError.invalidGrant("Account disabled") }
        let subject = TokenSubject(
            user: account.user, client: client, realmRoles: account.roles.realm, clientRoles: account.roles.clients, scope: scope, session: nil,
            remoteAddress: remoteAddress)
        return try await issuer.issue(subject, realm: realm)
    }
}
