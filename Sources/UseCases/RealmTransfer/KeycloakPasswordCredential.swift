import Foundation

/// A Keycloak password credential read out of the two JSON documents Keycloak keeps in strings:
/// `secretData` `{"value": base64 hash, "salt": base64}` and `credentialData`
/// `{"hashIterations": n, "algorithm": "pbkdf2-sha256", "additionalParameters": {…}}`.
struct KeycloakPasswordCredential {
    let algorithm: String
    let iterations: Int?
    let salt: String?
    let value: String
    let parameters: [String: [String]]

    private struct SecretData: Decodable {
        var value: String
        var salt: String?
    }

    private struct CredentialData: Decodable {
        var hashIterations: Int?
        var algorithm: String?
        var additionalParameters: [String: [String]]?
    }

    /// Nil when either document is missing or not what Keycloak writes.
    init?(_ credential: KeycloakRealmDocument.Credential) {
        let decoder = JSONDecoder()
        guard let secretText = credential.secretData, let credentialText = credential.credentialData,
            let secret = try? decoder.decode(SecretData.self, from: Data(secretText.utf8)),
            let data = try? decoder.decode(CredentialData.self, from: Data(credentialText.utf8))
        else { return nil }
        // Keycloak before 12 left the algorithm out of credentialData; its default then was pbkdf2-sha256.
        algorithm = data.algorithm ?? "pbkdf2-sha256"
        iterations = data.hashIterations
        salt = secret.salt
        value = secret.value
        parameters = data.additionalParameters ?? [:]
    }
}
