import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// Administration for `nx1_admin` (portal.md "Admin"): users — create with a one-time password, disable, assign and
/// remove roles, the only way a non-administrator gets one, and their groups (`GroupPages`) —, clients (regenerate a secret, shown once), every key of
/// the realm (revoke) and the audit log. The use cases decide who may; anyone else gets their 403 on every admin page.
struct AdminPages: Sendable {
    let users: Users
    let createUser: CreateUser
    let updateUser: UpdateUser
    let changeRoles: ChangeRoleMappings
    let clients: Clients
    let rotateSecret: RotateClientSecret
    let keys: Keys
    let revokeKey: RevokeKey
    let groups: GroupPages
    let pages: PortalPages

    func addRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("admin/users", use: signedIn { _, _, user, realm in try await list(user, realm: realm) })
        portal.post("admin/users", use: changing { form, _, user, realm in try await create(form, user, realm: realm) })
        portal.get("admin/users/:user", use: signedIn { _, context, user, realm in
            try await show(try context.parameters.require("user"), user, realm: realm)
        })
        portal.post("admin/users/:user/roles", use: changing { form, context, user, realm in
            let userId = try context.parameters.require("user")
            return try await changeNexusOneRole(form, of: .user(userId), by: user, realm: realm, then: "/portal/\(realm)/admin/users/\(userId)")
        })
        portal.post("admin/users/:user/enabled", use: changing { form, context, user, realm in
            let userId = try context.parameters.require("user")
            _ = try await updateUser(user.principal, realm: realm, userId: userId, UserProfile(enabled: form["enabled"] == "true"))
            return PortalPages.redirect("/portal/\(realm)/admin/users/\(userId)")
        })
        portal.get("admin/clients", use: signedIn { _, _, user, realm in
            let listed = try await clients.all(user.principal, realm: realm).map { client in
                ["id": client.id, "clientId": client.clientId, "confidential": !client.isPublic, "enabled": client.enabled] as [String: Any]
            }
            return pages.render("admin-clients", user: user, realm: realm, ["clients": listed])
        })
        portal.post("admin/clients/:id/secret", use: changing { _, context, user, realm in
            let (client, secret) = try await rotateSecret(user.principal, realm: realm, clientInternalId: try context.parameters.require("id"))
            return pages.render("secret-shown", user: user, realm: realm, ["clientId": client.clientId, "secret": secret])
        })
    }

    func addKeyRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("admin/keys", use: signedIn { _, _, user, realm in
            let listed = try await keys.all(user.principal, realm: realm).map { entry in
                [
                    "id": entry.key.id, "kind": entry.key.kind.rawValue, "owner": entry.username, "hint": entry.key.hint,
                    "description": entry.key.description, "lastUsed": entry.key.lastUsedAt.map(SettingsPages.date) ?? "Never",
                    "revocable": entry.key.isActive && !entry.key.isDeleted,
                ] as [String: Any]
            }
            return pages.render("admin-keys", user: user, realm: realm, ["keys": listed])
        })
        portal.post("admin/keys/:id/revoke", use: changing { _, context, user, realm in
            try await revokeKey(user.principal, realm: realm, keyId: try context.parameters.require("id"), address: context.remoteAddress)
            return PortalPages.redirect("/portal/\(realm)/admin/keys")
        })
        portal.get("admin/audit", use: signedIn { _, _, user, realm in
            let events = try await keys.audit(user.principal, realm: realm, action: nil, limit: 200).map { event in
                [
                    "at": SettingsPages.date(event.at), "action": event.action.rawValue, "actor": event.actorId ?? "—", "hint": event.hint ?? "",
                    "address": event.address ?? "", "detail": event.detail,
                ]
            }
            return pages.render("admin-audit", user: user, realm: realm, ["events": events])
        })
    }

    /// The role forms of the user and group pages: assign or remove one NexusOne role, then back to the page.
    func changeNexusOneRole(_ form: PortalForm, of holder: RoleHolder, by user: PortalUser, realm: String, then page: String) async throws -> Response {
        guard let role = form["role"], NexusOneRoles.all.contains(role) else {
            return pages.message(title: "Roles", text: "Choose one of the NexusOne roles.", status: .unprocessableContent)
        }
        try await changeRoles(user.principal, realm: realm, holder: holder, roles: [.init(name: role)], grant: form["action"] == "assign")
        return PortalPages.redirect(page)
    }

    private func list(_ user: PortalUser, realm: String, error: String? = nil) async throws -> Response {
        let listed = try await users.people(user.principal, realm: realm).map { entry in
            [
                "id": entry.user.id, "username": entry.user.username, "name": [entry.user.firstName, entry.user.lastName].compactMap { $0 }.joined(separator: " "),
                "enabled": entry.user.enabled, "roles": entry.roles.filter(NexusOneRoles.isProductRole).joined(separator: ", "),
            ] as [String: Any]
        }
        return pages.render("admin-users", user: user, realm: realm, ["users": listed, "error": error as Any], status: error == nil ? .ok : .unprocessableContent)
    }

    private func create(_ form: PortalForm, _ user: PortalUser, realm: String) async throws -> Response {
        let username: Identifier
        do {
            username = try Identifier.username((form["username"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return try await list(user, realm: realm, error: "Username: \(error.message)")
        }
        func optional(_ name: String) -> String? {
            form[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        do {
            let (created, password) = try await createUser(
                user.principal, realm: realm,
                .init(
                    username: username, profile: UserProfile(email: optional("email").map { Optional($0) }, firstName: optional("first_name"), lastName: optional("last_name")),
                    password: .oneTime))
            return pages.render(
                "user-created", user: user, realm: realm, ["created": ["id": created.id, "username": created.username], "password": password ?? ""])
        } catch AdministrationError.exists {
            return try await list(user, realm: realm, error: "A user named \(username.value) exists already.")
        } catch let error as ValueError {
            return try await list(user, realm: realm, error: "\(Self.label(of: error.field)): \(error.message)")
        }
    }

    /// The form's label for a field a use case names (Keycloak's names), so the message says which input to fix.
    static func label(of field: String) -> String {
        switch field {
        case "firstName": "First name"
        case "lastName": "Last name"
        case "email": "Email"
        default: field
        }
    }

    private func show(_ id: String, _ user: PortalUser, realm: String) async throws -> Response {
        let entry = try await users.person(user.principal, realm: realm, id: id)
        let roles = NexusOneRoles.all.map { role in ["role": role, "held": entry.roles.contains(role)] as [String: Any] }
        var values = try await groups.membership(of: id, user, realm: realm)
        values["subject"] = ["id": id, "username": entry.user.username, "enabled": entry.user.enabled, "self": id == user.user.id]
        values["roles"] = roles
        return pages.render("admin-user", user: user, realm: realm, values)
    }
}
