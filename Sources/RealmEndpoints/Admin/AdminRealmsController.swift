import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import NIOFoundationCompat
import UseCases

/// `/admin/realms` and `/admin/realms/{realm}`.
package struct AdminRealmsController: Sendable {
    let realms: Realms
    let create: CreateRealm
    let update: UpdateRealm
    let delete: DeleteRealm
    let documents: RealmDocuments
    let importRealm: ImportRealm
    let exportRealm: ExportRealm
    let partialImport: PartialImport
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: createRealm)
        group.get("", use: list)
        group.get(":realm", use: show)
        group.put(":realm", use: updateRealm)
        group.delete(":realm", use: deleteRealm)
        group.post(":realm/partial-export", use: export)
        group.post(":realm/partialImport", use: importParts)
    }

    /// A new realm; a representation with roles, clients, groups or users (an export) is imported whole, as Keycloak's
    /// "Create realm" from a file does.
    @Sendable func createRealm(_ request: Request, context: AdminContext) async throws -> Response {
        let buffer = try await KeycloakRequestDecoder.collect(request, context: context)
        let (body, kept) = try Self.read(buffer)
        guard let name = body.realm, !name.isEmpty else { throw AdminError.badRequest("Realm name cannot be empty") }
        guard Names.isValidRealm(name) else { throw AdminError.badRequest("Invalid realm name") }
        let algorithm = try body.defaultSignatureAlgorithm.map { value in
            guard let algorithm = SigningAlgorithm(rawValue: value) else { throw AdminError.badRequest("Unsupported defaultSignatureAlgorithm") }
            return algorithm
        }
        let settings = try Self.settings(body, kept: kept)
        guard let document = try? JSONDecoder().decode(KeycloakRealmDocument.self, from: Data(buffer: buffer)) else { throw UnreadableBodyError() }
        if document.roles != nil || document.clients != nil || document.groups != nil || document.users != nil {
            _ = try await importRealm(context.principal, document, dryRun: false, settings: settings, asNew: true)
        } else {
            _ = try await create(context.principal, name: name, algorithm: algorithm ?? .rs256, settings: settings)
        }
        return createdResponse(request, baseURL: baseURL, id: name)
    }

    /// Keycloak's partial export: the realm's settings, and its clients and groups with roles when asked; no users, no
    /// secrets.
    @Sendable func export(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let realm = try context.parameters.require("realm")
        var document = try await exportRealm.partial(
            context.principal, realm: realm,
            parts: .init(clients: Self.flag(query, "exportClients"), groupsAndRoles: Self.flag(query, "exportGroupsAndRoles")))
        document.id = realm
        var object = RealmRepresentation(try await realms.administered(by: context.principal, name: realm))
            .json(with: try await documents.keptSettings(context.principal, realm: realm))
        let exported = (try JSONSerialization.jsonObject(with: JSONBody.encoder.encode(document)) as? [String: Any]) ?? [:]
        object.merge(exported) { _, file in file }
        return try Self.json(object)
    }

    /// A query flag as Java reads a boolean: `true` in any case (python-keycloak sends `True`).
    private static func flag(_ query: AdminListQuery, _ name: String) -> Bool { query.string(name)?.lowercased() == "true" }

    /// Keycloak's partial import, with its `ifResourceExists` (`FAIL` unless said) and its result.
    @Sendable func importParts(_ request: Request, context: AdminContext) async throws -> Response {
        let buffer = try await KeycloakRequestDecoder.collect(request, context: context)
        struct Policy: Decodable { var ifResourceExists: String? }
        let policy = try KeycloakRequestDecoder.decode(Policy.self, from: buffer)
        guard let ifExists = PartialImport.IfExists(rawValue: policy.ifResourceExists ?? "FAIL") else {
            throw AdminError.badRequest("ifResourceExists must be FAIL, SKIP or OVERWRITE")
        }
        let realm = try context.parameters.require("realm")
        var document = try Self.document(buffer, realm: realm)
        document.realm = realm
        return JSONBody.response(try await partialImport(context.principal, realm: realm, document, ifExists: ifExists))
    }

    /// The body as Keycloak's export format; the realm's name may be left out of a partial import.
    private static func document(_ buffer: ByteBuffer, realm: String) throws -> KeycloakRealmDocument {
        guard var object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else { throw UnreadableBodyError() }
        object["realm"] = realm
        guard let data = try? JSONSerialization.data(withJSONObject: object), let document = try? JSONDecoder().decode(KeycloakRealmDocument.self, from: data)
        else { throw UnreadableBodyError() }
        return document
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        var listed: [[String: Any]] = []
        for realm in try await realms.visible(to: context.principal) {
            listed.append(RealmRepresentation(realm).json(with: try await documents.keptSettings(context.principal, realm: realm.name)))
        }
        return try Self.json(listed)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await realms.administered(by: context.principal, name: try context.parameters.require("realm"))
        return try Self.json(RealmRepresentation(realm).json(with: try await documents.keptSettings(context.principal, realm: realm.name)))
    }

    @Sendable func updateRealm(_ request: Request, context: AdminContext) async throws -> Response {
        let name = try context.parameters.require("realm")
        let (body, kept) = try Self.read(try await KeycloakRequestDecoder.collect(request, context: context))
        if let rename = body.realm, rename != name { throw AdminError.badRequest("Renaming a realm is not supported") }
        try await update(context.principal, realm: name, settings: try Self.settings(body, kept: kept))
        return Response(status: .noContent)
    }

    @Sendable func deleteRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await delete(context.principal, realm: try context.parameters.require("realm"))
        return Response(status: .noContent)
    }

    /// The representation (strictly: an unknown field is a 400) and the fields of it kept as given.
    private static func read(_ buffer: ByteBuffer) throws -> (RealmRepresentation, KeptSettings?) {
        let body = try KeycloakRequestDecoder.decode(RealmRepresentation.self, from: buffer)
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any]) ?? [:]
        return (body, try RealmRepresentation.kept(from: object))
    }

    private static func json(_ value: Any) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The representation's settings, range-checked by `RealmSettings` (a 400 naming the field).
    package static func settings(_ body: RealmRepresentation, kept: KeptSettings? = nil) throws -> RealmSettings {
        var settings = try RealmSettings(
            enabled: body.enabled, accessTokenLifespan: body.accessTokenLifespan, refreshTokenLifespan: body.ssoSessionIdleTimeout,
            notBefore: body.notBefore, passwordPolicy: body.passwordPolicy)
        settings.bruteForce = try BruteForceChange(
            bruteForceProtected: body.bruteForceProtected, permanentLockout: body.permanentLockout, failureFactor: body.failureFactor,
            waitIncrementSeconds: body.waitIncrementSeconds, maxFailureWaitSeconds: body.maxFailureWaitSeconds, maxDeltaTimeSeconds: body.maxDeltaTimeSeconds,
            minimumQuickLoginWaitSeconds: body.minimumQuickLoginWaitSeconds, quickLoginCheckMilliSeconds: body.quickLoginCheckMilliSeconds)
        settings.duplicateEmailsAllowed = body.duplicateEmailsAllowed
        settings.otp = try OTPChange(
            type: body.otpPolicyType, algorithm: body.otpPolicyAlgorithm, digits: body.otpPolicyDigits, period: body.otpPolicyPeriod,
            lookAroundWindow: body.otpPolicyLookAheadWindow, codeReusable: body.otpPolicyCodeReusable, requiredForRoles: body.otpRequiredForRoles)
        let events = [body.eventsEnabled, body.adminEventsEnabled, body.adminEventsDetailsEnabled].contains { $0 != nil }
        if events || body.eventsExpiration != nil || body.eventsListeners != nil || body.enabledEventTypes != nil {
            settings.events = try EventsChange(
                eventsEnabled: body.eventsEnabled, eventsExpiration: body.eventsExpiration.map { .some($0) }, eventsListeners: body.eventsListeners,
                enabledEventTypes: body.enabledEventTypes, adminEventsEnabled: body.adminEventsEnabled, adminEventsDetailsEnabled: body.adminEventsDetailsEnabled)
        }
        settings.keptSettings = kept
        return settings
    }
}
