import Domain
import HTTPKit
import Identity
import UseCases

/// `grant_type=password` (direct access grant): the identity capability checks the password (`PasswordSignIn`), then a
/// session opens (`OpenSession`).
struct PasswordGrant: Sendable {
    let signIn: PasswordSignIn
    let openSession: OpenSession
    let roles: EffectiveRoles
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard client.directAccessGrantsEnabled else { throw OAuthError.unauthorizedClient("Client not allowed for direct access grants") }
        let scope = try GrantedScope(requested: form["scope"])
        let user = try await OAuthError.grant {
            try await signIn(realm: realm.realm.name, username: form["username"], password: form["password"], address: remoteAddress).user
        }
        guard !user.mustChangePassword else { throw OAuthError.invalidGrant("Account is not fully set up") }
        let roles = try await roles(userId: user.id)
        guard scope.isAllowed(realmRoles: roles.realm) else { throw OAuthError.offlineNotAllowed }
        let session = try await openSession(
            user: user, clientId: client.clientId, scope: scope.stored, realm: realm.realm, address: remoteAddress, offline: scope.offline)
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: session.id, refreshId: session.refreshId, nonce: nil, offline: session.offline), remoteAddress: remoteAddress)
        return try await issuer.issue(subject, realm: realm)
    }
}
