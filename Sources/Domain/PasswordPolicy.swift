/// A realm's password policy in Keycloak's words (`length(12) and digits(1) and notUsername and passwordHistory(3)`):
/// what every password set in the realm must satisfy, wherever it is set. `description` is the policy as Keycloak
/// writes it, so a realm's `passwordPolicy` reads back as it was given (defaults filled in).
public struct PasswordPolicy: Sendable, Equatable, CustomStringConvertible {
    public enum Rule: Sendable, Equatable {
        case length(Int)
        case maxLength(Int)
        case digits(Int)
        case lowerCase(Int)
        case upperCase(Int)
        case specialChars(Int)
        case notUsername
        case notContainsUsername
        case notEmail
        /// The new password may not be the current one nor one of the `n - 1` before it.
        case passwordHistory(Int)
        /// Days a password lives; a sign-in after that asks for a new one.
        case forceExpiredPasswordChange(Int)
    }

    /// What a password breaks: Keycloak's message key (its admin REST's `error`) and text (`error_description`).
    public struct Violation: Error, Sendable, Equatable {
        public let key: String
        public let message: String
    }

    public let rules: [Rule]

    public static let none = PasswordPolicy(rules: [])

    public init(rules: [Rule]) { self.rules = rules }

    /// Parses Keycloak's policy text; an empty text is no policy. Policies this server does not enforce are refused by
    /// name rather than kept and ignored.
    public init(_ text: String, field: String = "passwordPolicy") throws(ValueError) {
        var rules: [Rule] = []
        let terms = text.split(separator: " and ", omittingEmptySubsequences: true).map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        guard text.utf8.count <= 1_024, terms.count <= 32 else { throw ValueError(field: field, message: "Password policy too long", rule: .tooLong) }
        for term in terms {
            let (name, argument) = try Self.split(term, field: field)
            func count(_ fallback: Int, _ range: ClosedRange<Int> = 0...1_024) throws(ValueError) -> Int {
                guard let argument else { return fallback }
                guard let value = Int(argument), range.contains(value) else {
                    throw ValueError(field: field, message: "Invalid config for \(name): \(argument)", rule: .range)
                }
                return value
            }
            switch name {
            case "length": rules.append(.length(try count(8)))
            case "maxLength": rules.append(.maxLength(try count(64, 1...1_024)))
            case "digits": rules.append(.digits(try count(1)))
            case "lowerCase": rules.append(.lowerCase(try count(1)))
            case "upperCase": rules.append(.upperCase(try count(1)))
            case "specialChars": rules.append(.specialChars(try count(1)))
            case "notUsername": rules.append(.notUsername)
            case "notContainsUsername": rules.append(.notContainsUsername)
            case "notEmail": rules.append(.notEmail)
            case "passwordHistory": rules.append(.passwordHistory(try count(3, 1...24)))
            case "forceExpiredPasswordChange": rules.append(.forceExpiredPasswordChange(try count(365, 1...36_500)))
            case "hashAlgorithm", "hashIterations":
                throw ValueError(field: field, message: "Password policy \(name) is not supported: passwords are hashed with bcrypt", rule: .pattern)
            case "regexPattern":
                // A pattern is run against every new password on the server's threads, and a regular expression can take
                // as long as it likes; the counting rules above say what patterns are usually written for.
                throw ValueError(field: field, message: "Password policy regexPattern is not supported; use the counting policies", rule: .pattern)
            default:
                throw ValueError(field: field, message: "Password policy \(name) is not supported", rule: .pattern)
            }
        }
        self.rules = rules
        if let ceiling = rules.lazy.compactMap({ if case .maxLength(let n) = $0 { n } else { nil } }).min() {
            // A policy no password meets would only show when someone is refused, or a one-time password breaks it.
            let floor = rules.lazy.compactMap { if case .length(let n) = $0 { n } else { nil } }.max() ?? 0
            let counted = rules.reduce(0) { total, rule in
                switch rule {
                case .digits(let n), .lowerCase(let n), .upperCase(let n), .specialChars(let n): total + n
                default: total
                }
            }
            guard floor <= ceiling, counted <= ceiling else {
                throw ValueError(field: field, message: "Password policy cannot be met: maxLength(\(ceiling)) is below what it asks for", rule: .range)
            }
        }
    }

