import Domain
import Foundation
import SQLKit

/// Every realm gets Keycloak's layout (`RealmLayoutWriter`): its client scopes with their mappers, the five clients it
/// lacked besides `admin-cli`, their roles, and `account`'s roles in `default-roles-{realm}`; every client that was
/// there holds the realm's default and optional scopes, so its tokens carry, from the mappers, what they carried
/// before. Where NexusOne's `nx1_admin` exists it now holds `realm-admin`, so every realm administrator keeps every
/// right through the new delegated administration. The master realm's access tokens last Keycloak's 60 s unless an
/// administrator had changed our old default of 600 s.
///
/// This step runs today's `RealmLayoutWriter` and stores: a later change to the tables they write must keep them
/// working at this schema, or give this step its own statements.
struct AddKeycloakRealmLayout: Migration {
    let version = 25
    let name = "AddKeycloakRealmLayout"

    func prepare(on sql: any SQLDatabase) async throws {
        let now = Int(Date().timeIntervalSince1970)
        let realms = try await sql.select().column("name").from("realms").all(decodingColumn: "name", as: String.self)
        for realm in realms {
            let existing = try await sql.select().column("id").from("clients").where("realm", .equal, realm).all(decodingColumn: "id", as: String.self)
            try await RealmLayoutWriter.ensureKeycloakLayout(realm: realm, now: now, on: sql)
            for client in existing { try await ClientScopeStore(sql).linkRealmDefaults(clientId: client, realm: realm) }
            try await RealmLayoutWriter.makeAdminCompositeOfRealmAdmin(realm: realm, on: sql)
        }
        try await sql.update("realms").set("access_token_lifespan", to: 60).where("name", .equal, Realm.master)
            .where("access_token_lifespan", .equal, 600).run()
    }
}
