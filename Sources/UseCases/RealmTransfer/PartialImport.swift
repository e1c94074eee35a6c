import Domain
import Secrets
import SQLKit
import Storage

/// Keycloak's partial import (`POST …/partialImport`): users, clients, groups and realm and client roles from a realm
/// representation into an existing realm, in one transaction. What exists already (a user by username, a client by
/// `clientId`, a top-level group by name, a role by name) is handled as `ifResourceExists` says: `FAIL` refuses the
/// whole import (409, nothing changed), `SKIP` leaves it, `OVERWRITE` replaces its settings with the file's (as the
/// full import updates: what the file names is set, a stored password or secret is kept). It takes `realm-admin`: a
/// file can give anyone any role.
public struct PartialImport: Sendable {
    let changes: ChangeLog
    let secrets: SecretBox
    let clock: EpochClock

    public init(changes: ChangeLog, secrets: SecretBox, clock: EpochClock) {
        (self.changes, self.secrets, self.clock) = (changes, secrets, clock)
    }

    public enum IfExists: String, Sendable {
        case fail = "FAIL"
        case skip = "SKIP"
        case overwrite = "OVERWRITE"
    }

    /// Keycloak's `PartialImportResults`.
    public struct Result: Sendable, Encodable {
        public struct Entry: Sendable, Encodable {
            public let action: String
            public let resourceType: String
            public let resourceName: String
            public let id: String?
        }

        public var added = 0
        public var skipped = 0
        public var overwritten = 0
        public var results: [Entry] = []
    }

    public func callAsFunction(_ actor: Principal, realm: String, _ document: KeycloakRealmDocument, ifExists: IfExists) async throws -> Result {
        try Administration.authorize(actor, realm: realm, .realmAdmin)
        let (secrets, clock, now) = (secrets, clock, clock.now)
        return try await changes.commit { sql in
            guard try await RealmStore(sql).find(realm) != nil else { throw AdministrationError.notFound(.realm) }
            var file = document
            file.realm = realm
            var result = Result()
            file.users = try await Self.sorted(document.users ?? [], "USER", "User", ifExists, &result, name: \.username) { user in
                try await UserStore(sql).find(realm: realm, username: user.username.lowercased())?.id
            }
            file.clients = try await Self.sorted(document.clients ?? [], "CLIENT", "Client", ifExists, &result, name: \.clientId) { client in
                try await ClientStore(sql).find(realm: realm, clientId: client.clientId)?.client.id
            }
            file.groups = try await Self.sorted(document.groups ?? [], "GROUP", "Group", ifExists, &result, name: \.name) { group in
                try await GroupStore(sql).child(realm: realm, parentId: nil, named: group.name)?.id
            }
            let realmRoles = try await Self.sorted(document.roles?.realm ?? [], "REALM_ROLE", "Realm role", ifExists, &result, name: \.name) { role in
                try await RoleStore(sql).find(realm: realm, name: role.name)?.id
            }
            var clientRoles: [String: [KeycloakRealmDocument.Role]] = [:]
            for (clientId, roles) in (document.roles?.client ?? [:]).sorted(by: { $0.key < $1.key }) {
                clientRoles[clientId] = try await Self.sorted(roles, "CLIENT_ROLE", "Client role", ifExists, &result, name: \.name) { role in
                    guard let client = try await ClientStore(sql).find(realm: realm, clientId: clientId)?.client.id else { return nil }
                    return try await RoleStore(sql).find(realm: realm, clientId: client, name: role.name)?.id
                }
            }
            file.roles = KeycloakRealmDocument.Roles(realm: realmRoles, client: clientRoles)
            var run = RealmImportRun(
                document: file, sql: sql, secrets: secrets, accounts: UserProvisioner(clock: clock), now: now,
                report: RealmImportReport(realm: realm, dryRun: false))
            try await run.roles()
            try await run.clients()
            try await run.clientRoles()
            try await run.composites()
            try await run.groups()
            try await run.users()
            return result
        }
    }

    /// What of `items` the import takes: all new ones, and the existing ones unless skipped; counted in `result`.
    private static func sorted<Item: Sendable>(
        _ items: [Item], _ type: String, _ words: String, _ ifExists: IfExists, _ result: inout Result, name: KeyPath<Item, String>,
        existing: (Item) async throws -> String?
    ) async throws -> [Item] {
        var taken: [Item] = []
        for item in items {
            let name = item[keyPath: name]
            if let id = try await existing(item) {
                switch ifExists {
                case .fail: throw AdministrationError.exists(.resource, name: "\(words) '\(name)'")
                case .skip:
                    result.skipped += 1
                    result.results.append(.init(action: "SKIPPED", resourceType: type, resourceName: name, id: id))
                case .overwrite:
                    result.overwritten += 1
                    result.results.append(.init(action: "OVERWRITTEN", resourceType: type, resourceName: name, id: id))
                    taken.append(item)
                }
            } else {
                result.added += 1
                result.results.append(.init(action: "ADDED", resourceType: type, resourceName: name, id: nil))
                taken.append(item)
            }
        }
        return taken
    }
}
