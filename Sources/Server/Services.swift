import API
import Authentication
import Domain
import Keys
import Logging
import Realm
import Storage
import Warehouse

/// Every long-lived dependency, built once from the configuration (the composition root's inventory).
public struct Services: Sendable {
    public let configuration: Configuration
    public let database: any Database
    public let clock: EpochClock
    public let secrets: SecretBox
    public let passwords: PasswordHasher
    public let realms: RealmDirectory
    public let revocations: RevocationList
    public let changes: ChangeNotifier
    public let telemetry: Telemetry
    public let pskVerifier: PSKVerifier
    public let keys: KeyService
    public let realm: RealmServices
    public let warehouse: any Warehouse
    public let catalog: DomainCatalog
    public let queries: QueryService
    public let products: DataProductService
    public let productDirectory: ProductDirectory

    /// `warehouse` defaults to the one the configuration names (the demo SQLite file unless `--warehouse-url`).
    public init(
        configuration: Configuration, database: any Database, warehouse: (any Warehouse)? = nil, clock: EpochClock = .system, passwordCost: UInt8 = 10
    ) throws {
        self.configuration = configuration
        self.database = database
        self.clock = clock
        secrets = try Self.loadSecrets(configuration)
        passwords = PasswordHasher(cost: passwordCost)
        realms = RealmDirectory(database: database, secrets: secrets, clock: clock)
        revocations = RevocationList()
        changes = ChangeNotifier()
        telemetry = Telemetry()
        pskVerifier = PSKVerifier(database: database, clock: clock, telemetry: telemetry)
        keys = KeyService(database: database, clock: clock, verifier: pskVerifier)
        realm = RealmServices(
            database: database, realms: realms, revocations: revocations, issuers: IssuerURLs(baseURL: configuration.resolvedPublicURL),
            secrets: secrets, passwords: passwords, clock: clock,
            throttle: FailureThrottle(limit: configuration.authFailureLimit, clock: clock), changes: changes, telemetry: telemetry)
        let warehouse = try warehouse ?? WarehouseFactory.make(url: configuration.resolvedWarehouseURL, logger: Logger(label: "nexusone.warehouse"))
        self.warehouse = warehouse
        catalog = DomainCatalog(database: database, warehouse: warehouse, clock: clock, offersDemoDomains: !configuration.noDemo)
        queries = QueryService(
            database: database, warehouse: warehouse, catalog: catalog, secrets: secrets, clock: clock, publicURL: configuration.resolvedPublicURL)
        products = DataProductService(database: database, warehouse: warehouse, catalog: catalog, clock: clock, changes: changes)
        productDirectory = ProductDirectory(database: database, warehouse: warehouse, clock: clock)
        let (realms, pskVerifier, tokenVerifier, productDirectory) = (realms, pskVerifier, realm.verifier, productDirectory)
        changes.register {
            realms.invalidateAll()
            pskVerifier.invalidate()
            tokenVerifier.forgetVerified()
            productDirectory.invalidate()
        }
    }

    public var provisioner: RealmProvisioner { RealmProvisioner(secrets: secrets, clock: clock) }

    public var deployment: Deployment { Deployment(provisioner: provisioner, passwords: passwords, clock: clock) }

    /// The at-rest key: configured, or a 0600 file in the data directory (created on first use).
    public static func loadSecrets(_ configuration: Configuration) throws -> SecretBox {
        try DataDirectory.ensure(configuration.dataDirectory)
        return try SecretBox.load(base64: configuration.encryptionKey, file: configuration.encryptionKeyFile)
    }
}
