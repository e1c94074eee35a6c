import API
import Domain
import Federation
import HTTPKit
import Identity
import Logging
import RealmEndpoints
import Secrets
import Storage
import UseCases
import Warehouses

/// Every long-lived dependency, built once from the configuration (the composition root's inventory). Use cases are
/// built from these where a front end is wired (`buildRouter`, the CLI), each with the few parts it uses.
public struct Services: Sendable {
    public let configuration: Configuration
    public let database: any Database
    public let clock: EpochClock
    public let secrets: SecretBox
    public let passwords: PasswordHasher
    public let realms: RealmDirectory
    public let revocations: RevocationList
    /// In-process fan-out of "something changed" to every cache; other nodes' announcements arrive here too.
    public let notifier: ChangeNotifier
    /// Where use cases commit and announce their changes.
    public let changes: ChangeLog
    public let telemetry: Telemetry
    /// The identity capability: every credential to its user or principal.
    public let credentials: CredentialChecks
    public let sessions: SessionUseCases
    public let administration: RealmAdministration
    public let keyUseCases: KeyUseCases
    public let realm: RealmServices
    /// The warehouse each realm reads: the server's, or a realm's own (`nexusone realm warehouse`).
    public let warehouses: RealmWarehouses
    public let catalog: DomainCatalog
    public let queries: Queries
    public let productDirectory: ProductDirectory
    /// The realms whose tokens come from an external OpenID provider, and that provider's keys.
    public let externalIssuers: ExternalIssuers
    /// The proxies whose `X-Forwarded-For` names the client.
    public let trustedProxies: TrustedProxies
    /// Whether the node is draining before shutdown (readiness answers 503 while it does).
    public let serving = ServingState()

    /// `warehouse` defaults to the one the configuration names (the demo SQLite file unless `--warehouse-url`);
    /// `systemDatabase` is what realms' own warehouses may not be.
    public init(
        configuration: Configuration, database: any Database, warehouse: (any Warehouse)? = nil, systemDatabase: WarehouseAdmission.SystemDatabase = .unknown,
        clock: EpochClock = .system, passwordCost: UInt8 = 10, hashing: HashingPool = .shared
    ) throws {
        self.configuration = configuration
        self.database = database
        self.clock = clock
        secrets = try Self.loadSecrets(configuration)
        passwords = PasswordHasher(cost: passwordCost, pool: hashing)
        realms = RealmDirectory(database: database, secrets: secrets, clock: clock)
        revocations = RevocationList()
        notifier = ChangeNotifier()
        changes = ChangeLog(database: database, notifier: notifier)
        telemetry = Telemetry()
        telemetry.recordBuild(version: NexusOneVersion.current, database: database.kind)
        do {
            trustedProxies = try TrustedProxies(parsing: configuration.trustedProxies)
        } catch {
            throw ConfigurationError("--trusted-proxy: \(error)")
        }
        do {
            externalIssuers = try ExternalIssuers(try configuration.externalIssuers.map { try ExternalIssuer(parsing: $0) })
        } catch {
            throw ConfigurationError("--external-issuer \(error)")
        }
        let recordUser = RecordFederatedUser(changes: changes, clock: clock)
        let federationLogger = Logger(label: "nexusone.federation")
        let federatedUsers = FederatedUserSync { user in
            do {
                return try await recordUser(user)
            } catch {
                federationLogger.warning(
                    "federated user not recorded", metadata: ["realm": "\(user.realm)", "user_id": "\(user.id)", "error": "\(String(reflecting: type(of: error)))"])
                throw error
            }
        }
        let issuers = IssuerURLs(baseURL: configuration.resolvedPublicURL)
        sessions = SessionUseCases(changes: changes, revocations: revocations, clock: clock)
        administration = RealmAdministration(changes: changes, secrets: secrets, passwords: passwords, clock: clock)
        keyUseCases = KeyUseCases(changes: changes, clock: clock)
        credentials = CredentialChecks(
            database: database, realms: realms, revocations: revocations, issuers: issuers, secrets: secrets, hasher: passwords,
            throttle: FailureThrottle(limit: configuration.authFailureLimit, clock: clock), clock: clock, notifier: notifier, telemetry: telemetry,
            external: externalIssuers, federatedUsers: federatedUsers)
        realm = RealmServices(
            realms: realms, issuers: issuers, secrets: secrets, clock: clock, telemetry: telemetry, credentials: credentials,
            sessions: sessions, administration: administration)
        let warehouseLogger = Logger(label: "nexusone.warehouse")
        warehouses = RealmWarehouses(
            shared: try warehouse ?? WarehouseFactory.make(url: configuration.resolvedWarehouseURL, logger: warehouseLogger), database: database,
            secrets: secrets,
            admission: WarehouseAdmission(system: systemDatabase, allowPrivileged: configuration.allowPrivilegedWarehouse, logger: warehouseLogger),
            logger: warehouseLogger)
        catalog = DomainCatalog(changes: changes, warehouses: warehouses, clock: clock, offersDemoDomains: !configuration.noDemo)
        queries = Queries(database: database, catalog: catalog, secrets: secrets, clock: clock, publicURL: configuration.resolvedPublicURL)
        productDirectory = ProductDirectory(products: DataProducts(database: database, catalog: catalog), catalog: catalog, clock: clock)
        let (realms, pskVerifier, tokenVerifier, productDirectory, revocations, catalog) = (
            realms, credentials.psks, credentials.accessTokens, productDirectory, revocations, catalog
        )
        notifier.register {
            federatedUsers.forget()
            realms.invalidateAll()
            pskVerifier.invalidate()
            tokenVerifier.forgetVerified()
            productDirectory.invalidate()
            catalog.invalidate()
            // A revocation made on any node holds here within a second, not only at the next periodic reload.
            Task { try? await revocations.reload(from: database, now: clock.now) }
        }
    }

    public var pskVerifier: PSKVerifier { credentials.psks }
    public var provisioner: RealmProvisioner { RealmProvisioner(secrets: secrets, clock: clock) }
    public var masterSetup: MasterSetup { MasterSetup(provisioner: provisioner, passwords: passwords, clock: clock) }
    public var deploy: Deploy { Deploy(changes: changes, provisioner: provisioner, passwords: passwords, clock: clock) }
    public var keys: Keys { keyUseCases.keys }
    /// The server's warehouse (what `--warehouse-url` names).
    public var warehouse: any Warehouse { warehouses.shared }
    public var products: DataProducts { DataProducts(database: database, catalog: catalog) }
    public var createQuery: CreateQuery { CreateQuery(database: database, catalog: catalog, clock: clock) }
    public var createProduct: CreateDataProduct { CreateDataProduct(changes: changes, catalog: catalog, clock: clock) }
    public var deleteProduct: DeleteDataProduct { DeleteDataProduct(changes: changes, clock: clock) }

    /// The at-rest key: configured, or a 0600 file in the data directory (created on first use).
    public static func loadSecrets(_ configuration: Configuration) throws -> SecretBox {
        try DataDirectory.ensure(configuration.dataDirectory)
        return try SecretBox.load(base64: configuration.encryptionKey, file: configuration.encryptionKeyFile)
    }
}

extension Services: CustomStringConvertible {
    /// Never a dump of the configuration and keys it holds (ServiceLifecycle logs services at debug level).
    public var description: String { "Services" }
}
