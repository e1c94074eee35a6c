import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// Data products (portal.md "Data products"): the ones you may read, creating one (with its first key, shown once),
/// and a product page with sample rows, its data URL, a curl example and its API keys (create — shown once —,
/// extend, delete). The use cases decide who may.
struct DataProductPages: Sendable {
    let products: DataProducts
    let create: CreateDataProduct
    let delete: DeleteDataProduct
    let queries: Queries
    let keys: Keys
    let createKey: CreateDataProductKey
    let extendKey: ExtendDataProductKey
    let deleteKey: DeleteDataProductKey
    let pages: PortalPages
    let publicURL: String

    func addRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("dataproducts", use: signedIn { _, _, user, realm in
            let listed = try await products.readable(by: user.principal, roles: nil).map { product in
                ["id": product.id, "name": product.name, "role": product.roleName, "domain": DataDomain.name(fromURN: product.domainUrn)]
            }
            return pages.render("dataproducts", user: user, realm: realm, ["products": listed, "mayCreate": Self.mayCreate(user)])
        })
        portal.get("dataproducts/new", use: signedIn { _, _, user, realm in try await new(user, realm: realm) })
        portal.post("dataproducts", use: changing { form, context, user, realm in
            let sql = form["query"] ?? ""
            do {
                let source: CreateDataProduct.Source =
                    sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .query(form["query_id"] ?? "") : .sql(try QueryText(sql))
                let input = CreateDataProduct.Input(
                    name: try ResourceName(form["name"] ?? ""), roleName: try Identifier(form["role_name"], field: "role_name"), source: source)
                let (product, key, secret) = try await create(user.principal, input, address: context.remoteAddress)
                return pages.render(
                    "key-shown", user: user, realm: realm,
                    ["psk": secret, "productId": product.id, "productName": product.name, "validUntil": SettingsPages.date(key.expiresAt ?? key.createdAt)])
            } catch let error as any UseCaseError where error.kind != .forbidden {
                // The warehouse's refusals are use-case errors too (`WarehouseError: UseCaseError`), in their words.
                return try await new(user, realm: realm, error: error.message)
            }
        })
        portal.get("dataproducts/:id", use: signedIn { _, context, user, realm in
            try await show(try products.product(id: try context.parameters.require("id"), for: user.principal), user: user, realm: realm)
        })
        portal.post("dataproducts/:id/keys", use: changing { form, context, user, realm in
            let product = try await products.product(id: try context.parameters.require("id"), for: user.principal)
            let (key, secret) = try await createKey(
                user.principal, productId: product.id, description: try DescriptionText(form["description"]),
                validity: try ValidityDays(Int(form["validity_days"] ?? "") ?? 30), address: context.remoteAddress)
            return pages.render(
                "key-shown", user: user, realm: realm,
                ["psk": secret, "productId": product.id, "productName": product.name, "validUntil": SettingsPages.date(key.expiresAt ?? key.createdAt)])
        })
        portal.post("dataproducts/:id/keys/extend", use: changing { form, context, user, realm in
            let id = try context.parameters.require("id")
            _ = try await extendKey(
                user.principal, keyId: form["key"] ?? "", validity: try ValidityDays(Int(form["validity_days"] ?? "") ?? 30), address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/dataproducts/\(id)")
        })
        portal.post("dataproducts/:id/keys/delete", use: changing { form, context, user, realm in
            let id = try context.parameters.require("id")
            try await deleteKey(user.principal, keyId: form["key"] ?? "", address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/dataproducts/\(id)")
        })
        portal.post("dataproducts/:id/delete", use: changing { _, context, user, realm in
            try await delete(user.principal, id: try context.parameters.require("id"), address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/dataproducts")
        })
    }

    /// Whether the page offers "New": the same rule `CreateDataProduct` applies.
    static func mayCreate(_ user: PortalUser) -> Bool { (try? ProductError.authorizeCreator(user.principal)) != nil }

    private func new(_ user: PortalUser, realm: String, error: String? = nil) async throws -> Response {
        try ProductError.authorizeCreator(user.principal)
        let own = user.roles.contains(NexusOneRoles.ask) ? try await queries.list(for: user.principal, limit: 100) : []
        let values: [String: Any] = [
            "queries": own.map { ["id": $0.id, "prompt": $0.prompt.isEmpty ? $0.query : $0.prompt] }, "roles": NexusOneRoles.all,
            "error": error as Any,
        ]
        return pages.render("dataproduct-new", user: user, realm: realm, values, status: error == nil ? .ok : .unprocessableContent)
    }

    private func show(_ product: DataProduct, user: PortalUser, realm: String) async throws -> Response {
        var values: [String: Any] = [
            "product": ["id": product.id, "name": product.name, "role": product.roleName, "sql": product.query],
            "dataUrl": "\(publicURL)/api/data/\(product.name)", "manage": user.principal.mayManage(product),
        ]
        do {
            let sample = try await products.sample(product, limit: 10)
            values["columns"] = Array(sample.columns.prefix(Cell.shownColumns))
            values["rows"] = Cell.shown(Array(sample.rows.prefix(10))).map { ["cells": $0] }
        } catch let error as WarehouseError {
            values["error"] = error.message
        }
        if user.principal.mayManage(product) {
            values["keys"] = try await keys.ofProducts(managedBy: user.principal, includeDeleted: false).filter { $0.dataProductId == product.id }.map { key in
                [
                    "id": key.id, "description": key.description.isEmpty ? "—" : key.description, "hint": key.hint,
                    "validUntil": key.expiresAt.map(SettingsPages.date) ?? "—", "lastUsed": key.lastUsedAt.map(SettingsPages.date) ?? "Never",
                ]
            }
        }
        return pages.render("dataproduct", user: user, realm: realm, values)
    }
}
