import Domain
import JWTKit

/// `aud` is a string when one audience applies and an array otherwise (RFC 7519 §4.1.3), as Keycloak writes it.
public enum Audience: Sendable, Codable, Equatable {
    case one(String)
    case many([String])

    public var values: [String] {
        switch self {
        case .one(let value): [value]
        case .many(let values): values
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) { self = .one(one) } else { self = .many(try container.decode([String].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let value): try container.encode(value)
        case .many(let values): try container.encode(values)
        }
    }
}

/// `{"roles":[…]}` inside `realm_access` and `resource_access`.
public struct RoleList: Sendable, Codable, Equatable {
    public var roles: [String]
    public init(roles: [String]) { self.roles = roles }
}

/// The claims of a Keycloak access token. Time, issuer and type checks happen in `AccessTokenVerifier`, with an
/// injected clock, so `verify(using:)` has nothing left to do.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var aud: Audience?
    public var sub: String
    public var typ: String
    public var azp: String
    public var sid: String?
    public var acr: String
    public var realmAccess: RoleList
    public var resourceAccess: [String: RoleList]?
    public var scope: String
    public var emailVerified: Bool
    public var preferredUsername: String
    public var clientId: String?
    public var clientHost: String?
    public var clientAddress: String?
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?

    public init(
        exp: Int,
        iat: Int,
        jti: String,
        iss: String,
        aud: Audience? = nil,
        sub: String,
        typ: String,
        azp: String,
        sid: String? = nil,
        acr: String,
        realmAccess: RoleList,
        resourceAccess: [String: RoleList]? = nil,
        scope: String,
        emailVerified: Bool,
        preferredUsername: String,
        clientId: String? = nil,
        clientHost: String? = nil,
        clientAddress: String? = nil,
        name: String? = nil,
        givenName: String? = nil,
        familyName: String? = nil,
        email: String? = nil
    ) {
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.typ = typ
        self.azp = azp
        self.sid = sid
        self.acr = acr
        self.realmAccess = realmAccess
        self.resourceAccess = resourceAccess
        self.scope = scope
        self.emailVerified = emailVerified
        self.preferredUsername = preferredUsername
        self.clientId = clientId
        self.clientHost = clientHost
        self.clientAddress = clientAddress
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
    }

    enum CodingKeys: String, CodingKey {
        case exp, iat, jti, iss, aud, sub, typ, azp, sid, acr, scope, name, email
        case realmAccess = "realm_access"
        case resourceAccess = "resource_access"
        case emailVerified = "email_verified"
        case preferredUsername = "preferred_username"
        case clientId = "client_id"
        case clientHost, clientAddress
        case givenName = "given_name"
        case familyName = "family_name"
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The claims of an OpenID Connect ID token (`typ:"ID"`, `aud` = the client).
public struct IDTokenClaims: JWTPayload, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var aud: String
    public var sub: String
    public var typ: String = "ID"
    public var azp: String
    public var nonce: String?
    public var sid: String?
    public var atHash: String?
    public var acr: String = "1"
    public var emailVerified: Bool
    public var preferredUsername: String
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?

    public init(
        exp: Int,
        iat: Int,
        jti: String,
        iss: String,
        aud: String,
        sub: String,
        typ: String = "ID",
        azp: String,
        nonce: String? = nil,
        sid: String? = nil,
        atHash: String? = nil,
        acr: String = "1",
        emailVerified: Bool,
        preferredUsername: String,
        name: String? = nil,
        givenName: String? = nil,
        familyName: String? = nil,
        email: String? = nil
    ) {
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.typ = typ
        self.azp = azp
        self.nonce = nonce
        self.sid = sid
        self.atHash = atHash
        self.acr = acr
        self.emailVerified = emailVerified
        self.preferredUsername = preferredUsername
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
    }

    enum CodingKeys: String, CodingKey {
        case exp, iat, jti, iss, aud, sub, typ, azp, nonce, sid, acr, name, email
        case atHash = "at_hash"
        case emailVerified = "email_verified"
        case preferredUsername = "preferred_username"
        case givenName = "given_name"
        case familyName = "family_name"
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A Keycloak refresh token: `typ:"Refresh"`, bound to its session, signed with the realm-internal HMAC key.
public struct RefreshTokenClaims: JWTPayload, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var aud: String
    public var sub: String
    public var typ: String = "Refresh"
    public var azp: String
    public var sid: String
    public var scope: String

    public init(
        exp: Int,
        iat: Int,
        jti: String,
        iss: String,
        aud: String,
        sub: String,
        typ: String = "Refresh",
        azp: String,
        sid: String,
        scope: String
    ) {
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.typ = typ
        self.azp = azp
        self.sid = sid
        self.scope = scope
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Claims the realm signs itself: written as JSON by `JSONObjectWriter`, in a fixed member order, members that are nil
/// left out. The `Codable` conformance stays for reading tokens back (a test checks both agree).
public protocol SignableClaims: JWTPayload {
    var json: [UInt8] { get }
}

extension JSONObjectWriter {
    /// The members every token of ours opens with: lifetime, id and issuer.
    fileprivate mutating func tokenHead(exp: Int, iat: Int, jti: String, iss: String) {
        int("exp", exp)
        int("iat", iat)
        string("jti", jti)
        string("iss", iss)
    }

    /// The profile members both access and ID tokens end with (nil ones left out).
    fileprivate mutating func profile(username: String, name: String?, givenName: String?, familyName: String?, email: String?) {
        string("preferred_username", username)
        string("name", name)
        string("given_name", givenName)
        string("family_name", familyName)
        string("email", email)
    }
}

extension AccessTokenClaims: SignableClaims {
    public var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.tokenHead(exp: exp, iat: iat, jti: jti, iss: iss)
        switch aud {
        case .one(let audience): writer.string("aud", audience)
        case .many(let audiences): writer.strings("aud", audiences)
        case nil: break
        }
        writer.string("sub", sub)
        writer.string("typ", typ)
        writer.string("azp", azp)
        writer.string("sid", sid)
        writer.string("acr", acr)
        writer.object("realm_access") { $0.strings("roles", realmAccess.roles) }
        if let resourceAccess {
            writer.object("resource_access") { object in
                for client in resourceAccess.keys.sorted() { object.object(client) { $0.strings("roles", resourceAccess[client]?.roles) } }
            }
        }
        writer.string("scope", scope)
        writer.bool("email_verified", emailVerified)
        writer.string("client_id", clientId)
        writer.string("clientHost", clientHost)
        writer.string("clientAddress", clientAddress)
        writer.profile(username: preferredUsername, name: name, givenName: givenName, familyName: familyName, email: email)
        return writer.finish()
    }
}

extension IDTokenClaims: SignableClaims {
    public var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.tokenHead(exp: exp, iat: iat, jti: jti, iss: iss)
        writer.string("aud", aud)
        writer.string("sub", sub)
        writer.string("typ", typ)
        writer.string("azp", azp)
        writer.string("nonce", nonce)
        writer.string("sid", sid)
        writer.string("at_hash", atHash)
        writer.string("acr", acr)
        writer.bool("email_verified", emailVerified)
        writer.profile(username: preferredUsername, name: name, givenName: givenName, familyName: familyName, email: email)
        return writer.finish()
    }
}
