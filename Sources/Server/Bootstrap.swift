import Domain
import Federation
import HTTPKit
import Identity
import RealmEndpoints
import Storage
import UseCases
import Warehouses

/// What the first start made, to be printed once by the caller (never logged).
public struct StartupReport: Sendable {
    public var masterAdminPassword: String?
    public var deployment: DeploymentResult?
    public var defaultRealm: String?
    /// The schema version found after migrating: above `Migrator.latestVersion` when a newer release migrated the
    /// database ahead of this one (a rolling upgrade in progress, or a rollback).
    public var schemaVersion = 0
}

/// Start-up work that `serve` does every time: migrations, the master realm and administrator, and — on the very first
/// start — a first deployment so a newcomer can get a token at once.
public enum Bootstrap {
    public static let firstRealmName = "nexusone"

    public static func run(_ services: Services) async throws -> StartupReport {
        let configuration = services.configuration
        try await Migrator.migrate(services.database)
        let master = try await services.masterSetup.ensure(database: services.database, configuredPassword: configuration.adminPassword)
        var report = StartupReport(masterAdminPassword: master.generatedPassword)
        report.schemaVersion = try await Migrator.currentVersion(services.database)
        try await ensureFederatedRealms(services)
        let hasCustomerRealm = try await services.database.read { sql in
            try await RealmStore(sql).all().contains { $0.name != Realm.master }
        }
        if !hasCustomerRealm && !configuration.noDemo {
            let realm = configuration.defaultRealm ?? firstRealmName
            report.deployment = try await services.deploy(.operatorCLI(realm: realm), DeploymentRequest(clientName: realm))
        }
        let storedDefault = try await services.database.read { sql in try await SettingsStore(sql).get(SettingsStore.defaultRealm) }
        report.defaultRealm = configuration.defaultRealm ?? storedDefault
        if configuration.usesEmbeddedWarehouse && !configuration.noDemo {
            try await services.warehouse.ensureDemoData()
        }
        try await services.revocations.reload(from: services.database, now: services.clock.now)
        return report
    }

    /// A realm named by `--external-issuer` exists here too: its users, roles, keys and data live here.
    static func ensureFederatedRealms(_ services: Services) async throws {
        let provisioner = services.provisioner
        for issuer in services.externalIssuers.all {
            let realm = issuer.issuer.realm
            guard try await services.database.read({ sql in try await RealmStore(sql).find(realm) }) == nil else { continue }
            do {
                try await services.changes.commit { sql in
                    _ = try await provisioner.create(realm, on: sql)
                    try await provisioner.addNexusOneRoles(realm: realm, on: sql)
                }
            } catch StorageError.duplicate {
                // Another node made it first.
            }
        }
    }
}
