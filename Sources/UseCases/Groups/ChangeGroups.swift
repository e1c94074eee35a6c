import Domain
import SQLKit
import Storage

/// Creating, renaming and deleting a realm's groups, and who is in them (Keycloak's admin REST). Each change is one
/// transaction and is announced, so every node's cached roles of the members are dropped at once.
public struct ChangeGroups: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// A group at the top level (`parentId` nil) or below another; a sibling of the same name is a conflict.
    /// `manage-users`; below a group, its `manage` permission will do.
    public func create(_ actor: Principal, realm: String, parentId: String?, name: GroupName, attributes: UserAttributes?) async throws -> Group {
        if parentId == nil { try Administration.authorize(actor, realm: realm, .manageUsers) }
        let id = Identifiers.uuid()
        return try await refusingConflicts(name.value) {
            try await changes.commit { sql in
                if let parentId {
                    try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, group: parentId, .manage, on: sql)
                    let parent = try await Groups.require(parentId, realm: realm, on: sql)
                    guard parent.depth < Group.maximumDepth else {
                        throw AdministrationError.refused("Groups nest at most \(Group.maximumDepth) deep")
                    }
                }
                try await GroupStore(sql).insert(id: id, realm: realm, parentId: parentId, name: name.value, attributes: attributes?.values ?? [:])
                return try await Groups.require(id, realm: realm, on: sql)
            }
        }
    }

    /// Renames a group and replaces its attributes when given; what is not given stays (Keycloak's `PUT`, which ignores
    /// subgroups).
    public func update(_ actor: Principal, realm: String, id: String, name: GroupName?, attributes: UserAttributes?) async throws {
        try await refusingConflicts(name?.value ?? "") {
            try await changes.commit { sql in
                try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, group: id, .manage, on: sql)
                let group = try await Groups.require(id, realm: realm, on: sql)
                try await GroupStore(sql).update(id: id, name: name?.value ?? group.name, attributes: attributes?.values ?? group.attributes)
            }
        }
    }

    /// Deletes the group and every group below it; their members lose the roles they held through them.
    public func delete(_ actor: Principal, realm: String, id: String) async throws {
        try await changes.commit { sql in
            try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, group: id, .manage, on: sql)
            _ = try await Groups.require(id, realm: realm, on: sql)
            try await Self.requireMayDelete(actor, groupId: id, realm: realm, on: sql)
            try await GroupStore(sql).delete(id: id)
            try await GroupPermissions.forgetDeleted(realm: realm, on: sql)
        }
    }

    /// Puts a user in a group (`join`) or takes them out; the user is looked for first, as Keycloak does.
    /// `manage-users`; or the group's `manage-membership` permission together with `manage-members` over the user
    /// (through a group they are already in), as Keycloak asks — membership alone would let one pull anyone into a group
    /// one manages the members of. And what `requireMayChangeMembers` asks.
    public func membership(_ actor: Principal, realm: String, userId: String, groupId: String, join: Bool) async throws {
        do {
            try await changes.commit(onUser: userId, realm: realm) { _, sql in
                try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, group: groupId, .manageMembership, on: sql)
                try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, member: userId, .manageMembers, on: sql)
                _ = try await Groups.require(groupId, realm: realm, on: sql)
                try await Self.requireMayChangeMembers(actor, groupId: groupId, userId: userId, realm: realm, on: sql)
                if join { try await GroupStore(sql).addMember(groupId: groupId, userId: userId) } else {
                    try await GroupStore(sql).removeMember(groupId: groupId, userId: userId)
                }
            }
        } catch StorageError.missingReference {
            // The group (or the user) was deleted between the check and the write.
            throw AdministrationError.notFound(.group)
        }
    }

    /// Joining or leaving a group that carries roles (its own or those of a group above it) grants or takes away
    /// those roles, so it needs what changing role mappings needs (`ChangeRoleMappings`); a group without roles is a
    /// matter of `manage-users` alone.
    static func requireMayChangeMembers(_ actor: Principal, groupId: String, userId: String, realm: String, on sql: any SQLDatabase) async throws {
        let groups = GroupStore(sql)
        let roles = try await groups.roles(ofGroups: try await groups.withAncestors([groupId]))
        if !roles.isEmpty { try Administration.authorize(actor, realm: realm, .manageRealm) }
        try await PrivilegeGuard.requireHolds(actor, rightsOf: roles, realm: realm, on: sql)
        try await PrivilegeGuard.requireOutranks(actor, userId: userId, realm: realm, on: sql)
    }

    /// Deleting a group takes its members (and those of every group below it) out, so where that takes roles away it
    /// needs what taking them out one by one needs: `manage-realm`, every right those roles carry, and outranking each
    /// member.
    static func requireMayDelete(_ actor: Principal, groupId: String, realm: String, on sql: any SQLDatabase) async throws {
        let groups = GroupStore(sql)
        var subtree = [groupId]
        var frontier = [groupId]
        while let next = frontier.popLast() {
            let children = try await groups.children(realm: realm, parentId: next).map(\.id)
            subtree += children
            frontier += children
        }
        let roles = try await groups.roles(ofGroups: try await groups.withAncestors(subtree))
        guard !roles.isEmpty else { return }
        try Administration.authorize(actor, realm: realm, .manageRealm)
        try await PrivilegeGuard.requireHolds(actor, rightsOf: roles, realm: realm, on: sql)
        for group in subtree {
            for member in try await groups.members(groupId: group, window: .all) {
                try await PrivilegeGuard.requireOutranks(actor, userId: member.id, realm: realm, on: sql)
            }
        }
    }

    private func refusingConflicts<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.group, name: name)
        } catch StorageError.missingReference {
            throw AdministrationError.notFound(.group)
        }
    }
}
