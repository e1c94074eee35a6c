import Domain

/// Who may administer a realm (users, clients, roles, settings): the server administrator (the master realm's
/// `admin`), the realm's own `nx1_admin` when signed in (bearer token or portal session), and the operator at the
/// command line. A key never administers a realm.
public enum Administration {
    public static func isServerAdmin(_ actor: Principal) -> Bool {
        !actor.credential.isKey && actor.realm == Realm.master && actor.has(role: MasterRealm.adminRole)
    }

    /// The master realm is the server administrator's alone: its `nx1_admin`s could otherwise make themselves that.
    public static func authorize(_ actor: Principal, realm: String) throws(AdministrationError) {
        if actor.credential == .operatorCLI || isServerAdmin(actor) { return }
        guard !actor.credential.isKey, realm != Realm.master, actor.realm == realm, actor.has(role: NexusOneRoles.admin) else { throw .forbidden }
    }
}

/// What administering a realm refuses.
public enum AdministrationError: UseCaseError, Equatable {
    public enum Subject: String, Sendable {
        case realm, client, user, role, credential, group, session
        /// A client named by its `clientId` where Keycloak says "Client not found" (consents).
        case clientByClientId
        /// A user's offline tokens with one client.
        case consent
        case requiredAction
        /// A user's e-mail address, which another user of the realm has (`duplicateEmailsAllowed` off).
        case email
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
        case .forbidden: "Administering this realm needs the role \(NexusOneRoles.admin), signed in."
        case .refused(let reason): reason
        }
    }
}
