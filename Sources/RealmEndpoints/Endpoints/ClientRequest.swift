import Domain
import HTTPKit
import Hummingbird
import Identity

/// A form request from an authenticated client: what introspection, revocation and logout all start with.
struct ClientRequest: Sendable {
    let realm: RealmDirectory.Entry
    let form: FormBody
    let client: Client

    static func read(_ request: Request, context: AppRequestContext, services: RealmServices) async throws -> ClientRequest {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm"))
        let form = try await FormBody.read(request)
        let client = try await services.clientAuthenticator.authenticate(
            request, form: form, realm: realm.realm.name, remoteAddress: context.remoteAddress)
        return ClientRequest(realm: realm, form: form, client: client)
    }
}
