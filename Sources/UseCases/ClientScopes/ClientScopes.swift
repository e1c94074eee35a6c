import Domain
import SQLKit
import Storage

/// A realm's client scopes and what hangs off them, for those who may view clients (`view-clients`), and their
/// changes, for those who manage clients (`manage-clients`) — the realm's defaults for new clients take `manage-realm`,
/// as in Keycloak. Every change is one transaction, announced so every node's token plans are made again.
public struct ClientScopes: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    // MARK: Scopes

    public func all(_ actor: Principal, realm: String) async throws -> [ClientScope] {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await changes.read { sql in try await ClientScopeStore(sql).all(realm: realm) }
    }

    public func find(_ actor: Principal, realm: String, id: String) async throws -> ClientScope {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await changes.read { sql in try await Self.require(id, realm: realm, on: sql) }
    }

    /// A new scope with its mappers, in one transaction.
    public func create(_ actor: Principal, realm: String, _ input: ScopeInput, mappers: [ProtocolMappers.Input] = []) async throws -> ClientScope {
        try Administration.authorize(actor, realm: realm, .manageClients)
        let scope = ClientScope(id: Identifiers.uuid(), realm: realm, name: input.name, description: input.description ?? "", attributes: input.attributes ?? [:])
        guard mappers.count <= 50 else { throw AdministrationError.refused("At most 50 mappers at once") }
        let made = try mappers.map { try ProtocolMappers.checked($0, id: Identifiers.uuid()) }
        do {
            try await changes.commit { sql in
                try await ClientScopeStore(sql).insert(scope)
                for mapper in made { try await ProtocolMapperStore(sql).insert(mapper, owner: .scope(scope.id)) }
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.clientScope, name: input.name)
        }
        return scope
    }

    /// Name, description and attributes, each when given.
    public func update(_ actor: Principal, realm: String, id: String, name: String?, description: String?, attributes: [String: String]?) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        if let name { try ScopeInput.check(name: name) }
        try ScopeInput.check(description: description, attributes: attributes)
        do {
            try await changes.commit { sql in
                var scope = try await Self.require(id, realm: realm, on: sql)
                if let name { scope.name = name }
                if let description { scope.description = description }
                if let attributes { scope.attributes = attributes }
                try await ClientScopeStore(sql).update(scope)
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.clientScope, name: name ?? "")
        }
    }

    /// Deletes the scope; clients that held it hold it no more.
    public func delete(_ actor: Principal, realm: String, id: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        try await changes.commit { sql in
            _ = try await Self.require(id, realm: realm, on: sql)
            try await ClientScopeStore(sql).delete(id: id)
        }
    }

    // MARK: The realm's defaults for new clients

    public func realmDefaults(_ actor: Principal, realm: String, kind: ScopeKind) async throws -> [ClientScope] {
        try Administration.authorize(actor, realm: realm, .viewRealm)
        return try await changes.read { sql in try await ClientScopeStore(sql).realmScopes(realm: realm, kind: kind) }
    }

    public func setRealmDefault(_ actor: Principal, realm: String, scopeId: String, kind: ScopeKind, on: Bool) async throws {
        try Administration.authorize(actor, realm: realm, .manageRealm)
        try await changes.commit { sql in
            guard try await ClientScopeStore(sql).find(realm: realm, id: scopeId) != nil else { throw AdministrationError.notFound(.clientScopeById) }
            if on {
                try await ClientScopeStore(sql).setRealmScope(realm: realm, scopeId: scopeId, kind: kind)
            } else {
                try await ClientScopeStore(sql).removeRealmScope(realm: realm, scopeId: scopeId, kind: kind)
            }
        }
    }

    // MARK: A client's scopes

    public func ofClient(_ actor: Principal, realm: String, clientId: String, kind: ScopeKind) async throws -> [ClientScope] {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await changes.read { sql in
            try await Self.requireClient(clientId, realm: realm, on: sql)
            return try await ClientScopeStore(sql).clientScopes(clientId: clientId, kind: kind)
        }
    }

    /// Gives a client the scope as a default or optional one (moving it from the other kind), or takes it away.
    public func setOfClient(_ actor: Principal, realm: String, clientId: String, scopeId: String, kind: ScopeKind, on: Bool) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        try await StorageError.missingReference.means(AdministrationError.notFound(.clientScopeById)) {
            try await changes.commit { sql in
                try await Self.requireClient(clientId, realm: realm, on: sql)
                guard try await ClientScopeStore(sql).find(realm: realm, id: scopeId) != nil else { throw AdministrationError.notFound(.clientScopeById) }
                if on {
                    try await ClientScopeStore(sql).link(clientId: clientId, scopeId: scopeId, kind: kind)
                } else {
                    try await ClientScopeStore(sql).unlink(clientId: clientId, scopeId: scopeId, kind: kind)
                }
            }
        }
    }

    static func require(_ id: String, realm: String, on sql: any SQLDatabase) async throws -> ClientScope {
        guard let scope = try await ClientScopeStore(sql).find(realm: realm, id: id) else { throw AdministrationError.notFound(.clientScope) }
        return scope
    }

    static func requireClient(_ id: String, realm: String, on sql: any SQLDatabase) async throws {
        guard try await ClientStore(sql).find(realm: realm, id: id) != nil else { throw AdministrationError.notFound(.client) }
    }
}

/// A client scope as an administrator gives it: a name of 1 to 255 characters without spaces (it is what a request's
/// `scope` names), a description, and at most 50 attributes.
public struct ScopeInput: Sendable {
    public let name: String
    public let description: String?
    public let attributes: [String: String]?

    public init(name: String, description: String?, attributes: [String: String]?) throws(ValueError) {
        try Self.check(name: name)
        try Self.check(description: description, attributes: attributes)
        (self.name, self.description, self.attributes) = (name, description, attributes)
    }

    /// Printable ASCII without spaces, as a request's `scope` parameter can name it.
    static func check(name: String) throws(ValueError) {
        guard (1...255).contains(name.count), name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ValueError(field: "name", message: "A client scope's name has 1 to 255 characters and no spaces", rule: .pattern)
        }
    }

    static func check(description: String?, attributes: [String: String]?) throws(ValueError) {
        _ = try DescriptionText(description)
        if let attributes, attributes.count > 50 || !attributes.allSatisfy({ $0.key.count <= 255 && $0.value.count <= 2_048 }) {
            throw ValueError(field: "attributes", message: "At most 50 attributes of at most 2,048 characters", rule: .tooLong)
        }
    }
}
