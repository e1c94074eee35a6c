import Domain
import SQLKit

/// Client scopes, which a realm gives new clients (`realm_client_scopes`) and which each client holds
/// (`client_client_scopes`), default or optional.
public struct ClientScopeStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var id, realm, name, description: String
        var attributes: String?

        init(_ scope: ClientScope) {
            (id, realm, name, description) = (scope.id, scope.realm, scope.name, scope.description)
            attributes = scope.attributes.isEmpty ? nil : JSONColumn.text(scope.attributes)
        }

        var scope: ClientScope {
            ClientScope(id: id, realm: realm, name: name, description: description, attributes: attributes.flatMap { JSONColumn.value($0) } ?? [:])
        }
    }

    /// A name the realm has already throws `StorageError.duplicate` (the unique index decides).
    public func insert(_ scope: ClientScope) async throws {
        try await sql.insert(into: "client_scopes").model(Row(scope), with: Codecs.encoder).run()
    }

    public func update(_ scope: ClientScope) async throws {
        try await sql.update("client_scopes").set("name", to: scope.name).set("description", to: scope.description)
            .set("attributes", to: Row(scope).attributes).where("id", .equal, scope.id).run()
    }

    public func delete(id: String) async throws {
        try await sql.delete(from: "client_scopes").where("id", .equal, id).run()
    }

    public func find(realm: String, id: String) async throws -> ClientScope? {
        try await sql.select().column("*").from("client_scopes").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: Row.self, with: Codecs.decoder)?.scope
    }

    public func find(realm: String, name: String) async throws -> ClientScope? {
        try await sql.select().column("*").from("client_scopes").where("realm", .equal, realm).where("name", .equal, name)
            .first(decoding: Row.self, with: Codecs.decoder)?.scope
    }

    public func all(realm: String) async throws -> [ClientScope] {
        try await sql.select().column("*").from("client_scopes").where("realm", .equal, realm).orderBy("name")
            .all(decoding: Row.self, with: Codecs.decoder).map(\.scope)
    }

    // MARK: What a realm gives new clients

    public func realmScopes(realm: String, kind: ScopeKind) async throws -> [ClientScope] {
        try await linked(table: "realm_client_scopes", owner: "realm", id: realm, kind: kind)
    }

    /// Makes the scope one of the realm's defaults of `kind` (moving it from the other kind if it was there).
    public func setRealmScope(realm: String, scopeId: String, kind: ScopeKind) async throws {
        try await sql.insert(into: "realm_client_scopes").columns("realm", "scope_id", "kind").values(SQLBind(realm), SQLBind(scopeId), SQLBind(kind.rawValue))
            .onConflict(with: ["realm", "scope_id"]) { $0.set(excludedValueOf: "kind") }.run()
    }

    public func removeRealmScope(realm: String, scopeId: String, kind: ScopeKind) async throws {
        try await sql.delete(from: "realm_client_scopes").where("realm", .equal, realm).where("scope_id", .equal, scopeId)
            .where("kind", .equal, kind.rawValue).run()
    }

    // MARK: What a client holds

    public func clientScopes(clientId: String, kind: ScopeKind) async throws -> [ClientScope] {
        try await linked(table: "client_client_scopes", owner: "client_id", id: clientId, kind: kind)
    }

    public func link(clientId: String, scopeId: String, kind: ScopeKind) async throws {
        try await sql.insert(into: "client_client_scopes").columns("client_id", "scope_id", "kind")
            .values(SQLBind(clientId), SQLBind(scopeId), SQLBind(kind.rawValue))
            .onConflict(with: ["client_id", "scope_id"]) { $0.set(excludedValueOf: "kind") }.run()
    }

    public func unlink(clientId: String, scopeId: String, kind: ScopeKind) async throws {
        try await sql.delete(from: "client_client_scopes").where("client_id", .equal, clientId).where("scope_id", .equal, scopeId)
            .where("kind", .equal, kind.rawValue).run()
    }

    /// Gives a new client the realm's default and optional scopes, as Keycloak does when a client is created.
    public func linkRealmDefaults(clientId: String, realm: String) async throws {
        for kind in ScopeKind.allCases {
            for scope in try await realmScopes(realm: realm, kind: kind) { try await link(clientId: clientId, scopeId: scope.id, kind: kind) }
        }
    }

    private func linked(table: String, owner: String, id: String, kind: ScopeKind) async throws -> [ClientScope] {
        try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("client_scopes"))).from("client_scopes")
            .join(SQLIdentifier(table), on: SQLColumn("id", table: "client_scopes"), .equal, SQLColumn("scope_id", table: table))
            .where(SQLColumn(owner, table: table), .equal, SQLBind(id))
            .where(SQLColumn("kind", table: table), .equal, SQLBind(kind.rawValue))
            .orderBy(SQLColumn("name", table: "client_scopes"))
            .all(decoding: Row.self, with: Codecs.decoder).map(\.scope)
    }
}
