import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// The portal's groups for `nx1_admin` (portal.md "Admin"): the realm's tree by path, creating and deleting groups,
/// the NexusOne roles a group gives its members, and who is in it. A user's own groups are on their admin page.
struct GroupPages: Sendable {
    let groups: Groups
    let change: ChangeGroups
    let roleMappings: RoleMappings
    let pages: PortalPages

    /// `roleForm`: the user page's role form, which the group page shares.
    func addRoutes(
        to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing,
        roleForm: @escaping @Sendable (PortalForm, RoleHolder, PortalUser, String, String) async throws -> Response
    ) {
        portal.get("admin/groups", use: signedIn { _, _, user, realm in try await list(user, realm: realm) })
        portal.post("admin/groups", use: changing { form, _, user, realm in try await create(form, user, realm: realm) })
        portal.get("admin/groups/:group", use: signedIn { _, context, user, realm in
            try await show(try context.parameters.require("group"), user, realm: realm)
        })
        portal.post("admin/groups/:group/roles", use: changing { form, context, user, realm in
            let groupId = try context.parameters.require("group")
            return try await roleForm(form, .group(groupId), user, realm, "/portal/\(realm)/admin/groups/\(groupId)")
        })
        portal.post("admin/groups/:group/delete", use: changing { _, context, user, realm in
            try await change.delete(user.principal, realm: realm, id: try context.parameters.require("group"))
            return PortalPages.redirect("/portal/\(realm)/admin/groups")
        })
        portal.post("admin/users/:user/groups", use: changing { form, context, user, realm in
            let userId = try context.parameters.require("user")
            guard let groupId = form["group"], !groupId.isEmpty else {
                return pages.message(title: "Groups", text: "Choose a group.", status: .unprocessableContent)
            }
            try await change.membership(user.principal, realm: realm, userId: userId, groupId: groupId, join: form["action"] != "leave")
            return PortalPages.redirect("/portal/\(realm)/admin/users/\(userId)")
        })
    }

    private func list(_ user: PortalUser, realm: String, error: String? = nil) async throws -> Response {
        let all = try await groups.all(user.principal, realm: realm)
        let listed = all.map { ["id": $0.id, "path": $0.path, "below": $0.subGroupCount] as [String: Any] }
        return pages.render(
            "admin-groups", user: user, realm: realm, ["groups": listed, "hasGroups": !all.isEmpty, "error": error as Any],
            status: error == nil ? .ok : .unprocessableContent)
    }

    private func create(_ form: PortalForm, _ user: PortalUser, realm: String) async throws -> Response {
        let parent = form["parent"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let name = try GroupName((form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            let group = try await change.create(user.principal, realm: realm, parentId: parent, name: name, attributes: nil)
            return PortalPages.redirect("/portal/\(realm)/admin/groups/\(group.id)")
        } catch let error as ValueError {
            return try await list(user, realm: realm, error: "Name: \(error.message)")
        } catch AdministrationError.exists(_, let name) {
            return try await list(user, realm: realm, error: "A group named \(name) exists already there.")
        }
    }

    private func show(_ id: String, _ user: PortalUser, realm: String) async throws -> Response {
        let group = try await groups.find(user.principal, realm: realm, id: id)
        let mapped = Set(try await roleMappings.direct(user.principal, realm: realm, holder: .group(id)).filter { $0.clientId == nil }.map(\.name))
        let roles = NexusOneRoles.all.map { role in ["role": role, "held": mapped.contains(role)] as [String: Any] }
        let members = try await groups.members(user.principal, realm: realm, of: id, window: ListWindow(max: 500)).map { member in
            ["id": member.id, "username": member.username]
        }
        return pages.render(
            "admin-group", user: user, realm: realm,
            ["group": ["id": group.id, "path": group.path, "name": group.name], "roles": roles, "members": members, "hasMembers": !members.isEmpty])
    }

    /// The user's groups, and the others they could join, for the user's admin page.
    func membership(of userId: String, _ user: PortalUser, realm: String) async throws -> [String: Any] {
        let joined = try await groups.of(user.principal, realm: realm, userId: userId, search: nil, window: .all)
        let joinedIds = Set(joined.map(\.id))
        let others = try await groups.all(user.principal, realm: realm).filter { !joinedIds.contains($0.id) }
        return [
            "groups": joined.map { ["id": $0.id, "path": $0.path] }, "joinable": others.map { ["id": $0.id, "path": $0.path] },
            "canJoin": !others.isEmpty,
        ]
    }
}
