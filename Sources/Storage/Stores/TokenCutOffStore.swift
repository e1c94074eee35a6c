import SQLKit

/// Per-subject not-before times (migration 10): tokens of the subject issued before the time are refused.
public struct TokenCutOffStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Refuses the subject's access tokens issued before `time` (epoch seconds), on every node once announced.
    public func refuseTokens(of subject: String, realm: String, issuedBefore time: Int) async throws {
        try await sql.insert(into: "token_cutoffs").columns("subject", "realm", "not_before").values(SQLBind(subject), SQLBind(realm), SQLBind(time))
            .onConflict(with: ["subject"]) { $0.set(excludedValueOf: "not_before") }.run()
    }

    /// The realm's subjects whose tokens are refused before some time after `since`, by subject.
    public func cutOffs(realm: String, after since: Int) async throws -> [String: Int] {
        let rows = try await sql.select().columns("subject", "not_before").from("token_cutoffs").where("realm", .equal, realm)
            .where("not_before", .greaterThan, since).all()
        var cutOffs: [String: Int] = [:]
        for row in rows { cutOffs[try row.decode(column: "subject", as: String.self)] = try row.decode(column: "not_before", as: Int.self) }
        return cutOffs
    }
}
