import AsyncHTTPClient
import Domain
import Logging

/// The external issuers the server trusts, by realm and by issuer URL. Empty unless `--external-issuer` was given.
public struct ExternalIssuers: Sendable {
    private let byIssuer: [String: ExternalIssuerKeys]
    private let byRealm: [String: ExternalIssuerKeys]

    public init(_ issuers: [ExternalIssuer], client: HTTPClient = .shared, logger: Logger = Logger(label: "nexusone.federation")) {
        let keys = issuers.map { ExternalIssuerKeys(issuer: $0, client: client, logger: logger) }
        byIssuer = Dictionary(keys.map { ($0.issuer.url, $0) }, uniquingKeysWith: { first, _ in first })
        byRealm = Dictionary(keys.map { ($0.issuer.realm, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public static let none = ExternalIssuers([])

    public var isEmpty: Bool { byIssuer.isEmpty }
    public var all: [ExternalIssuerKeys] { byRealm.keys.sorted().compactMap { byRealm[$0] } }

    /// The issuer whose tokens `realm` accepts, if that realm is federated.
    public func issuer(forRealm realm: String) -> ExternalIssuerKeys? { byRealm[realm] }
    public func issuer(forURL url: String) -> ExternalIssuerKeys? { byIssuer[url] }
}
