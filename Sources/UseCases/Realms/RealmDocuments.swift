import Domain
import Foundation
import SQLKit
import Storage

/// Keycloak configuration a realm keeps as given: the representation's fields this server does not act on (themes,
/// SMTP settings, display names, flags), so that a tool reads back what it wrote and shows no change for ever; and the
/// user profile (`/users/profile`). Written by `CreateRealm`/`UpdateRealm` with the rest of a realm's settings.
public struct RealmDocuments: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// The kept fields as a JSON object's text, or nil when none were ever given.
    public func keptSettings(_ actor: Principal, realm: String) async throws -> String? {
        try Administration.authorizeAny(actor, realm: realm)
        return try await changes.read { sql in try await RealmDocumentStore(sql).body(realm: realm, kind: .keptSettings) }
    }

    /// The realm's user profile: the one an administrator set, else Keycloak's default.
    public func userProfile(_ actor: Principal, realm: String) async throws -> String {
        try Administration.authorizeAny(actor, realm: realm)
        return try await changes.read { sql in try await RealmDocumentStore(sql).body(realm: realm, kind: .userProfile) } ?? UserProfileConfig.keycloakDefault
    }

    public func setUserProfile(_ actor: Principal, realm: String, _ profile: UserProfileConfig) async throws {
        try Administration.authorize(actor, realm: realm, .manageRealm)
        try await changes.commit { sql in
            guard try await RealmStore(sql).find(realm) != nil else { throw AdministrationError.notFound(.realm) }
            try await RealmDocumentStore(sql).set(realm: realm, kind: .userProfile, body: profile.text)
        }
    }

    /// Within a realm's change: the given fields over the kept ones (a `PUT` of a realm changes what it names).
    static func keep(_ given: KeptSettings, realm: String, on sql: any SQLDatabase) async throws {
        let store = RealmDocumentStore(sql)
        let merged = try given.merged(over: try await store.body(realm: realm, kind: .keptSettings))
        try await store.set(realm: realm, kind: .keptSettings, body: merged)
    }
}

/// Fields of a realm representation kept as given: a JSON object, at most 64 KiB once merged with what is kept.
public struct KeptSettings: Sendable, Equatable {
    public let text: String

    static let byteLimit = 64 << 10

    /// `object` is what the client sent for those fields (JSON values).
    public init(_ object: [String: Any]) throws(ValueError) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
            data.count <= Self.byteLimit
        else { throw ValueError(field: "realm", message: "At most 64 KiB of other realm settings", rule: .tooLong) }
        text = String(decoding: data, as: UTF8.self)
    }

    func merged(over stored: String?) throws -> String {
        var kept = stored.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        let given = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        kept.merge(given) { _, new in new }
        return try KeptSettings(kept).text
    }
}

/// Keycloak's user-profile configuration (`UPConfig`): kept and returned as given once it is well formed — attributes
/// with unique names, `username` and `email` among them, at most 256 KiB. This server does not validate users against
/// it: its own rules for names, e-mail addresses and attributes hold whatever the profile says.
public struct UserProfileConfig: Sendable {
    public let text: String

    public init(json: Data) throws(ValueError) {
        guard json.count <= 256 << 10 else { throw ValueError(field: "attributes", message: "At most 256 KiB of user profile", rule: .tooLong) }
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
            let attributes = object["attributes"] as? [[String: Any]]
        else { throw ValueError(field: "attributes", message: "The user profile needs a list of attributes", rule: .pattern) }
        let names = attributes.compactMap { $0["name"] as? String }
        guard names.count == attributes.count, names.allSatisfy({ (1...255).contains($0.count) }), Set(names).count == names.count else {
            throw ValueError(field: "attributes", message: "Each attribute needs a name of 1 to 255 characters, unique", rule: .pattern)
        }
        guard names.contains("username"), names.contains("email") else {
            throw ValueError(field: "attributes", message: "The attributes username and email cannot be removed", rule: .pattern)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else {
            throw ValueError(field: "attributes", message: "The user profile needs a list of attributes", rule: .pattern)
        }
        text = String(decoding: data, as: UTF8.self)
    }

    /// Keycloak 26's default profile, with unmanaged attributes enabled: this server keeps any attribute a user has.
    public static let keycloakDefault = #"""
        {"attributes":[\#
        {"name":"username","displayName":"${username}","validations":{"length":{"min":3,"max":255},"username-prohibited-characters":{},"up-username-not-idn-homograph":{}},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false},\#
        {"name":"email","displayName":"${email}","validations":{"email":{},"length":{"max":255}},"required":{"roles":["user"]},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false},\#
        {"name":"firstName","displayName":"${firstName}","validations":{"length":{"max":255},"person-name-prohibited-characters":{}},"required":{"roles":["user"]},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false},\#
        {"name":"lastName","displayName":"${lastName}","validations":{"length":{"max":255},"person-name-prohibited-characters":{}},"required":{"roles":["user"]},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false}],\#
        "groups":[{"name":"user-metadata","displayHeader":"User metadata","displayDescription":"Attributes, which refer to user metadata"}],\#
        "unmanagedAttributePolicy":"ENABLED"}
        """#
}
