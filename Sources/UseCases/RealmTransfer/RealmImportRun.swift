import Domain
import Foundation
import Secrets
import SQLKit
import Storage

/// One import inside its transaction, step by step; `ImportRealm` says the order. Every step matches what exists by
/// name, so a second run finds everything in place and counts it unchanged.
struct RealmImportRun {
    let document: KeycloakRealmDocument
    let sql: any SQLDatabase
    let secrets: SecretBox
    let accounts: UserProvisioner
    let now: Int
    var report: RealmImportReport

    private var realmName: String { document.realm }

    // MARK: Realm

    mutating func realm(settings: RealmSettings, provisioner: RealmProvisioner) async throws {
        let algorithm = document.defaultSignatureAlgorithm.flatMap(SigningAlgorithm.init(rawValue:))
        if document.defaultSignatureAlgorithm != nil && algorithm == nil {
            report.notes.append("Signature algorithm \(document.defaultSignatureAlgorithm!) is not offered; the realm signs with RS256")
        }
        var realm: Realm
        if let existing = try await RealmStore(sql).find(realmName) {
            realm = existing
        } else {
            realm = try await provisioner.create(realmName, algorithm: algorithm ?? .rs256, on: sql)
            report.realmCreated = true
        }
        let before = realm
        settings.apply(to: &realm)
        if realm != before {
            try await RealmStore(sql).update(realm)
            report.realmUpdated = !report.realmCreated
        }
        if (document.groups?.count ?? 0) > 0 { report.notes.append("\(document.groups!.count) group(s) not imported: this server has no groups") }
        if (document.identityProviders?.count ?? 0) > 0 {
            report.notes.append("\(document.identityProviders!.count) identity provider(s) not imported")
        }
    }

    // MARK: Roles

    mutating func roles() async throws {
        for role in document.roles?.realm ?? [] { try await importRole(role, clientInternalId: nil, clientLabel: nil) }
    }

    mutating func clientRoles() async throws {
        for (clientId, roles) in (document.roles?.client ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let client = try await importedClient(clientId) else { continue }
            for role in roles { try await importRole(role, clientInternalId: client.id, clientLabel: clientId) }
        }
    }

    private mutating func importRole(_ role: KeycloakRealmDocument.Role, clientInternalId: String?, clientLabel: String?) async throws {
        let label = clientLabel.map { "\($0)/\(role.name)" } ?? role.name
        guard let name = try? Identifier(role.name, field: "name") else {
            report.notes.append("Role \"\(label)\" not imported: invalid name")
            return
        }
        let description = String((role.description ?? "").prefix(DescriptionText.maximumLength))
        let store = RoleStore(sql)
        if let existing = try await store.find(realm: realmName, clientId: clientInternalId, name: name.value) {
            if role.description != nil && existing.description != description {
                try await store.update(id: existing.id, description: description)
                report.roles.updated += 1
            } else {
                report.roles.unchanged += 1
            }
            return
        }
        let id = try await IdentifierLedger.reuse(role.id, in: .roles, on: sql)
        try await store.insert(Role(id: id, realm: realmName, clientId: clientInternalId, name: name.value, description: description))
        report.roles.created += 1
    }

    /// Adds the composites the file names; a child that is not there is reported, one that is already there is kept.
    mutating func composites() async throws {
        var parents: [(role: KeycloakRealmDocument.Role, clientId: String?)] = (document.roles?.realm ?? []).map { ($0, nil) }
        for (clientId, roles) in document.roles?.client ?? [:] { parents += roles.map { ($0, clientId) } }
        let store = RoleStore(sql)
        for (role, clientId) in parents {
            guard let composites = role.composites, let parent = try await findRole(clientId: clientId, name: role.name) else { continue }
            let present = Set(try await store.children(of: parent.id).map(\.id))
            for (childClient, name) in Self.roleNames(realm: composites.realm, client: composites.client) {
                if let childClient, KeycloakRealmDocument.builtInClients.contains(childClient) { continue }
                guard let child = try await findRole(clientId: childClient, name: name) else {
                    report.notes.append("Composite \(role.name) → \(childClient.map { "\($0)/" } ?? "")\(name) not imported: no such role")
                    continue
                }
                guard !present.contains(child.id) else { continue }
                try await store.addComposite(parent: parent.id, child: child.id)
                report.compositesAdded += 1
            }
        }
    }

    // MARK: Clients

    mutating func clients() async throws {
        var skipped: [String] = []
        for client in document.clients ?? [] {
            if KeycloakRealmDocument.builtInClients.contains(client.clientId) || client.protocol == "saml" {
                skipped.append(client.clientId)
                continue
            }
            try await self.client(client)
        }
        if !skipped.isEmpty {
            report.notes.append("Keycloak's own and SAML clients not imported: \(skipped.sorted().joined(separator: ", "))")
        }
    }

