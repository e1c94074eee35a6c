import Domain
import JWTKit

/// Claims the realm signs itself: written as JSON by `JSONObjectWriter`, in a fixed member order, members that are nil
/// left out. The `Codable` conformance stays for reading tokens back (a test checks both agree).
public protocol SignableClaims: JWTPayload {
    var json: [UInt8] { get }
}

extension JSONObjectWriter {
    /// The members every token of ours opens with: lifetime, id and issuer.
    mutating func tokenHead(exp: Int, iat: Int, jti: String, iss: String) {
        int("exp", exp)
        int("iat", iat)
        string("jti", jti)
        string("iss", iss)
    }

    /// The profile members both access and ID tokens end with (nil ones left out).
    mutating func profile(username: String?, name: String?, givenName: String?, familyName: String?, email: String?) {
        string("preferred_username", username)
        string("name", name)
        string("given_name", givenName)
        string("family_name", familyName)
        string("email", email)
    }

    /// The protocol mappers' other claims, by name, after the standard members.
    mutating func otherClaims(_ claims: [String: ClaimValue]) {
        guard !claims.isEmpty else { return }
        for name in claims.keys.sorted() { claim(name, claims[name]!) }
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
        if let realmAccess { writer.object("realm_access") { $0.strings("roles", realmAccess.roles) } }
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
        writer.otherClaims(otherClaims)
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
        writer.otherClaims(otherClaims)
        return writer.finish()
    }
}
