import Foundation
import Domain

/// An OpenID provider whose access tokens a local realm accepts instead of its own (`serve --external-issuer`).
/// `https://kc.example.com/realms/companyA` maps to the local realm `companyA`; `NAME=URL` names the realm for
/// providers whose issuer URL does not end in `/realms/NAME`.
public struct ExternalIssuer: Sendable, Hashable, CustomStringConvertible {
    public let realm: String
    /// Exactly as it must appear in `iss` (no trailing slash).
    public let url: String

    public init(realm: String, url: String) {
        self.realm = realm
        self.url = url
    }

    public init(parsing text: String) throws(ExternalIssuerError) {
        let trimmed = text.trimmingWhitespace
        var realm: String?
        var url = trimmed
        if let equals = trimmed.firstIndex(of: "="), !trimmed[..<equals].contains("/") {
            realm = String(trimmed[..<equals])
            url = String(trimmed[trimmed.index(after: equals)...])
        }
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count <= 2_048, !url.contains(where: \.isWhitespace) else {
            throw ExternalIssuerError("\(text): an issuer is an http(s) URL")
        }
        if realm == nil, let marker = url.range(of: "/realms/", options: .backwards) {
            realm = String(url[marker.upperBound...])
        }
        guard let realm, Names.isValidRealm(realm) else {
            throw ExternalIssuerError("\(text): give the local realm as NAME=URL, or an issuer ending in /realms/NAME")
        }
        // The master realm is this server's administration; another provider's tokens must never speak for it.
        guard realm != Realm.master else { throw ExternalIssuerError("\(text): the master realm cannot take an external issuer") }
        self.init(realm: realm, url: url)
    }

    /// `NEXUSONE_EXTERNAL_ISSUERS`: comma-separated.
    public static func list(_ text: String) throws(ExternalIssuerError) -> [ExternalIssuer] {
        var issuers: [ExternalIssuer] = []
        for part in text.split(separator: ",") where !part.trimmingWhitespace.isEmpty {
            issuers.append(try ExternalIssuer(parsing: String(part)))
        }
        return issuers
    }

    public var description: String { "\(realm)=\(url)" }
}

public struct ExternalIssuerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
