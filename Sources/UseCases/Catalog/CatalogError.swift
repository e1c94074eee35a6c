import Domain

/// What changing a realm's domains refuses.
public enum CatalogError: UseCaseError, Equatable {
    case notFound(String)
    case exists(String)
    case unknownTable(String)
    case forbidden

    public var kind: UseCaseErrorKind {
        switch self {
        case .notFound: .notFound
        case .exists: .conflict
        case .unknownTable: .invalid(field: "tables", rule: .range)
        case .forbidden: .forbidden
        }
    }

    public var message: String {
        switch self {
        case .notFound(let name): "No such domain: \(name)"
        case .exists(let name): "A domain named \(name) exists already"
        case .unknownTable(let name): "The warehouse has no table named '\(name)'"
        case .forbidden: "This action needs the role \(NexusOneRoles.admin) (or realm-management's manage-realm)."
        }
    }

    /// Domains are changed as the realm is administered (`Administration`): never with a key.
    static func authorize(_ actor: Principal) throws(CatalogError) {
        do {
            try Administration.authorize(actor, realm: actor.realm, .manageRealm)
        } catch {
            throw .forbidden
        }
    }
}
