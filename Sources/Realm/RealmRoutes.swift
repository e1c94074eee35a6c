import Authentication
import Hummingbird

/// Registers the realm endpoints under `/realms/{realm}` and Keycloak's legacy `/auth/realms/{realm}`.
public struct RealmRoutes: Sendable {
    let services: RealmServices
    let pages: LoginPage

    public static func build(services: RealmServices) async throws -> RealmRoutes {
        RealmRoutes(services: services, pages: try await LoginPage.load())
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        for prefix in ["realms/:realm", "auth/realms/:realm"] {
            let group = router.group(RouterPath(prefix))
            DiscoveryController(services: services).addRoutes(to: group)
            TokenController(services: services).addRoutes(to: group)
            LoginController(services: services, pages: pages).addRoutes(to: group)
            UserInfoController(services: services).addRoutes(to: group)
            IntrospectionController(services: services).addRoutes(to: group)
            RevocationController(services: services).addRoutes(to: group)
            LogoutController(services: services).addRoutes(to: group)
        }
        let stylesheet = pages.stylesheet
        router.get("resources/login.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: stylesheet)))
        }
    }
}
