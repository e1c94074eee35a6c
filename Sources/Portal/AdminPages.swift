import Authentication
import Domain
import Foundation
import Hummingbird
import Keys
import Realm
import Storage

/// Administration for `nx1_admin` (portal.md "Admin"): users — create with a one-time password, disable, assign and
/// remove roles, the only way a non-administrator gets one —, clients (regenerate a secret, shown once), every key of
/// the realm (revoke) and the audit log. Anyone else gets 403 on every admin page.
struct AdminPages: Sendable {
    let realm: RealmServices
    let keys: KeyService
    let pages: PortalPages

    func addRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("admin/users", use: signedIn(adminOnly { _, user, realm in try await users(user, realm: realm) }))
        portal.post("admin/users", use: changing(adminForm { form, _, user, realm in try await create(form, user, realm: realm) }))
        portal.get("admin/users/:user", use: signedIn(adminOnly { context, user, realm in
            try await show(try context.parameters.require("user"), user, realm: realm)
        }))
        portal.post("admin/users/:user/roles", use: changing(adminForm { form, context, user, realm in
            let userId = try context.parameters.require("user")
            guard let role = form["role"], NexusOneRoles.all.contains(role) else {
                return pages.message(title: "Roles", text: "Choose one of the NexusOne roles.", status: .unprocessableContent)
            }
            try await self.realm.setRealmRole(role, granted: form["action"] == "assign", realm: realm, userId: userId)
            return PortalPages.redirect("/portal/\(realm)/admin/users/\(userId)")
        }))
        portal.post("admin/users/:user/enabled", use: changing(adminForm { form, context, user, realm in
            let userId = try context.parameters.require("user")
            guard userId != user.user.id else {
                return pages.message(title: "Users", text: "You cannot disable yourself.", status: .unprocessableContent)
            }
            try await self.realm.setEnabled(form["enabled"] == "true", realm: realm, userId: userId)
            return PortalPages.redirect("/portal/\(realm)/admin/users/\(userId)")
        }))
    }

    func addOtherRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("admin/clients", use: signedIn(adminOnly { _, user, realm in
            let clients = try await self.realm.clients(realm: realm).map { client in
                ["id": client.id, "clientId": client.clientId, "confidential": !client.isPublic, "enabled": client.enabled] as [String: Any]
            }
            return pages.render("admin-clients", user: user, realm: realm, ["clients": clients])
        }))
        portal.post("admin/clients/:id/secret", use: changing(adminForm { _, context, user, realm in
            let (client, secret) = try await self.realm.regenerateClientSecret(realm: realm, clientInternalId: try context.parameters.require("id"))
            return pages.render("secret-shown", user: user, realm: realm, ["clientId": client.clientId, "secret": secret])
        }))
        portal.get("admin/keys", use: signedIn(adminOnly { _, user, realm in
            let listed = try await keys.list(realm: realm).map { entry in
                [
                    "id": entry.key.id, "kind": entry.key.kind.rawValue, "owner": entry.username, "hint": entry.key.hint,
                    "description": entry.key.description, "lastUsed": entry.key.lastUsedAt.map(SettingsPages.date) ?? "Never",
                    "revocable": entry.key.isActive && !entry.key.isDeleted,
                ] as [String: Any]
            }
            return pages.render("admin-keys", user: user, realm: realm, ["keys": listed])
        }))
        portal.post("admin/keys/:id/revoke", use: changing(adminForm { _, context, user, realm in
            try await keys.revoke(keyId: try context.parameters.require("id"), by: user.principal, address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/admin/keys")
        }))
        portal.get("admin/audit", use: signedIn(adminOnly { _, user, realm in
            let events = try await keys.audit(realm: realm, action: nil, limit: 200).map { event in
                [
                    "at": SettingsPages.date(event.at), "action": event.action, "actor": event.actorId ?? "—", "hint": event.hint ?? "",
                    "address": event.address ?? "", "detail": event.detail,
                ]
            }
            return pages.render("admin-audit", user: user, realm: realm, ["events": events])
        }))
    }

    private func adminOnly(_ body: @escaping @Sendable (AppRequestContext, PortalUser, String) async throws -> Response) -> PortalController.Handler {
        { _, context, user, realm in
            guard user.roles.contains(NexusOneRoles.admin) else { return forbidden() }
            return try await body(context, user, realm)
        }
    }

    private func adminForm(_ body: @escaping @Sendable (PortalForm, AppRequestContext, PortalUser, String) async throws -> Response)
        -> @Sendable (PortalForm, AppRequestContext, PortalUser, String) async throws -> Response
    {
        { form, context, user, realm in
            guard user.roles.contains(NexusOneRoles.admin) else { return forbidden() }
            return try await body(form, context, user, realm)
        }
    }

    private func forbidden() -> Response {
        pages.message(title: "Not allowed", text: "This page needs the role \(NexusOneRoles.admin); ask your administrator.", status: .forbidden)
    }

    private func users(_ user: PortalUser, realm: String, error: String? = nil) async throws -> Response {
        let listed = try await self.realm.users(realm: realm).map { entry in
            [
                "id": entry.user.id, "username": entry.user.username, "name": [entry.user.firstName, entry.user.lastName].compactMap { $0 }.joined(separator: " "),
                "enabled": entry.user.enabled, "roles": entry.roles.filter { $0.hasPrefix("nx1_") }.joined(separator: ", "),
            ] as [String: Any]
        }
        return pages.render("admin-users", user: user, realm: realm, ["users": listed, "error": error as Any], status: error == nil ? .ok : .unprocessableContent)
    }

    private func create(_ form: PortalForm, _ user: PortalUser, realm: String) async throws -> Response {
        let username = (form["username"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard Names.isValidIdentifier(username) else { return try await users(user, realm: realm, error: "Choose a username of letters, digits, '.', '_' or '-'.") }
        func optional(_ name: String) -> String? { form[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty || $0.count > 255 ? nil : $0 } }
        do {
            let (created, password) = try await self.realm.createUser(
                realm: realm, username: username, firstName: optional("first_name"), lastName: optional("last_name"), email: optional("email"))
            return pages.render("user-created", user: user, realm: realm, ["created": ["id": created.id, "username": created.username], "password": password])
        } catch StorageError.duplicate {
            return try await users(user, realm: realm, error: "A user named \(username) exists already.")
        }
    }

    private func show(_ id: String, _ user: PortalUser, realm: String) async throws -> Response {
        guard let entry = try await self.realm.user(realm: realm, id: id) else {
            return pages.message(title: "Users", text: "No such user.", status: .notFound)
        }
        let roles = NexusOneRoles.all.map { role in ["role": role, "held": entry.roles.contains(role)] as [String: Any] }
        return pages.render(
            "admin-user", user: user, realm: realm,
            ["subject": ["id": id, "username": entry.user.username, "enabled": entry.user.enabled, "self": id == user.user.id], "roles": roles])
    }
}
