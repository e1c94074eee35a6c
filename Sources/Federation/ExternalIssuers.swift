import AsyncHTTPClient
import Domain
import Logging

/// The external issuers the server trusts, by realm and by issuer URL. Empty unless `--external-issuer` was given.
public struct ExternalIssuers: Sendable {
    private let byIssuer: [String: ExternalIssuerKeys]
    private let byRealm: [String: ExternalIssuerKeys]

    /// One issuer per realm and one realm per issuer: anything else is a configuration error.
    public init(_ issuers: [ExternalIssuer], client: HTTPClient = .shared, logger: Logger = Logger(label: "nexusone.federation")) throws(ExternalIssuerError) {
        let keys = issuers.map { ExternalIssuerKeys(issuer: $0, client: client, logger: logger) }
        var byIssuer: [String: ExternalIssuerKeys] = [:]
        var byRealm: [String: ExternalIssuerKeys] = [:]
        for key in keys {
            guard byIssuer[key.issuer.url] == nil, byRealm[key.issuer.realm] == nil else {
                throw ExternalIssuerError("\(key.issuer): each realm takes one issuer, and each issuer one realm")
            }
            byIssuer[key.issuer.url] = key
            byRealm[key.issuer.realm] = key
        }
        self.byIssuer = byIssuer
        self.byRealm = byRealm
    }

    private init() {
        byIssuer = [:]
        byRealm = [:]
    }

    public static let none = ExternalIssuers()

    public var isEmpty: Bool { byIssuer.isEmpty }
    public var all: [ExternalIssuerKeys] { byRealm.keys.sorted().compactMap { byRealm[$0] } }

    /// The issuer whose tokens `realm` accepts, if that realm is federated.
    public func issuer(forRealm realm: String) -> ExternalIssuerKeys? { byRealm[realm] }
    public func issuer(forURL url: String) -> ExternalIssuerKeys? { byIssuer[url] }
}
