import Domain
import Foundation
import SQLKit

/// Whether an id is still free in a table, across realms: an import keeps the ids a file gives (a user's `sub` stays
/// the same) only where nothing else has them.
public enum IdentifierLedger {
    public enum Table: String, Sendable {
        case users, clients, roles, groups
    }

    /// `wanted` when it is a UUID (what Keycloak's ids are; nothing else goes into `sub` or an admin REST path) that
    /// nothing in `table` has yet, else a new UUID.
    public static func reuse(_ wanted: String?, in table: Table, on sql: any SQLDatabase) async throws -> String {
        // Kept in lower case, as this server makes ids: an upper-case copy of another realm's id is the same id.
        guard let wanted = wanted?.lowercased(), let uuid = UUID(uuidString: wanted), uuid.uuidString.lowercased() == wanted,
            try await sql.select().column("id").from(table.rawValue).where("id", .equal, wanted).first() == nil
        else { return Identifiers.uuid() }
        return wanted
    }
}
