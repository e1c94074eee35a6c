import Domain
import SQLKit
import Storage

/// The protocol mappers of a client scope or of a client: read by those who may view clients, changed by those who
/// manage them. A mapper of a type this server does not run, or one `MapperRules` refuses, is never stored.
public struct ProtocolMappers: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public typealias Owner = MapperOwner

    /// A mapper as the caller gives it: `type` nil when it named none or one this server does not have.
    public struct Input: Sendable {
        public var name: String
        public var type: MapperType?
        public var config: [String: String]

        public init(name: String, type: MapperType?, config: [String: String]) {
            (self.name, self.type, self.config) = (name, type, config)
        }
    }

    public func all(_ actor: Principal, realm: String, owner: Owner) async throws -> [ProtocolMapper] {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await changes.read { sql in
            try await Self.requireOwner(owner, realm: realm, on: sql)
            return try await ProtocolMapperStore(sql).all(owner: owner)
        }
    }

    public func find(_ actor: Principal, realm: String, owner: Owner, id: String) async throws -> ProtocolMapper {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await changes.read { sql in
            try await Self.requireOwner(owner, realm: realm, on: sql)
            guard let mapper = try await ProtocolMapperStore(sql).find(id: id, owner: owner) else { throw AdministrationError.notFound(.mapper) }
            return mapper
        }
    }

    /// Creates the mappers, all or none (Keycloak's `add-models` takes several).
    public func create(_ actor: Principal, realm: String, owner: Owner, _ inputs: [Input]) async throws -> [ProtocolMapper] {
        try Administration.authorize(actor, realm: realm, .manageClients)
        guard inputs.count <= 50 else { throw AdministrationError.refused("At most 50 mappers at once") }
        do {
            return try await changes.commit { sql in
                // The owner first: a mapper for a client that is not there is "Could not find client", whatever it says.
                try await Self.requireOwner(owner, realm: realm, on: sql)
                let made = try inputs.map { try Self.checked($0, id: Identifiers.uuid()) }
                // Every mapper runs in every token of the owner's clients: a bound keeps tokens within what the
                // verifier reads (16 KiB) and the plan small.
                guard try await ProtocolMapperStore(sql).count(owner: owner) + made.count <= Self.limit else {
                    throw AdministrationError.refused("At most \(Self.limit) mappers on one client or client scope")
                }
                for mapper in made { try await ProtocolMapperStore(sql).insert(mapper, owner: owner) }
                return made
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.mapper, name: "")
        }
    }

    public func update(_ actor: Principal, realm: String, owner: Owner, id: String, _ input: Input) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        do {
            try await changes.commit { sql in
                try await Self.requireOwner(owner, realm: realm, on: sql)
                guard try await ProtocolMapperStore(sql).find(id: id, owner: owner) != nil else { throw AdministrationError.notFound(.mapper) }
                let mapper = try Self.checked(input, id: id)
                try await ProtocolMapperStore(sql).update(mapper, owner: owner)
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.mapper, name: input.name)
        }
    }

    public func delete(_ actor: Principal, realm: String, owner: Owner, id: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        try await changes.commit { sql in
            try await Self.requireOwner(owner, realm: realm, on: sql)
            guard try await ProtocolMapperStore(sql).delete(id: id, owner: owner) else { throw AdministrationError.notFound(.mapper) }
        }
    }

    static let limit = 100

    static func checked(_ input: Input, id: String) throws -> ProtocolMapper {
        guard let type = input.type else { throw AdministrationError.notFound(.mapperType) }
        try MapperRules.check(name: input.name, type: type, config: input.config)
        return ProtocolMapper(id: id, name: input.name, type: type.rawValue, config: input.config)
    }

    static func requireOwner(_ owner: Owner, realm: String, on sql: any SQLDatabase) async throws {
        switch owner {
        case .scope(let id): _ = try await ClientScopes.require(id, realm: realm, on: sql)
        case .client(let id): try await ClientScopes.requireClient(id, realm: realm, on: sql)
        }
    }
}
