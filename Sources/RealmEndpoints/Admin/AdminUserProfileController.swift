import Domain
import Foundation
import HTTPKit
import Hummingbird
import NIOFoundationCompat
import UseCases

/// `/admin/realms/{realm}/users/profile`: Keycloak's user-profile configuration, kept and returned as given
/// (`UserProfileConfig` says what is checked and that users are not validated against it).
struct AdminUserProfileController: Sendable {
    let documents: RealmDocuments

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("profile", use: show)
        group.put("profile", use: replace)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        Self.json(try await documents.userProfile(context.principal, realm: try context.parameters.require("realm")))
    }

    /// Answers the profile as stored, as Keycloak does.
    @Sendable func replace(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let buffer = try await KeycloakRequestDecoder.collect(request, context: context)
        try await documents.setUserProfile(context.principal, realm: realm, try UserProfileConfig(json: Data(buffer: buffer)))
        return Self.json(try await documents.userProfile(context.principal, realm: realm))
    }

    private static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
