import Authentication
import Domain
import Hummingbird
import Storage

/// `/admin/realms` and `/admin/realms/{realm}`.
package struct AdminRealmsController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: create)
        group.get("", use: list)
        group.get(":realm", use: show)
        group.put(":realm", use: update)
        group.delete(":realm", use: delete)
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> Response {
        guard context.isServerAdmin else { throw AdminError.forbidden }
        let body = try await AdminBody.decode(RealmRepresentation.self, from: request)
        guard let name = body.realm, Names.isValidRealm(name) else { throw AdminError.badRequest("Invalid realm name") }
        let algorithm = try body.defaultSignatureAlgorithm.map { value in
            guard let algorithm = SigningAlgorithm(rawValue: value) else { throw AdminError.badRequest("Unsupported defaultSignatureAlgorithm") }
            return algorithm
        }
        let provisioner = RealmProvisioner(secrets: services.secrets, clock: services.clock)
        do {
            try await services.database.transaction { sql in
                var realm = try await provisioner.create(name, algorithm: algorithm ?? .rs256, on: sql)
                try Self.apply(body, to: &realm)
                try await RealmStore(sql).update(realm)
            }
        } catch StorageError.duplicate {
            throw AdminError.conflict("Conflict detected. See logs for details")
        }
        return services.created(request, id: name)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realms = try await services.database.read { sql in try await RealmStore(sql).all() }
        let visible = context.isServerAdmin ? realms : realms.filter { $0.name == context.principal.realm }
        return JSONBody.response(visible.map(RealmRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(RealmRepresentation(try await services.administeredRealm(context)))
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        var realm = try await services.administeredRealm(context)
        let body = try await AdminBody.decode(RealmRepresentation.self, from: request)
        if let rename = body.realm, rename != realm.name { throw AdminError.badRequest("Renaming a realm is not supported") }
        try Self.apply(body, to: &realm)
        if realm.name == Realm.master && !realm.enabled { throw AdminError.badRequest("The master realm cannot be disabled") }
        let updated = realm
        try await services.database.transaction { sql in try await RealmStore(sql).update(updated) }
        services.realms.invalidate(realm.name)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        guard realm.name != Realm.master else { throw AdminError.badRequest("The master realm cannot be deleted") }
        try await services.database.transaction { sql in try await RealmStore(sql).delete(realm.name) }
        services.realms.invalidate(realm.name)
        return Response(status: .noContent)
    }

    /// The representation's settings, each range-checked (400 naming the field) before anything is stored.
    package static func apply(_ body: RealmRepresentation, to realm: inout Realm) throws {
        func checked(_ value: Int?, _ field: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let value else { return nil }
            guard range.contains(value) else { throw AdminError.badRequest("\(field) must be between \(range.lowerBound) and \(range.upperBound)") }
            return value
        }
        if let enabled = body.enabled { realm.enabled = enabled }
        if let lifespan = try checked(body.accessTokenLifespan, "accessTokenLifespan", Realm.lifespanRange) { realm.accessTokenLifespan = lifespan }
        if let idle = try checked(body.ssoSessionIdleTimeout, "ssoSessionIdleTimeout", Realm.lifespanRange) { realm.refreshTokenLifespan = idle }
        if let notBefore = try checked(body.notBefore, "notBefore", Realm.notBeforeRange) { realm.notBefore = notBefore }
    }
}
