import Domain
import UseCases

/// Keycloak's `ClientScopeRepresentation`, with its mappers as Keycloak lists them.
struct ClientScopeRepresentation: Codable, StrictRepresentation {
    var id: String?
    var name: String?
    var description: String?
    var `protocol`: String?
    var type: String?
    var attributes: [String: String]?
    var protocolMappers: [ProtocolMapperRepresentation]?

    static let knownFields: Set<String> = ["id", "name", "description", "protocol", "type", "attributes", "protocolMappers"]

    init(_ scope: ClientScope, mappers: [ProtocolMapper]) {
        (id, name, description, `protocol`, attributes) = (scope.id, scope.name, scope.description, ClientScope.openIDConnect, scope.attributes)
        protocolMappers = mappers.isEmpty ? nil : mappers.map(ProtocolMapperRepresentation.init)
    }

    /// Only OpenID Connect scopes exist here: a SAML one would be kept and never used.
    func requireOpenIDConnect() throws {
        if let kind = `protocol`, kind != ClientScope.openIDConnect { throw AdminError.badRequest("Only openid-connect client scopes are offered") }
    }
}

/// The brief form Keycloak lists a realm's or a client's default and optional scopes in.
struct ClientScopeReference: Encodable {
    let id: String
    let name: String

    init(_ scope: ClientScope) { (id, name) = (scope.id, scope.name) }
}

/// Keycloak's `ProtocolMapperRepresentation`.
struct ProtocolMapperRepresentation: Codable, StrictRepresentation {
    var id: String?
    var name: String?
    var `protocol`: String?
    var protocolMapper: String?
    var consentRequired: Bool?
    var consentText: String?
    var config: [String: String]?

    static let knownFields: Set<String> = ["id", "name", "protocol", "protocolMapper", "consentRequired", "consentText", "config"]

    init(_ mapper: ProtocolMapper) {
        (id, name, `protocol`, protocolMapper, consentRequired, config) = (mapper.id, mapper.name, ClientScope.openIDConnect, mapper.type, false, mapper.config)
    }

    /// What to create or change; a mapper of another protocol, or of a type this server does not run, has no type.
    var input: ProtocolMappers.Input {
        let openIDConnect = (`protocol` ?? ClientScope.openIDConnect) == ClientScope.openIDConnect
        return ProtocolMappers.Input(name: name ?? "", type: openIDConnect ? protocolMapper.flatMap(MapperType.init(rawValue:)) : nil, config: config ?? [:])
    }
}
