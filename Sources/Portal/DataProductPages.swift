import API
import Authentication
import Domain
import Foundation
import Hummingbird
import Keys
import Storage
import Warehouse

/// Data products (portal.md "Data products"): the ones you may read, creating one (with its first key, shown once),
/// and a product page with sample rows, its data URL, a curl example and its API keys (create — shown once —,
/// extend, delete).
struct DataProductPages: Sendable {
    let products: DataProductService
    let queries: QueryService
    let keys: KeyService
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
            guard Self.mayCreate(user) else { return forbidden() }
            let source: DataProductService.Source
            if let sql = form["query"], !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { source = .sql(sql) } else { source = .query(form["query_id"] ?? "") }
            do {
                let name = form["name"] ?? ""
                guard name.wholeMatch(of: /[a-z][a-z0-9_]{0,62}/) != nil else {
                    return try await new(user, realm: realm, error: "Name the product with a-z, 0-9 and _ (starting with a letter).")
                }
                let (product, key, secret) = try await products.create(
                    name: name, roleName: form["role_name"] ?? "", domainUrn: nil, source: source, for: user.principal, address: context.remoteAddress)
                return pages.render(
                    "key-shown", user: user, realm: realm,
                    ["psk": secret, "productId": product.id, "productName": product.name, "validUntil": SettingsPages.date(key.expiresAt ?? key.createdAt)])
            } catch let error as Authentication.ValidationError {
                return try await new(user, realm: realm, error: error.problems.map(\.msg).joined(separator: " "))
            } catch let error as APIError {
                return try await new(user, realm: realm, error: error.detail)
            }
        })
        portal.get("dataproducts/:id", use: signedIn { _, context, user, realm in
            try await show(try products.product(id: try context.parameters.require("id"), for: user.principal), user: user, realm: realm)
        })
        portal.post("dataproducts/:id/keys", use: changing { form, context, user, realm in
            let product = try await products.product(id: try context.parameters.require("id"), for: user.principal)
            let days = min(max(Int(form["validity_days"] ?? "") ?? 30, 1), KeyService.maximumValidityDays)
            let (key, secret) = try await keys.createDataProductKey(
                productId: product.id, for: user.principal, description: String((form["description"] ?? "").prefix(256)), validityDays: days,
                address: context.remoteAddress)
            return pages.render(
                "key-shown", user: user, realm: realm,
                ["psk": secret, "productId": product.id, "productName": product.name, "validUntil": SettingsPages.date(key.expiresAt ?? key.createdAt)])
        })
        portal.post("dataproducts/:id/keys/extend", use: changing { form, context, user, realm in
            let id = try context.parameters.require("id")
            let days = min(max(Int(form["validity_days"] ?? "") ?? 30, 1), KeyService.maximumValidityDays)
            _ = try await keys.extendDataProductKey(keyId: form["key"] ?? "", for: user.principal, validityDays: days, address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/dataproducts/\(id)")
        })
        portal.post("dataproducts/:id/keys/delete", use: changing { form, context, user, realm in
            let id = try context.parameters.require("id")
            try await keys.deleteDataProductKey(keyId: form["key"] ?? "", for: user.principal, address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/dataproducts/\(id)")
        })
        portal.post("dataproducts/:id/delete", use: changing { _, context, user, realm in
            try await products.delete(id: try context.parameters.require("id"), by: user.principal, address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/dataproducts")
        })
    }

    static func mayCreate(_ user: PortalUser) -> Bool { user.roles.contains(NexusOneRoles.ask) || user.roles.contains(NexusOneRoles.engineer) }

    private func new(_ user: PortalUser, realm: String, error: String? = nil) async throws -> Response {
        guard Self.mayCreate(user) else { return forbidden() }
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
            values["columns"] = sample.columns
            values["rows"] = sample.rows.prefix(10).map { ["cells": $0.map(\.plainText)] }
        } catch let error as Authentication.ValidationError {
            values["error"] = error.problems.map(\.msg).joined(separator: " ")
        }
        if user.principal.mayManage(product) {
            values["keys"] = try await keys.dataProductKeys(for: user.principal, includeDeleted: false).filter { $0.dataProductId == product.id }.map { key in
                [
                    "id": key.id, "description": key.description.isEmpty ? "—" : key.description, "hint": key.hint,
                    "validUntil": key.expiresAt.map(SettingsPages.date) ?? "—", "lastUsed": key.lastUsedAt.map(SettingsPages.date) ?? "Never",
                ]
            }
        }
        return pages.render("dataproduct", user: user, realm: realm, values)
    }

    private func forbidden() -> Response {
        pages.message(
            title: "Not allowed", text: "Creating data products needs the role \(NexusOneRoles.ask) or \(NexusOneRoles.engineer).", status: .forbidden)
    }
}
