import Domain
import Foundation
import Secrets
import SQLKit
import Storage

/// The file's users: profiles, password credentials as this server stores them, role mappings, group memberships.
extension RealmImportRun {
    // MARK: Users

    mutating func users() async throws {
        var otherCredentials = 0
        for file in document.users ?? [] {
            otherCredentials += (file.credentials ?? []).filter { $0.type != "password" }.count
            if let clientId = file.serviceAccountClientId {
                try await serviceAccountRoles(file, clientId: clientId)
            } else {
                try await user(file)
            }
        }
        if otherCredentials > 0 { report.notes.append("\(otherCredentials) credential(s) other than passwords (OTP, WebAuthn) not imported") }
    }

    private mutating func user(_ file: KeycloakRealmDocument.User) async throws {
        guard let username = try? Identifier.username(file.username) else {
            report.notes.append("User \"\(file.username)\" not imported: invalid username")
            return
        }
        guard let attributes = try? UserAttributes(file.attributes ?? [:]) else {
            report.notes.append("User \(username.value) not imported: too many or too long attributes")
            return
        }
        let store = UserStore(sql)
        if let existing = try await store.find(realm: realmName, username: username.value) {
            let changed = try await store.change(
                realm: realmName, id: existing.id, email: file.email.map { Optional($0) }, firstName: file.firstName, lastName: file.lastName,
                enabled: file.enabled, emailVerified: file.emailVerified, mustChangePassword: nil,
                attributes: file.attributes == nil ? nil : attributes.values)
            // Disabled by the file: what they hold ends now, as when an administrator disables them.
            if existing.enabled && file.enabled == false {
                try await UserAccess.disable(userId: existing.id, realm: realmName, actor: .operatorCLI(realm: realmName), now: now, on: sql)
            }
            let granted = try await grantRoles(of: file, to: existing.id)
            let joined = try await joinGroups(of: file, userId: existing.id)
            if changed != existing || granted || joined { report.users.updated += 1 } else { report.users.unchanged += 1 }
            return
        }
        let password = self.password(of: file, username: username.value)
        let user = User(
            id: try await IdentifierLedger.reuse(file.id, in: .users, on: sql), realm: realmName, username: username.value,
            email: file.email.flatMap { $0.isEmpty ? nil : $0 }, firstName: file.firstName, lastName: file.lastName, enabled: file.enabled ?? true,
            emailVerified: file.emailVerified ?? false,
            mustChangePassword: password.mustChange || (file.requiredActions ?? []).contains("UPDATE_PASSWORD"),
            createdAt: file.createdTimestamp.map { $0 / 1000 } ?? now, attributes: attributes.values)
        try await store.insert(user, passwordHash: password.hash)
        _ = try await grantRoles(of: file, to: user.id)
        _ = try await joinGroups(of: file, userId: user.id)
        report.users.created += 1
    }

    /// The user's password credential as this server stores it; Argon2 without libargon2 leaves the user without one.
    private mutating func password(of file: KeycloakRealmDocument.User, username: String) -> (hash: String?, mustChange: Bool) {
        guard let credential = file.credentials?.first(where: { $0.type == "password" }) else { return (nil, false) }
        guard let stored = KeycloakPasswordCredential(credential) else {
            report.notes.append("Password of \(username) not imported: unreadable credential")
            return (nil, false)
        }
        switch KeycloakPasswordHash.importing(
            algorithm: stored.algorithm, iterations: stored.iterations, salt: stored.salt, value: stored.value, parameters: stored.parameters)
        {
        case .stored(let hash):
            report.passwordsImported += 1
            return (hash, false)
        case .needsReset:
            report.passwordResetsRequired.append(username)
            return (nil, true)
        case .tooCostly(let reason):
            report.notes.append("Password of \(username) not imported: \(reason) costs more per sign-in than this server allows")
            report.passwordResetsRequired.append(username)
            return (nil, true)
        case .unsupported(let reason):
            report.notes.append("Password of \(username) not imported: \(reason)")
            return (nil, false)
        }
    }

    private mutating func serviceAccountRoles(_ file: KeycloakRealmDocument.User, clientId: String) async throws {
        guard let client = try await importedClient(clientId), let account = try await UserStore(sql).serviceAccount(clientInternalId: client.id) else {
            return
        }
        let granted = try await grantRoles(of: file, to: account.id)
        if try await joinGroups(of: file, userId: account.id) || granted { report.users.updated += 1 } else { report.users.unchanged += 1 }
    }

    /// Grants the file's realm and client roles the user does not hold yet; returns whether it granted any.
    private mutating func grantRoles(of file: KeycloakRealmDocument.User, to userId: String) async throws -> Bool {
        let store = RoleStore(sql)
        let held = Set(try await store.direct(userId: userId).map(\.id))
        var granted = false
        for (clientId, name) in Self.roleNames(realm: file.realmRoles, client: file.clientRoles) {
            guard let role = try await findRole(clientId: clientId, name: name) else {
                report.notes.append("Role \(clientId.map { "\($0)/" } ?? "")\(name) of \(file.username) not granted: no such role")
                continue
            }
            guard !held.contains(role.id) else { continue }
            try await store.grant(userId: userId, roleId: role.id)
            granted = true
        }
        return granted
    }
}
