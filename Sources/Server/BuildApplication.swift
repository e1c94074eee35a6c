import API
import Domain
import Federation
import HTTPKit
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Identity
import KeyRoutes
import Logging
import NIOSSL
import Portal
import RealmEndpoints
import Storage
import UseCases
import Warehouses

/// Builds the router with every face of the server: realm, admin, API and documentation.
public func buildRouter(_ services: Services, defaultRealm: String? = nil) async throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(proxies: services.trustedProxies))
    router.add(middleware: RequestLogMiddleware(telemetry: services.telemetry))
    router.add(middleware: SecurityHeadersMiddleware(usesTLS: services.configuration.usesTLS))
    let allowedMethods = AllowedMethods()
    router.add(middleware: ErrorMiddleware(allowedMethods: allowedMethods))

    try await RealmRoutes.build(services: services.realm).addRoutes(to: router)
    AdminRoutes(services: services.realm, version: NexusOneVersion.current).addRoutes(to: router)
    let database = services.database
    HealthController(
        databaseAnswers: { await database.isReachable(within: $0) }, version: NexusOneVersion.current, external: services.externalIssuers, serving: services.serving
    ).addRoutes(to: router)
    try OpenAPIController(publicURL: services.configuration.resolvedPublicURL).addRoutes(to: router)
    HomePage(defaultRealm: defaultRealm).addRoutes(to: router)
    // One budget for every page held for a slow client, whichever route sends it.
    let pages = PageBudget()
    try await PortalController.build(
        .init(
            realms: services.realms, secrets: services.secrets, clock: services.clock, catalog: services.catalog, queries: services.queries,
            createQuery: services.createQuery, products: services.products, createProduct: services.createProduct,
            deleteProduct: services.deleteProduct, keys: services.keyUseCases, administration: services.administration, sessions: services.sessions,
            browserSessions: BrowserSessions(database: services.database, endSession: services.sessions.end, clock: services.clock),
            ensurePortalClient: EnsurePortalClient(changes: services.changes, clock: services.clock), consumeOnce: ConsumeOnce(database: services.database),
            publicURL: services.configuration.resolvedPublicURL, usesTLS: services.configuration.usesTLS, verifier: services.realm.verifier,
            pageBudget: pages)
    ).addRoutes(to: router)
    MetricsController(telemetry: services.telemetry, database: services.database, token: services.configuration.metricsToken)
        .addRoutes(to: router)

    if let psk = services.configuration.benchmarkBaselinePSK {
        let (principal, _) = try await services.pskVerifier.verify(psk, address: "127.0.0.1")
        router.get("api/bench/me") { _, _ in UserController.me(principal) }
    }

    let keys = services.keyUseCases
    let bearer = BearerTokenAuthenticator(verifier: services.realm.verifier, telemetry: services.telemetry)
    let api = router.group("api")
        .add(middleware: CredentialAuthenticator(bearer: bearer, psk: PSKAuthenticator(verifier: services.pskVerifier)))
        .group(context: AuthenticatedContext.self)
    UserController().addRoutes(to: api)
    PersonalPSKController(keys: keys.keys, create: keys.createPersonal, regenerate: keys.regeneratePersonal, delete: keys.deletePersonal)
        .addRoutes(to: api)
    AdminKeysController(keys: keys.keys, revokeKey: keys.revoke).addRoutes(to: api)
    DataProductKeysController(keys: keys.keys, create: keys.createForProduct, extend: keys.extendForProduct, delete: keys.deleteForProduct)
        .addRoutes(to: api)
    MetastoreController(catalog: services.catalog).addRoutes(to: api)
    QueryController(queries: services.queries, create: services.createQuery, delete: DeleteQuery(queries: services.queries), pages: pages)
        .addRoutes(to: api)
    DataProductController(products: services.products, create: services.createProduct, delete: services.deleteProduct)
        .addRoutes(to: api)

    // The one route that data-product keys may use, also as `?psk=` (psk.md).
    let data = router.group("api")
        .add(middleware: CredentialAuthenticator(bearer: bearer, psk: PSKAuthenticator(verifier: services.pskVerifier, forDataRoute: true)))
        .group(context: AuthenticatedContext.self)
    DataController(products: services.productDirectory, catalog: services.catalog, pages: pages).addRoutes(to: data)
    allowedMethods.fill(from: router.routes)
    return router
}

/// The application: the router, the listening address (TLS when configured), and background maintenance.
public func buildApplication(_ services: Services, defaultRealm: String?, logger: Logger) async throws -> some ApplicationProtocol {
    let configuration = services.configuration
    let router = try await buildRouter(services, defaultRealm: defaultRealm)
    let limits = configuration.connections
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        server = try .tls(.http1(configuration: limits.http1), tlsConfiguration: tls)
    } else {
        server = .http1(configuration: limits.http1)
    }
    var app = Application(
        router: router, server: server,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "NexusOne",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.resolvedMaximumConnections, logger: logger)),
        logger: logger)
    app.addServices(
        MaintenanceService(services: services, logger: logger), ChangeListenerService(services: services),
        WarehouseService(warehouses: services.warehouses))
    if !services.externalIssuers.isEmpty { app.addServices(ExternalIssuerService(services: services)) }
    return app
}

/// The product version reported by `/api/health/ping` and `--version`.
public enum NexusOneVersion {
    public static let current = "0.1.0"
}
