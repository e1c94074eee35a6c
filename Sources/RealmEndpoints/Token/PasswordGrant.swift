import Domain
import HTTPKit
import Identity
import UseCases

/// `grant_type=password` (direct access grant): the identity capability checks the password (`PasswordSignIn`) and,
/// for a user with an authenticator, the code in `totp` (as Keycloak's direct grant takes it), then a session opens
/// (`OpenSession`). A user who must still set up an authenticator or choose a password has to use the login page.
struct PasswordGrant: Sendable {
    let signIn: PasswordSignIn
    let secondFactor: SecondFactorCheck
    let openSession: OpenSession
    let roles: EffectiveRoles
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard client.directAccessGrantsEnabled else { throw OAuthError.unauthorizedClient("Client not allowed for direct access grants") }
        let scope = try GrantedScope(requested: form["scope"], plan: try await issuer.plans.plan(of: client))
        let proof = try await OAuthError.grant {
            try await signIn(realm: realm.realm.name, username: form["username"], password: form["password"], address: remoteAddress)
        }
        let user = proof.user
        switch try await secondFactor.requirement(for: user) {
        case .none: break
        case .code: try await OAuthError.grant { try await secondFactor.verify(user, code: form["totp"], address: remoteAddress) }
        case .enrol: throw OAuthError.invalidGrant("Account is not fully set up")
        }
        guard !user.mustChangePassword else { throw OAuthError.invalidGrant("Account is not fully set up") }
        let roles = try await roles(userId: user.id)
        guard scope.isAllowed(realmRoles: roles.realm) else { throw OAuthError.offlineNotAllowed }
        let session = try await OAuthError.grant {
            try await openSession(
                user: user, clientId: client.clientId, scope: scope.stored, realm: realm.realm, address: remoteAddress, offline: scope.offline,
                provenWith: proof.passwordDigest ?? "")
        }
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: session.id, refreshId: session.refreshId, nonce: nil, offline: session.offline), remoteAddress: remoteAddress)
        return try await issuer.issue(subject, realm: realm)
    }
}
