import Domain
import Foundation
import Secrets
import SQLKit
import Storage

/// The file's clients: settings, redirect URIs made safe, secrets kept or replaced.
extension RealmImportRun {
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
}
