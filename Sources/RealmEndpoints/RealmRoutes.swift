import Federation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// Registers the realm endpoints under `/realms/{realm}` and Keycloak's legacy `/auth/realms/{realm}`, each with the
/// parts it uses.
public struct RealmRoutes: Sendable {
    let services: RealmServices
    let pages: LoginPage

    public static func build(services: RealmServices) async throws -> RealmRoutes {
        RealmRoutes(services: services, pages: try await LoginPage.load())
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let services = self.services
        let token = TokenController(
            realms: services.lookup, clients: services.clientAuthenticator,
            clientCredentials: ClientCredentialsGrant(serviceAccounts: services.credentials.serviceAccounts, issuer: services.issuer),
            password: PasswordGrant(
                signIn: services.credentials.passwords, secondFactor: services.credentials.secondFactor, openSession: services.sessions.open, roles: services.credentials.roles, issuer: services.issuer),
            refreshToken: RefreshTokenGrant(
                check: services.refreshTokenCheck, refresh: services.sessions.refresh, live: services.sessions.live, roles: services.credentials.roles,
                issuer: services.issuer),
            authorizationCode: AuthorizationCodeGrant(redeem: services.sessions.redeemCode, roles: services.credentials.roles, issuer: services.issuer),
            umaTicket: UMATicketGrant(services: services), telemetry: services.telemetry, events: services.administration.loginEvents)
        for prefix in ["realms/:realm", "auth/realms/:realm"] {
            let group = router.group(RouterPath(prefix))
            if !services.verifier.external.isEmpty { group.add(middleware: FederatedRealmGate(external: services.verifier.external)) }
            DiscoveryController(services: services).addRoutes(to: group)
            token.addRoutes(to: group)
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
