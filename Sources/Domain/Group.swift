/// A group of a realm's users, as Keycloak has them: a tree by `parentId`. A member holds the roles mapped to the group
/// and to every group above it.
public struct Group: Sendable, Equatable {
    public var id: String
    public var realm: String
    /// nil for a top-level group.
    public var parentId: String?
    public var name: String
    /// `/top/child/…`: the names from the top-level group down, as Keycloak's `path`.
    public var path: String
    public var attributes: [String: [String]]
    /// How many groups sit directly below this one.
    public var subGroupCount: Int

    /// 1 for a top-level group.
    public var depth: Int { path.split(separator: "/").count }

    /// How deep the tree may grow: deep enough for any organisation chart, shallow enough that a path, a search's
    /// branches and an export stay small (an export nested ~260 deep fails to encode).
    public static let maximumDepth = 50

    public init(
        id: String, realm: String, parentId: String?, name: String, path: String, attributes: [String: [String]] = [:], subGroupCount: Int = 0
    ) {
        (self.id, self.realm, self.parentId, self.name, self.path) = (id, realm, parentId, name, path)
        (self.attributes, self.subGroupCount) = (attributes, subGroupCount)
    }
}

/// Who a role mapping is on: a user, or a group (whose members then hold the role).
public enum RoleHolder: Sendable, Equatable {
    case user(String)
    case group(String)
}
