import Crypto
import Domain
import Foundation
import HTTPKit
import Identity
import Tokens

/// What a grant hands to the issuer: who, for which client, with which roles and scope.
struct TokenSubject: Sendable {
    var user: User
    var client: Client
    var realmRoles: [String]
    /// Client roles by the owning client's `clientId`.
    var clientRoles: [String: [String]]
    var scope: GrantedScope
    var session: Session?
    var remoteAddress: String
    /// The access token's `jti`, when it must be known before signing (a redeemed code records it); else a new one.
    var accessTokenId: String? = nil
    /// Claims beyond what the mappers make (an RPT's `authorization`).
    var extraClaims: [String: ClaimValue] = [:]
    /// The session an access token without a refresh token belongs to (an RPT: that of the token it was asked with),
    /// so it ends with that session like every other token of it.
    var boundSessionId: String? = nil

    struct Session: Sendable {
        var id: String
        var refreshId: String
        var nonce: String?
        /// An offline session: its refresh token is Keycloak's `Offline` type and lives 30 days from each use.
        var offline = false
    }
}

/// The JSON a successful token request answers with, in Keycloak's member order.
struct TokenResponse: Sendable {
    var accessToken: String
    var expiresIn: Int
    var refreshExpiresIn: Int
    var refreshToken: String?
    var tokenType = "Bearer"
    var idToken: String?
    var notBeforePolicy: Int
    var sessionState: String?
    var scope: String
    /// Whose and for which client, for the login event (not part of the answer).
    var userId: String?
    var clientId: String?

    var json: OrderedJSON {
        var json = OrderedJSON()
        json.append("access_token", .string(accessToken))
        json.append("expires_in", .int(expiresIn))
        json.append("refresh_expires_in", .int(refreshExpiresIn))
        json.append("refresh_token", refreshToken.map { .string($0) })
        json.append("token_type", .string(tokenType))
        json.append("id_token", idToken.map { .string($0) })
        json.append("not-before-policy", .int(notBeforePolicy))
        json.append("session_state", sessionState.map { .string($0) })
        json.append("scope", .string(scope))
        return json
    }
}

/// Builds and signs access, ID and refresh tokens with the claims the client's protocol mappers make (`ClaimPlan`).
/// Writes nothing; reads only a user's groups, and only for a client with a group-membership mapper.
struct TokenIssuer: Sendable {
    let issuers: IssuerURLs
    let clock: EpochClock
    /// Each client's plan, which the grants also read the requested scope against.
    let plans: ClientClaimPlans

    func issue(_ subject: TokenSubject, realm: RealmDirectory.Entry) async throws -> TokenResponse {
        let now = clock.now
        let issuer = issuers.issuer(realm: realm.realm.name)
        let isServiceAccount = subject.user.serviceAccountClientId != nil
        let plan = subject.scope.plan
        let source = ClaimSource(
            user: subject.user, clientId: subject.client.clientId, realmRoles: subject.realmRoles, clientRoles: subject.clientRoles,
            groupPaths: plan.needsGroups ? try await plans.groupPaths(userId: subject.user.id) : [])
        var access = plan.claims(source, optional: subject.scope.optional, for: .access)
        for (name, value) in subject.extraClaims { access.other[name] = value }
        let stamp = TokenStamp(
            exp: now.addingSaturated(realm.realm.accessTokenLifespan), iat: now, jti: subject.accessTokenId ?? Identifiers.uuid(), iss: issuer,
            sub: subject.user.id, azp: subject.client.clientId)
        let accessClaims = AccessTokenClaims(
            stamp, sessionId: subject.session?.id ?? subject.boundSessionId, claims: access, scope: subject.scope.description,
            serviceAccountAddress: isServiceAccount ? subject.remoteAddress : nil)
        let accessToken = try realm.keys.sign(accessClaims)
        guard accessToken.utf8.count <= AccessTokenClaims.maximumBytes else { throw OAuthError.tokenTooLarge }
        var response = TokenResponse(
            accessToken: accessToken, expiresIn: realm.realm.accessTokenLifespan, refreshExpiresIn: 0, notBeforePolicy: realm.realm.notBefore,
            scope: subject.scope.description, userId: subject.user.id, clientId: subject.client.clientId)
        if subject.scope.requestedOpenID {
            response.idToken = try realm.keys.sign(
                idToken(
                    subject, claims: plan.claims(source, optional: subject.scope.optional, for: .id), accessToken: accessToken, issuer: issuer, now: now,
                    realm: realm.realm))
        }
        if let session = subject.session {
            let lifespan = realm.realm.sessionLifespan(offline: session.offline)
            var refresh = RefreshTokenClaims(
                TokenStamp(
                    exp: now.addingSaturated(lifespan), iat: now, jti: session.refreshId, iss: issuer, sub: subject.user.id, azp: subject.client.clientId),
                sessionId: session.id, scope: subject.scope.stored)
            if session.offline { refresh.typ = RefreshTokenCheck.offlineType }
            response.refreshToken = try await realm.keys.signRefresh(refresh)
            response.refreshExpiresIn = lifespan
            response.sessionState = session.id
        }
        return response
    }

    private func idToken(_ subject: TokenSubject, claims: ClaimSet, accessToken: String, issuer: String, now: Int, realm: Realm) -> IDTokenClaims {
        IDTokenClaims(
            TokenStamp(
                exp: now.addingSaturated(realm.accessTokenLifespan), iat: now, jti: Identifiers.uuid(), iss: issuer, sub: subject.user.id,
                azp: subject.client.clientId),
            nonce: subject.session?.nonce, sessionId: subject.session?.id, atHash: Self.atHash(accessToken), claims: claims)
    }

    /// OpenID Connect Core §3.1.3.6: base64url of the left half of SHA-256 of the access token.
    static func atHash(_ accessToken: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Array(accessToken.utf8))).prefix(16))
    }
}
