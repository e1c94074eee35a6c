import Domain
import Storage

/// A new realm with everything Keycloak gives one (signing keys, built-in and NexusOne roles, `admin-cli`), for the
/// server administrator only (admin REST `POST /admin/realms`).
public struct CreateRealm: Sendable {
    let changes: ChangeLog
    let provisioner: RealmProvisioner

    public init(changes: ChangeLog, provisioner: RealmProvisioner) {
        self.changes = changes
        self.provisioner = provisioner
    }

    public func callAsFunction(_ actor: Principal, name: String, algorithm: SigningAlgorithm, settings: RealmSettings) async throws -> Realm {
        guard Administration.isServerAdmin(actor) || actor.credential == .operatorCLI else { throw AdministrationError.forbidden }
        guard Names.isValidRealm(name) else { throw ValueError(field: "realm", message: "Invalid realm name", rule: .pattern) }
        let provisioner = self.provisioner
        do {
            return try await changes.commit { sql in
                var realm = try await provisioner.create(name, algorithm: algorithm, on: sql)
                settings.apply(to: &realm)
                try await RealmStore(sql).update(realm)
                if let kept = settings.keptSettings { try await RealmDocuments.keep(kept, realm: name, on: sql) }
                return realm
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.realm, name: name)
        }
    }
}

/// Changes a realm's settings; the master realm stays enabled.
public struct UpdateRealm: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm name: String, settings: RealmSettings) async throws {
        try Administration.authorize(actor, realm: name, .manageRealm)
        if name == Realm.master && settings.enabled == false { throw AdministrationError.refused("The master realm cannot be disabled") }
        try await changes.commit { sql in
            // The row locked first: two changes at once each apply to what the other left (settings and kept fields alike).
            guard var realm = try await RealmStore(sql).lock(name) else { throw AdministrationError.notFound(.realm) }
            settings.apply(to: &realm)
            try await RealmStore(sql).update(realm)
            if let kept = settings.keptSettings { try await RealmDocuments.keep(kept, realm: name, on: sql) }
        }
    }
}

/// Deletes a realm with everything in it; the master realm stays.
public struct DeleteRealm: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm name: String) async throws {
        try Administration.authorize(actor, realm: name, .manageRealm)
        guard name != Realm.master else { throw AdministrationError.refused("The master realm cannot be deleted") }
        try await changes.commit { sql in
            guard try await RealmStore(sql).find(name) != nil else { throw AdministrationError.notFound(.realm) }
            try await RealmStore(sql).delete(name)
        }
    }
}
