import Domain
import SQLKit
import Storage

/// A new data-product PSK (psk.md "Data-product PSKs") for whoever may manage the product.
public struct CreateDataProductKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, productId: String, description: DescriptionText, validity: ValidityDays, address: String)
        async throws -> (key: PreSharedKey, secret: String)
    {
        try KeyPolicy.authorizeProductKeys(actor)
        let now = clock.now
        return try await changes.commit { sql in
            let product = try await ProductKeys.manageableProduct(productId, actor: actor, on: sql)
            return try await ProductKeys.issue(for: product, actor: actor, description: description.value, validity: validity, address: address, now: now, on: sql)
        }
    }
}

/// Moves a data-product key's end by its validity, from now or from its current end, whichever is later.
public struct ExtendDataProductKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, keyId: String, validity: ValidityDays, address: String) async throws -> PreSharedKey {
        try KeyPolicy.authorizeProductKeys(actor)
        let now = clock.now
        return try await changes.commit { sql in
            _ = try await ProductKeys.manageableKey(keyId, actor: actor, on: sql)
            guard let key = try await PSKStore(sql).extend(id: keyId, by: validity.seconds, at: now) else { throw KeyError.notFound }
            try await KeyAudit.record(
                .extend, key: key, realm: key.realm, actor: actor, address: address, detail: "validity_days=\(validity.days)", now: now, on: sql)
            return key
        }
    }
}

/// Deletes a data-product key softly: listed with `include_deleted`, never usable again.
public struct DeleteDataProductKey: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, keyId: String, address: String) async throws {
        try KeyPolicy.authorizeProductKeys(actor)
        let now = clock.now
        try await changes.commit { sql in
            _ = try await ProductKeys.manageableKey(keyId, actor: actor, on: sql)
            guard let key = try await PSKStore(sql).softDelete(id: keyId, at: now) else { throw KeyError.notFound }
            try await KeyAudit.record(.delete, key: key, realm: key.realm, actor: actor, address: address, now: now, on: sql)
        }
    }
}

/// Which products and keys an actor may manage (anything else is "not found", so its existence is not revealed), and
/// how a product's key is made — its first one with the product, later ones on their own.
enum ProductKeys {
    static func issue(
        for product: DataProduct, actor: Principal, description: String, validity: ValidityDays, address: String, now: Int, on sql: any SQLDatabase
    ) async throws -> (key: PreSharedKey, secret: String) {
        let issued = try await KeyIssuer.issue(
            kind: .dataProduct, realm: product.realm, userId: actor.subject, dataProductId: product.id, description: description,
            expiresAt: now.addingSaturated(validity.seconds), createdByKeyId: actor.keyId, now: now, on: sql)
        try await KeyAudit.record(
            .create, key: issued.key, realm: product.realm, actor: actor, address: address, detail: "data product \(product.name)", now: now, on: sql)
        return issued
    }

    /// The product, locked for the caller's transaction, if the actor may manage it.
    static func manageableProduct(_ id: String, actor: Principal, on sql: any SQLDatabase) async throws -> DataProduct {
        guard let product = try await DataProductStore(sql).lockLive(realm: actor.realm, id: id), actor.mayManage(product) else {
            throw KeyError.productNotFound
        }
        return product
    }

    static func manageableKey(_ id: String, actor: Principal, on sql: any SQLDatabase) async throws -> PreSharedKey {
        guard let key = try await PSKStore(sql).find(id: id), key.kind == .dataProduct, !key.isDeleted, let productId = key.dataProductId,
            let product = try await DataProductStore(sql).find(realm: actor.realm, id: productId), actor.mayManage(product)
        else { throw KeyError.notFound }
        return key
    }
}
