import Domain
import HTTPKit
import Hummingbird
import QRCode
import Secrets
import UseCases

/// Settings → Authenticator: set one up (a QR code drawn here and the key in text; the drawn secret travels sealed in
/// the form, bound to the user and ten minutes, and is stored only once a code proves it was scanned) and remove one.
struct AuthenticatorPages: Sendable {
    let twoFactor: TwoFactor
    let secrets: SecretBox
    let clock: EpochClock
    let pages: PortalPages

    static let enrolmentLifetime = 600

    func addRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("settings/authenticator/new", use: signedIn { _, _, user, realm in
            let policy = try await twoFactor.policy(realm: realm)
            return try enrolPage(user, realm: realm, enrolment: twoFactor.draw(for: user.user, policy: policy))
        })
        portal.post("settings/authenticator", use: changing { form, _, user, realm in
            let policy = try await twoFactor.policy(realm: realm)
            guard let secret = openEnrolment(form["enrolment"], user: user) else {
                return try enrolPage(user, realm: realm, enrolment: twoFactor.draw(for: user.user, policy: policy), error: "The setup expired. Scan this new code.")
            }
            let code = (form["otp"] ?? "").filter { $0 != " " }
            guard try await twoFactor.enrol(user.user, secret: secret, policy: policy, code: code, label: form["label"] ?? "") == .accepted else {
                let same = twoFactor.draw(for: user.user, policy: policy, secret: secret)
                return try enrolPage(user, realm: realm, enrolment: same, error: "Invalid authenticator code.")
            }
            return PortalPages.redirect("/portal/\(realm)/settings#authenticator-heading")
        })
        portal.post("settings/authenticator/remove", use: changing { form, _, user, realm in
            if let id = form["credential_id"], Names.isValidIdentifier(id) {
                do {
                    try await twoFactor.removeOwn(user.principal, credentialId: id)
                } catch AdministrationError.notFound {}  // removed meanwhile: the page shows what is left
            }
            return PortalPages.redirect("/portal/\(realm)/settings#authenticator-heading")
        })
    }

    private func enrolPage(_ user: PortalUser, realm: String, enrolment: TwoFactor.Enrolment, error: String? = nil) throws -> Response {
        let bound = ["authenticator", user.user.id, String(clock.now + Self.enrolmentLifetime), Base32.encode(enrolment.secret)]
        let sealed = try secrets.seal(bound.joined(separator: "\n"))
        var values: [String: Any] = [
            "qr": try QRCode(enrolment.uri).svg(label: "QR code of your authenticator key for \(realm)"), "secret": enrolment.typed,
            "enrolment": sealed, "algorithm": enrolment.policy.algorithm.uriName, "digits": enrolment.policy.digits, "period": enrolment.policy.period,
        ]
        if let error { values["error"] = error }
        return pages.render("authenticator-new", user: user, realm: realm, values, status: error == nil ? .ok : .unprocessableContent)
    }

    /// The drawn secret, if the sealed value is this user's and has not expired.
    private func openEnrolment(_ sealed: String?, user: PortalUser) -> [UInt8]? {
        guard let sealed, let text = try? secrets.open(sealed) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "authenticator", parts[1] == user.user.id, let expiresAt = Int(parts[2]), expiresAt > clock.now else {
            return nil
        }
        return Base32.decode(parts[3])
    }
}
