import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/admin/realms` and `/admin/realms/{realm}`.
package struct AdminRealmsController: Sendable {
    let realms: Realms
    let create: CreateRealm
    let update: UpdateRealm
    let delete: DeleteRealm
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: createRealm)
        group.get("", use: list)
        group.get(":realm", use: show)
        group.put(":realm", use: updateRealm)
        group.delete(":realm", use: deleteRealm)
    }

    @Sendable func createRealm(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: RealmRepresentation.self, context: context)
        guard let name = body.realm, Names.isValidRealm(name) else { throw AdminError.badRequest("Invalid realm name") }
        let algorithm = try body.defaultSignatureAlgorithm.map { value in
            guard let algorithm = SigningAlgorithm(rawValue: value) else { throw AdminError.badRequest("Unsupported defaultSignatureAlgorithm") }
            return algorithm
        }
        _ = try await create(context.principal, name: name, algorithm: algorithm ?? .rs256, settings: try Self.settings(body))
        return createdResponse(request, baseURL: baseURL, id: name)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await realms.visible(to: context.principal).map(RealmRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(RealmRepresentation(try await realms.administered(by: context.principal, name: try context.parameters.require("realm"))))
    }

    @Sendable func updateRealm(_ request: Request, context: AdminContext) async throws -> Response {
        let name = try context.parameters.require("realm")
        let body = try await request.decode(as: RealmRepresentation.self, context: context)
        if let rename = body.realm, rename != name { throw AdminError.badRequest("Renaming a realm is not supported") }
        try await update(context.principal, realm: name, settings: try Self.settings(body))
        return Response(status: .noContent)
    }

    @Sendable func deleteRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await delete(context.principal, realm: try context.parameters.require("realm"))
        return Response(status: .noContent)
    }

    /// The representation's settings, range-checked by `RealmSettings` (a 400 naming the field).
    package static func settings(_ body: RealmRepresentation) throws -> RealmSettings {
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
        return settings
    }
}
