import Domain

/// Which credential may do what with keys (docs/security.md "Credentials and who may do what"), decided from the
/// actor's credential kind — the portal and the CLI say what they are, so nothing here can be fooled by a stand-in.
enum KeyPolicy {
    /// A Personal PSK is made, regenerated and deleted by its owner signed in (bearer token or portal session), or by the
    /// operator for them; never with a key, so a leaked key cannot mint or replace keys. Returns the owner.
    static func personalKeyOwner(_ actor: Principal, owner: String?) throws(KeyError) -> String {
        switch actor.credential {
        case .bearer, .portalSession:
            guard actor.managesOwnAccount else { throw .forbidden(AccountError.manage.message) }
            return actor.subject
        case .operatorCLI:
            guard let owner else { throw .forbidden("The operator names the user whose key this is.") }
            return owner
        case .personalKey, .serviceKey, .dataProductKey:
            throw .forbidden("A PSK cannot create, regenerate or delete a PSK; use a bearer token.")
        }
    }

    /// Every key of a realm (list, revoke, audit) is administered as the realm's users are (`Administration`,
    /// `manage-users`, which `nx1_admin` holds through `realm-admin`) signed in, by the server administrator, or by the
    /// operator — never with a key.
    static func authorizeAdministration(_ actor: Principal, realm: String) throws(KeyError) {
        guard !actor.credential.isKey else { throw .forbidden("Key administration needs a bearer token; a PSK cannot administer keys.") }
        do {
            try Administration.authorize(actor, realm: realm, .manageUsers)
        } catch {
            throw .forbidden("This action needs the role \(NexusOneRoles.admin) (or realm-management's manage-users).")
        }
    }

    /// Data-product keys are made, extended and deleted by whoever may manage the product (`Principal.mayManage`), with
    /// any credential of theirs — a Personal or deployment PSK too, as NexusOne's SDK authenticates only with a PSK. A
    /// data-product key reads its product and nothing more. Keys made through a PSK end with it (`MintedKeys`).
    static func authorizeProductKeys(_ actor: Principal) throws(KeyError) {
        guard actor.credential != .dataProductKey else { throw .forbidden("A data-product PSK only reads its data product.") }
    }
}
