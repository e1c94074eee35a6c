import Domain
import UseCases

/// Keycloak's `GroupRepresentation`. The brief form (lists) has the group's place in the tree; the full form adds its
/// attributes, its own role mappings and the caller's access.
package struct GroupRepresentation: Codable {
    var id: String?
    var name: String?
    var path: String?
    var parentId: String?
    var subGroupCount: Int?
    var subGroups: [GroupRepresentation]?
    var attributes: KeycloakAttributes?
    var realmRoles: [String]?
    var clientRoles: [String: [String]]?
    var access: [String: Bool]?
}

extension GroupRepresentation: StrictRepresentation {
    static let knownFields: Set<String> = [
        "id", "name", "description", "path", "parentId", "subGroupCount", "subGroups", "attributes", "realmRoles", "clientRoles", "access",
    ]

    init(_ group: Group, brief: Bool, subGroups: [GroupRepresentation] = []) {
        self.init(
            id: group.id, name: group.name, path: group.path, parentId: group.parentId, subGroupCount: group.subGroupCount, subGroups: subGroups,
            attributes: brief ? nil : KeycloakAttributes(values: group.attributes),
            access: brief ? nil : ["view": true, "viewMembers": true, "manageMembers": true, "manage": true, "manageMembership": true])
    }

    /// A search's answer: the group with the branches below it that lead to a match.
    init(_ branch: Groups.Branch, brief: Bool) {
        self.init(branch.group, brief: brief, subGroups: branch.below.map { GroupRepresentation($0, brief: brief) })
    }
}
