import Domain

/// Who may administer a realm (users, clients, roles, settings): the server administrator (the master realm's
/// `admin`), the operator at the command line, and — each for what their `realm-management` roles allow — the realm's
/// own people when signed in (bearer token or portal session): `realm-admin` (which `nx1_admin` contains) for
/// everything, `manage-users` for users, `view-clients` for reading clients, and so on. A key never administers a realm.
public enum Administration {
    public static func isServerAdmin(_ actor: Principal) -> Bool {
        !actor.credential.isKey && actor.realm == Realm.master && actor.has(role: MasterRealm.adminRole)
    }

    /// Whether `actor` may do what `right` stands for in `realm`. The master realm is the server administrator's alone:
    /// its other administrators could otherwise make themselves that.
    public static func authorize(_ actor: Principal, realm: String, _ right: AdminRight) throws(AdministrationError) {
        if actor.credential == .operatorCLI || isServerAdmin(actor) { return }
        guard !actor.credential.isKey, realm != Realm.master, actor.realm == realm, actor.may(right) else { throw .forbidden }
    }

    /// Whether `actor` administers anything at all in `realm` (what shows the portal's admin pages).
    public static func administersAnything(_ actor: Principal, realm: String) -> Bool {
        AdminRight.allCases.contains { (try? authorize(actor, realm: realm, $0)) != nil }
    }

    /// What any right in administering `realm` allows: reading its roles and its representation.
    public static func authorizeAny(_ actor: Principal, realm: String) throws(AdministrationError) {
        guard administersAnything(actor, realm: realm) else { throw .forbidden }
    }
}

/// What administering a realm refuses.
public enum AdministrationError: UseCaseError, Equatable {
    public enum Subject: String, Sendable {
        case realm, client, user, role, credential, group, session
        /// A role named as a part of a composite (Keycloak: "Could not find composite role").
        case compositeRole
        /// A role named by id in its own path (`/roles-by-id/{id}`).
        case roleById
        /// A client scope named in its own path (`/client-scopes/{id}`), and one named as what to add elsewhere.
        case clientScope, clientScopeById
        /// A protocol mapper, and a mapper type this server does not run.
        case mapper, mapperType
        /// Anything a partial import finds already there (its name says what).
        case resource
        /// A client named by its `clientId` where Keycloak says "Client not found" (consents).
        case clientByClientId
        /// A user's offline tokens with one client.
        case consent
        case requiredAction
        /// A user's e-mail address, which another user of the realm has (`duplicateEmailsAllowed` off).
        case email
        /// A client's authorization services, when they are off; a resource, authorization scope or policy of them.
        case resourceServer, authzResource, authzScope, authzPolicy
    }

    case notFound(Subject)
    case exists(Subject, name: String)
    case forbidden
    /// A rule of the product ("the master realm cannot be deleted"), said as it is.
    case refused(String)

    public var kind: UseCaseErrorKind {
        switch self {
        case .notFound: .notFound
        case .exists: .conflict
        case .forbidden: .forbidden
        case .refused: .refused
        }
    }

    public var message: String {
        switch self {
        case .notFound(let subject): "No such \(subject.rawValue)."
        case .exists(.email, _): "Another user of this realm has that e-mail address."
        case .exists(let subject, let name): "A \(subject.rawValue) named \(name) exists already."
        case .forbidden: "Administering this realm needs the role \(NexusOneRoles.admin), or a role of realm-management that allows this, signed in."
        case .refused(let reason): reason
        }
    }
}
