/// Keycloak's fine-grained admin permissions on one group: what someone without the realm-wide right may be allowed on
/// that group alone, decided by the permissions `realm-management`'s resource server holds for it. Each is a scope of
/// the group's resource `group.resource.{id}`, guarded by the scope permission `{scope}.permission.group.{id}`.
public enum GroupPermission: String, Sendable, CaseIterable {
    /// See the group (what `query-groups` allows for every group).
    case view
    /// Rename it, change its attributes, add or delete groups below it (`manage-users` for every group).
    case manage
    /// See its members and their accounts (`view-users` for everyone).
    case viewMembers = "view-members"
    /// Change, reset the password of and sign out its members (`manage-users` for everyone).
    case manageMembers = "manage-members"
    /// Put users in the group and take them out.
    case manageMembership = "manage-membership"

    public static func resourceName(group id: String) -> String { "group.resource.\(id)" }
    public func permissionName(group id: String) -> String { "\(rawValue).permission.group.\(id)" }
    /// The resource type Keycloak gives group resources.
    public static let resourceType = "Group"
}
