import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// Settings: the profile, the Personal PSK section (portal.md "Settings"): `+` → Description → Create → the key
/// once; Regenerate and Delete behind a confirmation step — and where the user is signed in: their sessions (signing
/// out of all but this one) and offline tokens (each revocable).
struct SettingsPages: Sendable {
    let keys: Keys
    let create: CreatePersonalKey
    let regenerate: RegeneratePersonalKey
    let delete: DeletePersonalKey
    let groups: Groups
    let sessions: OwnSessions
    let offlineTokens: OfflineConsents
    let authenticators: AuthenticatorPages
    let pages: PortalPages

    typealias SignedIn = (@escaping PortalController.Handler) -> @Sendable (Request, AppRequestContext) async throws -> Response
    typealias Changing = (@escaping @Sendable (PortalForm, AppRequestContext, PortalUser, String) async throws -> Response)
        -> @Sendable (Request, AppRequestContext) async throws -> Response

    func addRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SignedIn, changing: Changing) {
        portal.get("settings", use: signedIn { _, _, user, realm in try await show(user, realm: realm) })
        portal.get("settings/psk/new", use: signedIn { _, _, user, realm in pages.render("psk-new", user: user, realm: realm) })
        portal.post("settings/psk", use: changing { form, context, user, realm in
            let description: DescriptionText
            do {
                description = try DescriptionText(form["description"])
            } catch {
                return pages.render("psk-new", user: user, realm: realm, ["error": "The description is longer than 256 characters."], status: .unprocessableContent)
            }
            let (_, secret) = try await create(user.principal, description: description, expiresIn: nil, address: context.remoteAddress)
            return pages.render("psk-shown", user: user, realm: realm, ["psk": secret, "created": true])
        })
        portal.get("settings/psk/regenerate", use: signedIn { _, _, user, realm in
            pages.render("psk-confirm", user: user, realm: realm, ["regenerate": true])
        })
        portal.post("settings/psk/regenerate", use: changing { form, context, user, realm in
            let grace = try GraceSeconds(Int(form["grace_seconds"] ?? "0") ?? 0)
            let (_, secret) = try await regenerate(user.principal, grace: grace, address: context.remoteAddress)
            return pages.render("psk-shown", user: user, realm: realm, ["psk": secret, "regenerated": true, "grace": grace.seconds > 0])
        })
        portal.post("settings/sessions/others", use: changing { _, _, user, realm in
            try await sessions.endOthers(user.principal)
            return PortalPages.redirect("/portal/\(realm)/settings#sessions-heading")
        })
        portal.post("settings/offline-tokens/revoke", use: changing { form, _, user, realm in
            if let clientId = form["client_id"], Names.isValidIdentifier(clientId) {
                do {
                    try await offlineTokens.revokeOwn(user.principal, clientId: clientId)
                } catch AdministrationError.notFound {}  // revoked meanwhile, or never there: the page shows what is left
            }
            return PortalPages.redirect("/portal/\(realm)/settings#sessions-heading")
        })
        authenticators.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        portal.get("settings/psk/delete", use: signedIn { _, _, user, realm in pages.render("psk-confirm", user: user, realm: realm) })
        portal.post("settings/psk/delete", use: changing { _, context, user, realm in
            do {
                try await delete(user.principal, address: context.remoteAddress)
            } catch KeyError.noPersonalKey {}
            return PortalPages.redirect("/portal/\(realm)/settings")
        })
    }

    private func show(_ user: PortalUser, realm: String) async throws -> Response {
        var values: [String: Any] = [
            "username": user.user.username, "email": user.user.email ?? "", "roles": user.roles.filter(NexusOneRoles.isProductRole).sorted(),
            "fullName": user.displayName, "groups": try await groups.own(user.principal).map(\.path).sorted(),
        ]
        if let key = try await keys.personal(of: user.principal) {
            values["key"] = [
                "description": key.description.isEmpty ? "—" : key.description, "hint": key.hint, "created": Self.date(key.createdAt),
                "lastUsed": key.lastUsedAt.map(Self.date) ?? "Never", "expires": key.expiresAt.map(Self.date) ?? "Never",
                "active": key.isActive,
            ]
        }
        let current = user.principal.sessionId
        values["sessions"] = try await sessions.list(user.principal).map { session in
            [
                "client": session.clientId, "started": Self.date(session.createdAt), "lastActive": Self.date(session.lastAccess ?? session.createdAt),
                "address": session.ipAddress ?? "—", "current": session.id == current,
            ] as [String: Any]
        }
        values["authenticators"] = try await authenticators.twoFactor.own(user.principal).map { credential in
            ["id": credential.id, "label": credential.label, "created": Self.date(credential.createdAt)] as [String: Any]
        }
        let offline = try await offlineTokens.own(user.principal)
        values["hasOfflineTokens"] = !offline.isEmpty
        values["offlineTokens"] = offline.map { consent in
            ["client": consent.clientId, "issued": Self.date(consent.createdAt), "lastUsed": Self.date(consent.lastUpdatedAt)] as [String: Any]
        }
        return pages.render("settings", user: user, realm: realm, values)
    }

    static func date(_ epoch: Int) -> String { Timestamp.iso(epoch).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC") }
}
