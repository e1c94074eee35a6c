import Domain
import SQLKit
import Storage

/// Keycloak's `duplicateEmailsAllowed: false`: a user's new e-mail address must not be another user's of the realm.
/// Checked under the realm's row lock in the caller's transaction, so two users given one address at the same moment
/// cannot both keep it (a unique index cannot say it, since realms choose). Addresses compare without case.
enum UniqueEmail {
    static func check(_ email: String?, userId: String, realm: String, on sql: any SQLDatabase) async throws {
        guard let email, !email.isEmpty else { return }
        guard let locked = try await RealmStore(sql).lock(realm), !locked.duplicateEmailsAllowed else { return }
        if try await UserStore(sql).emailTaken(realm: realm, email: email, exceptId: userId) {
            throw AdministrationError.exists(.email, name: email)
        }
    }
}
