import Domain
import SQLKit
import Storage

/// The file's group tree, its role mappings and who is in it. Groups are matched by path, so a second import finds
/// them in place.
extension RealmImportRun {
    // MARK: Groups

    mutating func groups() async throws {
        for group in document.groups ?? [] { try await importGroup(group, parentId: nil, parentPath: "", depth: 1) }
    }

    private mutating func importGroup(_ file: KeycloakRealmDocument.Group, parentId: String?, parentPath: String, depth: Int) async throws {
        let path = parentPath + "/" + file.name
        guard depth <= Group.maximumDepth else {
            report.notes.append("Group \(path) not imported, nor the groups below it: groups nest at most \(Group.maximumDepth) deep")
            return
        }
        guard let name = try? GroupName(file.name), let attributes = try? UserAttributes(file.attributes ?? [:]) else {
            report.notes.append("Group \(path) not imported, nor the groups below it: invalid name or attributes")
            return
        }
        let store = GroupStore(sql)
        let id: String
        var (created, changed) = (false, false)
        if let existing = try await store.child(realm: realmName, parentId: parentId, named: name.value) {
            id = existing.id
            if file.attributes != nil && existing.attributes != attributes.values {
                try await store.update(id: id, name: existing.name, attributes: attributes.values)
                changed = true
            }
        } else {
            id = try await IdentifierLedger.reuse(file.id, in: .groups, on: sql)
            try await store.insert(id: id, realm: realmName, parentId: parentId, name: name.value, attributes: attributes.values)
            created = true
        }
        let held = Set(try await store.roles(ofGroups: [id]).map(\.id))
        for (clientId, roleName) in Self.roleNames(realm: file.realmRoles, client: file.clientRoles) {
            guard let role = try await findRole(clientId: clientId, name: roleName) else {
                report.notes.append("Role \(clientId.map { "\($0)/" } ?? "")\(roleName) of group \(path) not mapped: no such role")
                continue
            }
            guard !held.contains(role.id) else { continue }
            try await store.grant(groupId: id, roleId: role.id)
            changed = true
        }
        if created {
            report.groups.created += 1
        } else if changed {
            report.groups.updated += 1
        } else {
            report.groups.unchanged += 1
        }
        for child in file.subGroups ?? [] { try await importGroup(child, parentId: id, parentPath: path, depth: depth + 1) }
    }

    /// Puts the user in the groups the file names (by path) that they are not in yet; returns whether it added any.
    mutating func joinGroups(of file: KeycloakRealmDocument.User, userId: String) async throws -> Bool {
        let store = GroupStore(sql)
        let joined = Set(try await store.groups(ofUser: userId).map(\.path))
        var added = false
        for path in file.groups ?? [] where !joined.contains(path) {
            var group: Group?
            for name in path.split(separator: "/").map(String.init) {
                group = try await store.child(realm: realmName, parentId: group?.id, named: name)
                if group == nil { break }
            }
            guard let group else {
                report.notes.append("Membership of \(file.username) in \(path) not imported: no such group")
                continue
            }
            try await store.addMember(groupId: group.id, userId: userId)
            added = true
        }
        return added
    }
}
