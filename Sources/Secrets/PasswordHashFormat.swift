/// How a stored password hash says what it is. Ours are bcrypt (`$2b$…`); hashes imported from Keycloak keep their
/// algorithm until the user's first sign-in rehashes them: `$keycloak-pbkdf2-sha256$<iterations>$<salt>$<key>` (salt
/// and key base64, as Keycloak stores them) and Argon2's own encoded form (`$argon2id$v=19$m=…,t=…,p=…$<salt>$<key>`).
public enum PasswordHashFormat {
    static let keycloakPrefix = "$keycloak-"

    /// The algorithm's name as Keycloak's credential list shows it.
    public static func algorithm(of hash: String) -> String {
        if hash.hasPrefix(keycloakPrefix) {
            return String(hash.dropFirst(keycloakPrefix.count).prefix { $0 != "$" })
        }
        if hash.hasPrefix("$argon2") { return "argon2" }
        return "bcrypt"
    }
}
