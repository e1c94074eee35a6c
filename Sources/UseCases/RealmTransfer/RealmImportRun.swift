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

    var realmName: String { document.realm }

    // MARK: Realm

    mutating func realm(settings: RealmSettings, provisioner: RealmProvisioner, asNew: Bool = false) async throws {
        let algorithm = document.defaultSignatureAlgorithm.flatMap(SigningAlgorithm.init(rawValue:))
        if document.defaultSignatureAlgorithm != nil && algorithm == nil {
            report.notes.append("Signature algorithm \(document.defaultSignatureAlgorithm!) is not offered; the realm signs with RS256")
        }
        var realm: Realm
        if let existing = try await RealmStore(sql).lock(realmName) {
            guard !asNew else { throw AdministrationError.exists(.realm, name: realmName) }
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
        if let kept = settings.keptSettings { try await RealmDocuments.keep(kept, realm: realmName, on: sql) }
        if (document.identityProviders?.count ?? 0) > 0 {
            report.notes.append("\(document.identityProviders!.count) identity provider(s) not imported")
        }
    }

    // MARK: Lookups

    /// Role names as Keycloak lists them (realm roles, and client roles by `clientId`), as one list.
    static func roleNames(realm: [String]?, client: [String: [String]]?) -> [(clientId: String?, name: String)] {
        (realm ?? []).map { (nil, $0) } + (client ?? [:]).sorted { $0.key < $1.key }.flatMap { entry in entry.value.map { (entry.key, $0) } }
    }

    /// A client of the realm by `clientId`: one the file brought, or one of Keycloak's own, whose roles (such as
    /// `realm-management`'s rights) the file's users, groups and composites may hold.
    func importedClient(_ clientId: String) async throws -> Client? {
        try await ClientStore(sql).find(realm: realmName, clientId: clientId)?.client
    }

    func findRole(clientId: String?, name: String) async throws -> Role? {
        guard let clientId else { return try await RoleStore(sql).find(realm: realmName, name: name) }
        guard let client = try await importedClient(clientId) else { return nil }
        return try await RoleStore(sql).find(realm: realmName, clientId: client.id, name: name)
    }
}
