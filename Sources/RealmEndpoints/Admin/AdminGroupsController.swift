import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/admin/realms/{realm}/groups…` and `/group-by-path/…`: the realm's group tree and its members. Role mappings on a
/// group are `AdminRoleMappingsController`'s; a user's groups are `AdminUserGroupsController`'s.
struct AdminGroupsController: Sendable {
    let groups: Groups
    let change: ChangeGroups
    let roleMappings: RoleMappings
    let clients: Clients
    let baseURL: String

    func addRoutes(to realm: RouterGroup<AdminContext>) {
        realm.get("groups", use: list)
        realm.post("groups", use: createTop)
        realm.get("groups/count", use: count)
        realm.get("groups/:group", use: show)
        realm.put("groups/:group", use: update)
        realm.delete("groups/:group", use: delete)
        realm.get("groups/:group/children", use: children)
        realm.post("groups/:group/children", use: createChild)
        realm.get("groups/:group/members", use: members)
        realm.get("group-by-path/**", use: byPath)
    }

    /// Top-level groups; with `search` or `q=name:value …`, the groups that match with the branches leading to them
    /// (`populateHierarchy=false`: the matches alone).
    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let realm = try context.parameters.require("realm")
        let brief = query.brief(default: true)
        let window = try query.window()
        let search = query.string("search").map { query.flag("exact") == true ? TextMatch.equals($0) : .contains($0) }
        let attributes = AdminUsersController.attributeQuery(query.string("q"))
        guard search != nil || attributes != nil else {
            return JSONBody.response(try await groups.top(context.principal, realm: realm, window: window).map { GroupRepresentation($0, brief: brief) })
        }
        let branches = try await groups.search(context.principal, realm: realm, search, attributes: attributes ?? [:], window: window)
        if query.flag("populateHierarchy") == false {
            func matches(_ branch: Groups.Branch) -> [Group] {
                (branch.isMatch ? [branch.group] : []) + branch.below.flatMap(matches)
            }
            return JSONBody.response(branches.flatMap(matches).map { GroupRepresentation($0, brief: brief) })
        }
        return JSONBody.response(branches.map { GroupRepresentation($0, brief: brief) })
    }

    /// `{"count": n}`: every group, the top-level ones (`top=true`), or those whose name matches `search`.
    @Sendable func count(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let count = try await groups.count(
            context.principal, realm: try context.parameters.require("realm"), search: query.string("search").map { .contains($0) },
            topOnly: query.flag("top") == true)
        return JSONBody.response(["count": count])
    }

    @Sendable func createTop(_ request: Request, context: AdminContext) async throws -> Response {
        try await create(request, context, parentId: nil)
    }

    @Sendable func createChild(_ request: Request, context: AdminContext) async throws -> Response {
        try await create(request, context, parentId: try context.parameters.require("group"))
    }

    private func create(_ request: Request, _ context: AdminContext, parentId: String?) async throws -> Response {
        let body = try await request.decode(as: GroupRepresentation.self, context: context)
        // Keycloak moves an existing group when its id is posted here; moving is not offered (docs/keycloak.md).
        guard body.id == nil else { throw AdminError.badRequest("Moving a group is not supported; create it anew") }
        let group = try await change.create(
            context.principal, realm: try context.parameters.require("realm"), parentId: parentId, name: try GroupName(body.name),
            attributes: try body.attributes.map { try UserAttributes($0.values) })
        // Keycloak's Location is the group's own URL, also for a child (not …/children/{id}).
        var path = request.uri.path
        if parentId != nil, let children = path.range(of: "/groups/", options: .backwards) { path = String(path[..<children.lowerBound]) + "/groups" }
        return Response(status: .created, headers: [.location: "\(baseURL)\(path.hasSuffix("/") ? String(path.dropLast()) : path)/\(group.id)"])
    }

    /// The full representation: attributes, the group's own realm and client role mappings, the caller's access.
    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, id) = (try context.parameters.require("realm"), try context.parameters.require("group"))
        var representation = GroupRepresentation(try await groups.find(context.principal, realm: realm, id: id), brief: false)
        // Someone who may see this group through its `view` permission, but not roles, gets it without them.
        let mapped: [Role]
        do {
            mapped = try await roleMappings.direct(context.principal, realm: realm, holder: .group(id))
        } catch AdministrationError.forbidden {
            return JSONBody.response(representation)
        }
        representation.realmRoles = mapped.filter { $0.clientId == nil }.map(\.name)
        var clientRoles: [String: [String]] = [:]
        if mapped.contains(where: { $0.clientId != nil }) {
            for client in try await clients.all(context.principal, realm: realm) {
                let names = mapped.filter { $0.clientId == client.id }.map(\.name)
                if !names.isEmpty { clientRoles[client.clientId] = names }
            }
        }
        representation.clientRoles = clientRoles
        return JSONBody.response(representation)
    }

    /// Renames the group and replaces its attributes (when given); subgroups are left as they are.
    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: GroupRepresentation.self, context: context)
        try await change.update(
            context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("group"),
            name: try body.name.map { try GroupName($0) }, attributes: try body.attributes.map { try UserAttributes($0.values) })
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        try await change.delete(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("group"))
        return Response(status: .noContent)
    }

    @Sendable func children(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let search = query.string("search").map { query.flag("exact") == true ? TextMatch.equals($0) : .contains($0) }
        let found = try await groups.children(
            context.principal, realm: try context.parameters.require("realm"), of: try context.parameters.require("group"), search: search,
            window: try query.window())
        let brief = query.brief(default: false)
        return JSONBody.response(found.map { GroupRepresentation($0, brief: brief) })
    }

    /// Direct members, by username; 100 at a time unless `max` says otherwise.
    @Sendable func members(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let found = try await groups.members(
            context.principal, realm: try context.parameters.require("realm"), of: try context.parameters.require("group"),
            window: try query.window(defaultMax: 100))
        let brief = query.brief(default: false)
        return JSONBody.response(found.map { UserRepresentation($0, brief: brief) })
    }

    /// `/group-by-path/top/child`: the full representation, or 404 `Group path does not exist`.
    @Sendable func byPath(_ request: Request, context: AdminContext) async throws -> Response {
        // Each step as Keycloak reads it, percent-decoded (`a%20b` is the group "a b").
        let path = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }.joined(separator: "/")
        guard let group = try await groups.find(context.principal, realm: try context.parameters.require("realm"), path: path) else {
            throw AdminError.notFound("Group path does not exist")
        }
        return JSONBody.response(GroupRepresentation(group, brief: false))
    }
}

/// `/admin/realms/{realm}/users/{id}/groups…`: the groups a user is in, joining and leaving.
struct AdminUserGroupsController: Sendable {
    let groups: Groups
    let change: ChangeGroups

    func addRoutes(to user: RouterGroup<AdminContext>) {
        user.get("groups", use: list)
        user.get("groups/count", use: count)
        user.put("groups/:group", use: join)
        user.delete("groups/:group", use: leave)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let found = try await groups.of(
            context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"),
            search: query.string("search").map { .contains($0) }, window: try query.window())
        let brief = query.brief(default: true)
        return JSONBody.response(found.map { GroupRepresentation($0, brief: brief) })
    }

    @Sendable func count(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let count = try await groups.count(
            context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"),
            search: query.string("search").map { .contains($0) })
        return JSONBody.response(["count": count])
    }

    @Sendable func join(_ request: Request, context: AdminContext) async throws -> Response {
        try await membership(context, join: true)
    }

    @Sendable func leave(_ request: Request, context: AdminContext) async throws -> Response {
        try await membership(context, join: false)
    }

    private func membership(_ context: AdminContext, join: Bool) async throws -> Response {
        try await change.membership(
            context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"),
            groupId: try context.parameters.require("group"), join: join)
        return Response(status: .noContent)
    }
}
