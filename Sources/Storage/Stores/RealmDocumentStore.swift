import SQLKit

/// JSON documents a realm keeps as given (`realm_documents`), by kind.
public struct RealmDocumentStore: Sendable {
    public enum Kind: String, Sendable {
        /// The realm representation's fields this server keeps without acting on them.
        case keptSettings = "kept-settings"
        /// Keycloak's user profile (`/users/profile`).
        case userProfile = "user-profile"
    }

    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func body(realm: String, kind: Kind) async throws -> String? {
        try await sql.select().column("body").from("realm_documents").where("realm", .equal, realm).where("kind", .equal, kind.rawValue)
            .first(decodingColumn: "body", as: String.self)
    }

    /// Stores the document, replacing the one before (one statement, so two writers cannot both insert).
    public func set(realm: String, kind: Kind, body: String) async throws {
        try await sql.insert(into: "realm_documents").columns("realm", "kind", "body").values(SQLBind(realm), SQLBind(kind.rawValue), SQLBind(body))
            .onConflict(with: ["realm", "kind"]) { $0.set(excludedValueOf: "body") }
            .run()
    }
}
