import Domain
import HTTPKit
import Hummingbird
import Identity
import QRCode
import Secrets
import UseCases

/// Where a sign-in on the login page stands after the password: who, for which request, and the sealed value the next
/// form carries (`PendingSignIn`).
struct SignInStep {
    let authorization: AuthorizationRequest
    let request: Request
    let realm: Realm
    let client: Client
    let user: User
    /// Replaced when the user chooses a new password on the way.
    var passwordDigest: String
    let address: String

    func pending(passedSecondFactor: Bool, enrolmentSecret: String? = nil, services: RealmServices) throws -> String {
        try PendingSignIn(
            realm: realm.name, userId: user.id, expiresAt: services.clock.now + PendingSignIn.lifetime, request: authorization,
            passwordDigest: passwordDigest, passedSecondFactor: passedSecondFactor, enrolmentSecret: enrolmentSecret
        ).sealed(with: services.secrets)
    }
}

extension LoginController {
    /// The second factor after the password: nil when the user has passed it (or needs none), else the page to show —
    /// the code form, or the enrolment page with a QR code drawn here and the key in text. A wrong or reused code is
    /// counted like a wrong password and shown as one sentence.
    func secondFactor(_ step: SignInStep, form: FormBody, pending: PendingSignIn?) async throws -> Response? {
        let check = services.credentials.secondFactor
        switch try await check.requirement(for: step.user) {
        case .none:
            return nil
        case .code:
            guard pending != nil, let code = form["otp"] else { return otpForm(step, pending: try step.pending(passedSecondFactor: false, services: services)) }
            do {
                try await check.verify(step.user, code: code, address: step.address)
                return nil
            } catch CredentialRefused.throttled {
                return loginForm(step.authorization, realm: step.realm.name, request: step.request, error: "Too many failed attempts. Try again later.", status: .tooManyRequests)
            } catch CredentialRefused.oneTimeCode {
                await services.administration.loginEvents.record(
                    .loginError, realm: step.realm,
                    .init(clientId: step.client.clientId, userId: step.user.id, ipAddress: step.address, error: "invalid_user_credentials",
                          details: ["auth_method": "otp", "username": step.user.username]))
                return otpForm(step, pending: try step.pending(passedSecondFactor: false, services: services), error: Self.wrongCode)
            }
        case .enrol(let policy):
            if let encoded = pending?.enrolmentSecret, let secret = Base32.decode(encoded), let code = form["otp"] {
                let outcome = try await check.twoFactor.enrol(step.user, secret: secret, policy: policy, code: code.filter { $0 != " " }, label: form["label"] ?? "")
                if outcome == .accepted { return nil }
                return try enrolForm(step, enrolment: check.twoFactor.draw(for: step.user, policy: policy, secret: secret), error: Self.wrongCode)
            }
            return try enrolForm(step, enrolment: check.twoFactor.draw(for: step.user, policy: policy))
        }
    }

    static let wrongCode = "Invalid authenticator code."

    private func otpForm(_ step: SignInStep, pending: String, error: String? = nil) -> Response {
        var context: [String: Any] = [
            "realm": step.realm.name, "action": step.request.uri.path, "hidden": step.authorization.hiddenFields + [["name": "pending", "value": pending]],
        ]
        if let error { context["error"] = error }
        return pages.render("login-otp", context, status: error == nil ? .ok : .unauthorized)
    }

    private func enrolForm(_ step: SignInStep, enrolment: TwoFactor.Enrolment, error: String? = nil) throws -> Response {
        let pending = try step.pending(passedSecondFactor: false, enrolmentSecret: Base32.encode(enrolment.secret), services: services)
        var context: [String: Any] = [
            "realm": step.realm.name, "action": step.request.uri.path,
            "hidden": step.authorization.hiddenFields + [["name": "pending", "value": pending]],
            "qr": try QRCode(enrolment.uri).svg(label: "QR code of your authenticator key for \(step.realm.name)"), "secret": enrolment.typed,
            "algorithm": enrolment.policy.algorithm.uriName, "digits": enrolment.policy.digits, "period": enrolment.policy.period,
        ]
        if let error { context["error"] = error }
        return pages.render("configure-otp", context, status: error == nil ? .ok : .badRequest)
    }
}
