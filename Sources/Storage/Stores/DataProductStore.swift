import Domain
import SQLKit

/// Data products. Deleting one is soft and takes its keys with it, in the caller's transaction.
public struct DataProductStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// A live name taken already is `StorageError.duplicate` (the unique index `data_products_live_name` decides).
    public func insert(_ product: DataProduct) async throws {
        try await sql.insert(into: "data_products").model(product, with: Codecs.encoder).run()
    }

    /// A live product by id.
    public func find(realm: String, id: String) async throws -> DataProduct? {
        try await sql.select().column("*").from("data_products").where("realm", .equal, realm).where("id", .equal, id)
            .where("is_deleted", .equal, false).first(decoding: DataProduct.self, with: Codecs.decoder)
    }

    /// A live product by id, its row locked until the transaction ends (a write that changes nothing): a key made for it
    /// then cannot outlive a simultaneous delete of the product.
    public func lockLive(realm: String, id: String) async throws -> DataProduct? {
        try await sql.update("data_products").set(SQLIdentifier("id"), to: SQLIdentifier("id")).where("realm", .equal, realm).where("id", .equal, id)
            .where("is_deleted", .equal, false).returning(SQLLiteral.all).first(decoding: DataProduct.self, with: Codecs.decoder)
    }

    /// A live product by name.
    public func find(realm: String, name: String) async throws -> DataProduct? {
        try await sql.select().column("*").from("data_products").where("realm", .equal, realm).where("name", .equal, name)
            .where("is_deleted", .equal, false).first(decoding: DataProduct.self, with: Codecs.decoder)
    }

    public func all(realm: String) async throws -> [DataProduct] {
        try await sql.select().column("*").from("data_products").where("realm", .equal, realm).where("is_deleted", .equal, false)
            .orderBy("name").all(decoding: DataProduct.self, with: Codecs.decoder)
    }

    /// Marks a live product and all its keys deleted; the keys' secrets are dropped so they can never match again. One
    /// conditional update decides: false when the product was deleted already (by a simultaneous request, say).
    public func delete(id: String, at now: Int) async throws -> Bool {
        let marked = try await sql.update("data_products").set("is_deleted", to: true).set("deleted_at", to: now)
            .where("id", .equal, id).where("is_deleted", .equal, false).returning("id").all()
        guard !marked.isEmpty else { return false }
        let keyIds = try await sql.select().column("id").from("psks").where("data_product_id", .equal, id).all(decodingColumn: "id", as: String.self)
        for keyId in keyIds { try await PSKStore(sql).softDelete(id: keyId, at: now) }
        return true
    }
}
