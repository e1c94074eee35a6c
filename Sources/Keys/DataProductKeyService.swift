import Authentication
import Domain
import Foundation
import HTTPTypes
import SQLKit
import Storage

/// Data-product keys (psk.md "Data-product PSKs"): created with a validity in days, extendable, soft-deleted.
extension KeyService {
    public static let maximumValidityDays = 3650

    public func createDataProductKey(productId: String, for principal: Principal, description: String, validityDays: Int, address: String)
        async throws -> (PreSharedKey, String)
    {
        let now = clock.now
        return try await change { sql in
            let product = try await Self.manageableProduct(productId, principal: principal, on: sql)
            let issued = try await PSKIssuer.issue(
                kind: .dataProduct, realm: product.realm, userId: principal.subject, dataProductId: product.id, description: description,
                expiresAt: now + validityDays * 86_400, now: now, on: sql)
            try await audit("create", key: issued.0, actor: principal.subject, address: address, detail: "data product \(product.name)", on: sql)
            return issued
        }
    }

    /// Keys of every product the caller may manage.
    public func dataProductKeys(for principal: Principal, includeDeleted: Bool) async throws -> [PreSharedKey] {
        try await database.read { sql in
            let products = try await DataProductStore(sql).all(realm: principal.realm).filter { principal.mayManage($0) }
            return try await PSKStore(sql).forDataProducts(products.map(\.id), includeDeleted: includeDeleted)
        }
    }

    /// Moves `valid_until` by `validityDays` from now or from its current end, whichever is later.
    public func extendDataProductKey(keyId: String, for principal: Principal, validityDays: Int, address: String) async throws -> PreSharedKey {
        let now = clock.now
        return try await change { sql in
            var key = try await Self.manageableKey(keyId, principal: principal, on: sql)
            key.expiresAt = max(key.expiresAt ?? now, now).addingSaturated(validityDays * 86_400)
            key.updatedAt = now
            try await PSKStore(sql).setExpiry(id: key.id, expiresAt: key.expiresAt!, at: now)
            try await audit("extend", key: key, actor: principal.subject, address: address, detail: "validity_days=\(validityDays)", on: sql)
            return key
        }
    }

    public func deleteDataProductKey(keyId: String, for principal: Principal, address: String) async throws {
        let now = clock.now
        try await change { sql in
            let key = try await Self.manageableKey(keyId, principal: principal, on: sql)
            try await PSKStore(sql).softDelete(id: key.id, at: now)
            try await audit("delete", key: key, actor: principal.subject, address: address, on: sql)
        }
    }

    /// The live product, if the caller may manage it; 404 otherwise, so its existence is not revealed.
    static func manageableProduct(_ id: String, principal: Principal, on sql: any SQLDatabase) async throws -> DataProduct {
        guard let product = try await DataProductStore(sql).find(realm: principal.realm, id: id), principal.mayManage(product) else {
            throw APIError.notFound("No such data product")
        }
        return product
    }

    static func manageableKey(_ id: String, principal: Principal, on sql: any SQLDatabase) async throws -> PreSharedKey {
        guard let key = try await PSKStore(sql).find(id: id), key.kind == .dataProduct, !key.isDeleted, let productId = key.dataProductId else {
            throw APIError.notFound("No such key")
        }
        _ = try await manageableProduct(productId, principal: principal, on: sql)
        return key
    }
}
