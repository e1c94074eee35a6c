import Domain
import HTTPKit
import Hummingbird
import Identity
import Tokens
import UseCases

/// `grant_type=urn:ietf:params:oauth:grant-type:uma-ticket` (Keycloak's authorization services): the bearer token's
/// user asks what they may do on `audience`'s resources (default: the token's own client). `permission` names what is
/// asked (`resource#scope1,scope2`, repeatable; none: everything). `response_mode=decision` answers
/// `{"result":true}`, `permissions` the granted list, and without one an RPT: an access token whose
/// `authorization.permissions` holds the grants. Nothing granted of what was asked is 403 `access_denied`. Permission
/// tickets (`ticket`) belong to Keycloak's protection API, which is not served.
struct UMATicketGrant: Sendable {
    let services: RealmServices

    static let grantType = "urn:ietf:params:oauth:grant-type:uma-ticket"
    static let invalidBearer = OAuthError(status: .unauthorized, error: "invalid_grant", description: "Invalid bearer token")
    static let notAuthorized = OAuthError(status: .forbidden, error: "access_denied", description: "not_authorized")

    func answer(_ request: Request, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> Response {
        let name = realm.realm.name
        guard let token = BearerTokenAuthenticator.bearerToken(request.headers[.authorization]) else { throw Self.invalidBearer }
        guard let claims = try? await services.verifier.verify(token), claims.iss == services.issuers.issuer(realm: name),
            let user = try await services.sessions.live.user(realm: name, id: claims.sub, sessionId: claims.sid)
        else { throw Self.invalidBearer }
        guard form["ticket"] == nil else { throw OAuthError.invalidGrant("Permission tickets are not supported") }
        let mode = form["response_mode"]
        guard mode == nil || mode == "decision" || mode == "permissions" else { throw OAuthError.invalidRequest("Invalid response_mode") }
        let asked = form.all("permission").map(Self.asked)
        // `#` (or `#,`) names neither a resource nor a scope: asking for nothing is not asking for everything.
        guard asked.allSatisfy({ $0.resource != nil || !$0.scopes.isEmpty }) else { throw OAuthError.invalidRequest("Invalid permission") }
        let decision: EvaluatePermissions.Decision
        do {
            decision = try await services.administration.evaluatePermissions(
                realm: name, audience: form["audience"] ?? claims.azp, userId: user.id, requester: claims.azp, asked: asked)
        } catch let failure as EvaluatePermissions.Failure {
            throw Self.error(failure)
        }
        guard decision.complete else { throw Self.notAuthorized }
        switch mode {
        case "decision": return JSONBody.response(headers: OAuthError.noStore, ["result": true])
        case "permissions": return JSONBody.response(headers: OAuthError.noStore, decision.granted.map(GrantedPermissionRepresentation.init))
        default: return try await rpt(for: user, claims: claims, granted: decision.granted, realm: realm, remoteAddress: remoteAddress)
        }
    }

    /// An access token for the same user and client, with the grants in `authorization.permissions`; no refresh token.
    private func rpt(for user: User, claims: AccessTokenClaims, granted: [GrantedPermission], realm: RealmDirectory.Entry, remoteAddress: String) async throws
        -> Response
    {
        let checks = services.credentials
        guard let client = try await checks.clients.named(realm: realm.realm.name, clientId: claims.azp, enabledOnly: true) else { throw Self.invalidBearer }
        let plan = try await services.issuer.plans.plan(of: client)
        let scope = try (try? GrantedScope(requested: claims.scope, plan: plan)) ?? GrantedScope(requested: nil, plan: plan)
        let roles = try await checks.roles(userId: user.id)
        var subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope, session: nil, remoteAddress: remoteAddress)
        subject.extraClaims["authorization"] = .object(["permissions": .array(granted.map(Self.claim))])
        subject.boundSessionId = claims.sid
        var json = try await services.issuer.issue(subject, realm: realm).json
        json.append("upgraded", .bool(false))
        var headers = OAuthError.noStore
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    /// `resource#scope1,scope2`, `#scope` or `resource`.
    static func asked(_ permission: String) -> EvaluatePermissions.Asked {
        guard let hash = permission.firstIndex(of: "#") else { return .init(resource: permission, scopes: []) }
        let resource = String(permission[..<hash])
        let scopes = permission[permission.index(after: hash)...].split(separator: ",").map(String.init).filter { !$0.isEmpty }
        return .init(resource: resource.isEmpty ? nil : resource, scopes: scopes)
    }

    static func claim(_ granted: GrantedPermission) -> ClaimValue {
        var object: [String: ClaimValue] = ["rsid": .string(granted.resource.id), "rsname": .string(granted.resource.name)]
        if !granted.scopes.isEmpty { object["scopes"] = .array(granted.scopes.map { .string($0.name) }) }
        return .object(object)
    }

    static func error(_ failure: EvaluatePermissions.Failure) -> OAuthError {
        switch failure {
        case .notAResourceServer: OAuthError.invalidRequest("Client does not support permissions")
        case .unknownResource(let name):
            OAuthError(status: .badRequest, error: "invalid_resource", description: "Resource with id [\(name.prefix(255))] does not exist.")
        case .unknownScope(let name): OAuthError(status: .badRequest, error: "invalid_scope", description: "Invalid scope [\(name.prefix(255))].")
        case .tooLarge: OAuthError.invalidRequest("Too much to evaluate at once: ask for fewer permissions")
        }
    }
}

/// One entry of the `permissions` answer: `{"rsid", "rsname", "scopes"}`, scopes only when the resource has some.
struct GrantedPermissionRepresentation: Encodable {
    var rsid: String
    var rsname: String
    var scopes: [String]?

    init(_ granted: GrantedPermission) {
        rsid = granted.resource.id
        rsname = granted.resource.name
        scopes = granted.scopes.isEmpty ? nil : granted.scopes.map(\.name)
    }
}
