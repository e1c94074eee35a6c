import Domain
import Foundation
import SQLKit

/// Clients of a realm, with their sealed secrets.
public struct ClientStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var id: String
        var realm: String
        var clientId: String
        var name: String
        var publicClient: Bool
        var enabled: Bool
        var serviceAccountsEnabled: Bool
        var standardFlowEnabled: Bool
        var directAccessGrantsEnabled: Bool
        var redirectUris: String
        var sealedSecret: String?
        var createdAt: Int

        init(_ client: Client, sealedSecret: String?) {
            id = client.id
            realm = client.realm
            clientId = client.clientId
            name = client.name
            publicClient = client.isPublic
            enabled = client.enabled
            serviceAccountsEnabled = client.serviceAccountsEnabled
            standardFlowEnabled = client.standardFlowEnabled
            directAccessGrantsEnabled = client.directAccessGrantsEnabled
            redirectUris = (try? String(data: JSONEncoder().encode(client.redirectURIs), encoding: .utf8)) ?? "[]"
            self.sealedSecret = sealedSecret
            createdAt = client.createdAt
        }

        var client: Client {
            Client(
                id: id, realm: realm, clientId: clientId, name: name, isPublic: publicClient, enabled: enabled,
                serviceAccountsEnabled: serviceAccountsEnabled, standardFlowEnabled: standardFlowEnabled,
                directAccessGrantsEnabled: directAccessGrantsEnabled,
                redirectURIs: (try? JSONDecoder().decode([String].self, from: Data(redirectUris.utf8))) ?? [], createdAt: createdAt)
        }
    }

    /// The client in a row read with `*`: the row's fields, and whether authorization services are on (their settings
    /// column, which `Row` leaves out so that inserts work at every schema version, migrations included).
    static func record(_ row: any SQLRow) throws -> Record {
        let decoded = try row.decode(model: Row.self, with: Codecs.decoder)
        var client = decoded.client
        client.authorizationServicesEnabled = try row.decodeNil(column: "authz_settings") == false
        return Record(client: client, sealedSecret: decoded.sealedSecret)
    }

    /// A client with its sealed secret, for authentication and the admin API.
    public struct Record: Sendable {
        public var client: Client
        public var sealedSecret: String?
    }

    /// A new client holds the realm's default and optional client scopes from the start, in the same transaction, so
    /// no client is ever without the scopes that decide its tokens' claims.
    public func insert(_ client: Client, sealedSecret: String?) async throws {
        try await sql.insert(into: "clients").model(Row(client, sealedSecret: sealedSecret), with: Codecs.encoder).run()
        try await ClientScopeStore(sql).linkRealmDefaults(clientId: client.id, realm: client.realm)
    }

    public func find(realm: String, clientId: String) async throws -> Record? {
        try await sql.select().column("*").from("clients").where("realm", .equal, realm).where("client_id", .equal, clientId)
            .first().map(Self.record)
    }

    public func find(realm: String, id: String) async throws -> Record? {
        try await sql.select().column("*").from("clients").where("realm", .equal, realm).where("id", .equal, id)
            .first().map(Self.record)
    }

    /// The client of `realm` with this id, its row locked until the transaction ends (a write that changes nothing takes
    /// PostgreSQL's row lock; SQLite's write transactions are serial anyway): read-modify-write after it cannot lose a
    /// simultaneous change.
    public func lock(realm: String, id: String) async throws -> Record? {
        try await sql.update("clients").set(SQLIdentifier("id"), to: SQLIdentifier("id")).where("realm", .equal, realm).where("id", .equal, id)
            .returning(SQLLiteral.all).first().map(Self.record)
    }

    public func all(realm: String) async throws -> [Client] {
        try await sql.select().column("*").from("clients").where("realm", .equal, realm).orderBy("client_id")
            .all().map { try Self.record($0).client }
    }

    public func update(_ client: Client) async throws {
        try await sql.update("clients")
            .set("client_id", to: client.clientId)
            .set("name", to: client.name)
            .set("public_client", to: client.isPublic)
            .set("enabled", to: client.enabled)
            .set("service_accounts_enabled", to: client.serviceAccountsEnabled)
            .set("standard_flow_enabled", to: client.standardFlowEnabled)
            .set("direct_access_grants_enabled", to: client.directAccessGrantsEnabled)
            .set("redirect_uris", to: Row(client, sealedSecret: nil).redirectUris)
            .where("id", .equal, client.id)
            .run()
    }

    public func setSecret(id: String, sealedSecret: String?) async throws {
        try await sql.update("clients").set("sealed_secret", to: sealedSecret).where("id", .equal, id).run()
    }

    public func delete(id: String) async throws {
        try await sql.delete(from: "clients").where("id", .equal, id).run()
    }
}