    /// The rules of `text` this server enforces, and the terms it does not (an imported realm keeps what it can; the
    /// import reports the rest).
    public static func enforceablePart(of text: String) -> (policy: PasswordPolicy, dropped: [String]) {
        var rules: [Rule] = []
        var dropped: [String] = []
        for term in text.split(separator: " and ").map({ $0.trimmingWhitespace }).filter({ !$0.isEmpty }) {
            // Each term must also fit with those kept before it (a `maxLength` below what they ask for is dropped).
            let candidate = (PasswordPolicy(rules: rules).description + " and " + term)
            if rules.count < 32, let parsed = try? PasswordPolicy(rules.isEmpty ? term : candidate) { rules = parsed.rules } else { dropped.append(term) }
        }
        return (PasswordPolicy(rules: rules), dropped)
    }

    private static func split(_ term: String, field: String) throws(ValueError) -> (String, String?) {
        guard let open = term.firstIndex(of: "(") else { return (term, nil) }
        guard term.hasSuffix(")") else { throw ValueError(field: field, message: "Invalid password policy: \(term)", rule: .pattern) }
        let argument = term[term.index(after: open)..<term.index(before: term.endIndex)].trimmingWhitespace
        return (String(term[..<open]), argument)
    }

    public var description: String {
        rules.map { rule in
            switch rule {
            case .length(let n): "length(\(n))"
            case .maxLength(let n): "maxLength(\(n))"
            case .digits(let n): "digits(\(n))"
            case .lowerCase(let n): "lowerCase(\(n))"
            case .upperCase(let n): "upperCase(\(n))"
            case .specialChars(let n): "specialChars(\(n))"
            case .notUsername: "notUsername"
            case .notContainsUsername: "notContainsUsername"
            case .notEmail: "notEmail"
            case .passwordHistory(let n): "passwordHistory(\(n))"
            case .forceExpiredPasswordChange(let n): "forceExpiredPasswordChange(\(n))"
            }
        }.joined(separator: " and ")
    }

    /// How many passwords, the current one included, a new one may not repeat (nil: no history rule).
    public var historyDepth: Int? {
        rules.lazy.compactMap { if case .passwordHistory(let n) = $0 { n } else { nil } }.first
    }

    /// Days a password lives (nil: forever).
    public var expiryDays: Int? {
        rules.lazy.compactMap { if case .forceExpiredPasswordChange(let n) = $0 { n } else { nil } }.first
    }

    /// The first rule `password` breaks, leaving the history to whoever holds the old hashes.
    public func violation(of password: String, username: String, email: String?) -> Violation? {
        let characters = Array(password)
        func counted(_ wanted: Int, _ matches: (Character) -> Bool) -> Bool { characters.lazy.filter(matches).count >= wanted }
        for rule in rules {
            switch rule {
            case .length(let n) where characters.count < n:
                return Violation(key: "invalidPasswordMinLengthMessage", message: "Invalid password: minimum length \(n).")
            case .maxLength(let n) where characters.count > n:
                return Violation(key: "invalidPasswordMaxLengthMessage", message: "Invalid password: maximum length \(n).")
            case .digits(let n) where !counted(n, \.isWholeNumber):
                return Violation(key: "invalidPasswordMinDigitsMessage", message: "Invalid password: must contain at least \(n) numerical digits.")
            case .lowerCase(let n) where !counted(n, \.isLowercase):
                return Violation(key: "invalidPasswordMinLowerCaseCharsMessage", message: "Invalid password: must contain at least \(n) lower case characters.")
            case .upperCase(let n) where !counted(n, \.isUppercase):
                return Violation(key: "invalidPasswordMinUpperCaseCharsMessage", message: "Invalid password: must contain at least \(n) upper case characters.")
            case .specialChars(let n) where !counted(n, { !$0.isLetter && !$0.isWholeNumber }):
                return Violation(key: "invalidPasswordMinSpecialCharsMessage", message: "Invalid password: must contain at least \(n) special characters.")
            case .notUsername where password.lowercased() == username.lowercased():
                return Violation(key: "invalidPasswordNotUsernameMessage", message: "Invalid password: must not be equal to the username.")
            case .notContainsUsername where !username.isEmpty && password.lowercased().contains(username.lowercased()):
                return Violation(key: "invalidPasswordNotContainsUsernameMessage", message: "Invalid password: Can not contain the username.")
            case .notEmail where email.map { password.lowercased() == $0.lowercased() } == true:
                return Violation(key: "invalidPasswordNotEmailMessage", message: "Invalid password: must not be equal to the email.")
            default:
                continue
            }
        }
        return nil
    }

    public static func historyViolation(depth: Int) -> Violation {
        Violation(key: "invalidPasswordHistoryMessage", message: "Invalid password: must not be equal to any of last \(depth) passwords.")
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
