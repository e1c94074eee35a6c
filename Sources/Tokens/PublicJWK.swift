/// One entry of a JWKS document (RFC 7517), as Keycloak publishes it at `/protocol/openid-connect/certs`.
public struct PublicJWK: Sendable, Codable, Equatable {
    public var kid: String
    public var kty: String
    public var alg: String
    public var use: String = "sig"
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?
    public var y: String?
}

/// `{"keys":[…]}`.
public struct JWKSDocument: Sendable, Codable, Equatable {
    public var keys: [PublicJWK]
}
