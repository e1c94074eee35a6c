import Domain
import SQLKit

/// Users' authenticators; each secret sealed with the at-rest key.
public struct OTPCredentialStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// A credential with its sealed secret, for checking codes only.
    public struct Sealed: Sendable {
        public var credential: OTPCredential
        public var sealedSecret: String
    }

    private struct Row: Codable {
        var id: String
        var userId: String
        var realm: String
        var label: String
        var sealedSecret: String
        var algorithm: String
        var digits: Int
        var period: Int
        var createdAt: Int

        var sealed: Sealed {
            Sealed(
                credential: OTPCredential(
                    id: id, userId: userId, realm: realm, label: label, algorithm: OTPAlgorithm(rawValue: algorithm) ?? .sha1, digits: digits,
                    period: period, createdAt: createdAt),
                sealedSecret: sealedSecret)
        }
    }

    public func insert(_ credential: OTPCredential, sealedSecret: String) async throws {
        let row = Row(
            id: credential.id, userId: credential.userId, realm: credential.realm, label: credential.label, sealedSecret: sealedSecret,
            algorithm: credential.algorithm.rawValue, digits: credential.digits, period: credential.period, createdAt: credential.createdAt)
        try await sql.insert(into: "otp_credentials").model(row, with: Codecs.encoder).run()
    }

    /// A user's authenticators, oldest first.
    public func all(userId: String) async throws -> [Sealed] {
        try await sql.select().column("*").from("otp_credentials").where("user_id", .equal, userId).orderBy("created_at").orderBy("id")
            .all(decoding: Row.self, with: Codecs.decoder).map(\.sealed)
    }

    /// Which of these users have an authenticator.
    public func holders(among userIds: [String]) async throws -> Set<String> {
        guard !userIds.isEmpty else { return [] }
        return Set(
            try await sql.select().distinct().column("user_id").from("otp_credentials").where("user_id", .in, SQLBind.group(userIds))
                .all(decodingColumn: "user_id", as: String.self))
    }

    /// Removes one of a user's authenticators; whether there was one.
    public func delete(id: String, userId: String) async throws -> Bool {
        try await !sql.delete(from: "otp_credentials").where("id", .equal, id).where("user_id", .equal, userId).returning("id").all().isEmpty
    }
}