    private mutating func client(_ file: KeycloakRealmDocument.Client) async throws {
        guard let clientId = try? Identifier(file.clientId, field: "clientId") else {
            report.notes.append("Client \"\(file.clientId)\" not imported: invalid client id")
            return
        }
        let bearerOnly = file.bearerOnly ?? false
        let store = ClientStore(sql)
        let existing = try await store.find(realm: realmName, clientId: clientId.value)
        var client: Client
        if let existing {
            client = existing.client
        } else {
            client = Client(id: try await IdentifierLedger.reuse(file.id, in: .clients, on: sql), realm: realmName, clientId: clientId.value, createdAt: now)
        }
        let before = client
        client.name = file.name ?? client.name
        client.enabled = file.enabled ?? client.enabled
        client.isPublic = file.publicClient ?? client.isPublic
        client.standardFlowEnabled = bearerOnly ? false : file.standardFlowEnabled ?? client.standardFlowEnabled
        client.directAccessGrantsEnabled = bearerOnly ? false : file.directAccessGrantsEnabled ?? client.directAccessGrantsEnabled
        client.serviceAccountsEnabled = (file.serviceAccountsEnabled ?? client.serviceAccountsEnabled) && !client.isPublic
        if let uris = file.redirectUris { client.redirectURIs = redirectURIs(uris, root: file.rootUrl, clientId: file.clientId) }

        if existing == nil {
            try await store.insert(client, sealedSecret: client.isPublic ? nil : try secrets.seal(secret(for: file).value))
            report.clients.created += 1
        } else if client != before {
            try await store.update(client)
            if !client.isPublic, existing?.sealedSecret == nil {
                try await store.setSecret(id: client.id, sealedSecret: try secrets.seal(secret(for: file).value))
            }
            report.clients.updated += 1
        } else {
            report.clients.unchanged += 1
        }
        if client.serviceAccountsEnabled, try await UserStore(sql).serviceAccount(clientInternalId: client.id) == nil {
            let fileUser = document.users?.first { $0.serviceAccountClientId == file.clientId }
            try await accounts.createServiceAccount(for: client, roles: [], id: try await IdentifierLedger.reuse(fileUser?.id, in: .users, on: sql), on: sql)
        }
    }

    /// Absolute redirect URIs as they are; relative ones resolved against the client's `rootUrl`, or left out (and
    /// reported) without one — a bare `/*` would otherwise match any URL that starts with a slash.
    private mutating func redirectURIs(_ uris: [String], root: String?, clientId: String) -> [String] {
        var resolved: [String] = []
        for uri in uris {
            if Client.hasScheme(uri) {
                resolved.append(uri)
            } else if uri.hasPrefix("/"), let root, Client.hasScheme(root) {
                resolved.append((root.hasSuffix("/") ? String(root.dropLast()) : root) + uri)
            } else {
                report.notes.append("Redirect URI \(uri) of \(clientId) not imported: relative, and the client has no root URL")
            }
        }
        return resolved
    }

    /// The file's secret, or a new one when the export masked it or it is too weak to keep (reported either way).
    private mutating func secret(for file: KeycloakRealmDocument.Client) -> ClientSecret {
        if let given = file.secret, given != KeycloakRealmDocument.maskedSecret, let secret = try? ClientSecret(given) { return secret }
        let generated = ClientSecret.generated()
        report.generatedSecrets.append(.init(clientId: file.clientId, secret: report.dryRun ? nil : generated.value))
        return generated
    }

    // MARK: Users

    mutating func users() async throws {
        var otherCredentials = 0
        var groupMemberships = 0
        for file in document.users ?? [] {
            groupMemberships += file.groups?.count ?? 0
            otherCredentials += (file.credentials ?? []).filter { $0.type != "password" }.count
            if let clientId = file.serviceAccountClientId {
                try await serviceAccountRoles(file, clientId: clientId)
            } else {
                try await user(file)
            }
        }
        if otherCredentials > 0 { report.notes.append("\(otherCredentials) credential(s) other than passwords (OTP, WebAuthn) not imported") }
        if groupMemberships > 0 { report.notes.append("\(groupMemberships) group membership(s) not imported") }
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
            if changed != existing || granted { report.users.updated += 1 } else { report.users.unchanged += 1 }
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
        if try await grantRoles(of: file, to: account.id) { report.users.updated += 1 } else { report.users.unchanged += 1 }
    }

    /// Grants the file's realm and client roles the user does not hold yet; returns whether it granted any.
    private mutating func grantRoles(of file: KeycloakRealmDocument.User, to userId: String) async throws -> Bool {
        let store = RoleStore(sql)
        let held = Set(try await store.direct(userId: userId).map(\.id))
        var granted = false
        for (clientId, name) in Self.roleNames(realm: file.realmRoles, client: file.clientRoles) {
            if let clientId, KeycloakRealmDocument.builtInClients.contains(clientId) { continue }
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

    // MARK: Lookups

    /// Role names as Keycloak lists them (realm roles, and client roles by `clientId`), as one list.
    private static func roleNames(realm: [String]?, client: [String: [String]]?) -> [(clientId: String?, name: String)] {
        (realm ?? []).map { (nil, $0) } + (client ?? [:]).sorted { $0.key < $1.key }.flatMap { entry in entry.value.map { (entry.key, $0) } }
    }

    private func importedClient(_ clientId: String) async throws -> Client? {
        guard !KeycloakRealmDocument.builtInClients.contains(clientId) else { return nil }
        return try await ClientStore(sql).find(realm: realmName, clientId: clientId)?.client
    }

    private func findRole(clientId: String?, name: String) async throws -> Role? {
        guard let clientId else { return try await RoleStore(sql).find(realm: realmName, name: name) }
        guard let client = try await importedClient(clientId) else { return nil }
        return try await RoleStore(sql).find(realm: realmName, clientId: client.id, name: name)
    }
}
