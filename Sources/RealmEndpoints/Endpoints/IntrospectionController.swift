import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Tokens
import UseCases

/// `POST /token/introspect` (RFC 7662), for confidential clients: an active token's claims, else `{"active":false}`.
struct IntrospectionController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("protocol/openid-connect/token/introspect", use: introspect)
    }

    @Sendable func introspect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try await ClientRequest.read(request, context: context, services: services)
        guard !call.client.isPublic else { throw OAuthError(status: .forbidden, error: "invalid_request", description: "Client not allowed.") }
        guard let token = call.form["token"] else { return inactive }
        let realm = call.realm.realm.name
        if let claims = try? await services.verifier.verify(token), claims.iss == services.issuers.issuer(realm: realm) {
            if let sid = claims.sid, try await services.sessions.live.session(id: sid) == nil {
                return inactive
            }
            var body = try Self.dictionary(claims)
            body["active"] = true
            body["client_id"] = claims.azp
            body["username"] = claims.preferredUsername
            body["token_type"] = "Bearer"
            return Self.json(body)
        }
        if let claims = try? await services.refreshTokenCheck.verify(token, client: call.client, realm: call.realm),
            let session = try await services.sessions.live.session(id: claims.sid),
            session.refreshId == claims.jti
        {
            var body = try Self.dictionary(claims)
            body["active"] = true
            body["client_id"] = claims.azp
            body["token_type"] = "Refresh"
            return Self.json(body)
        }
        return inactive
    }

    private var inactive: Response { JSONBody.response(headers: OAuthError.noStore, ["active": false]) }

    private static func dictionary(_ claims: some Encodable) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: JSONEncoder().encode(claims)) as? [String: Any]) ?? [:]
    }

    private static func json(_ body: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headers = OAuthError.noStore
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
