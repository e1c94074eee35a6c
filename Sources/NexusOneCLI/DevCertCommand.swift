import ArgumentParser
import Server

/// `nexusone dev-cert`: a self-signed certificate for local HTTPS.
struct DevCertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-cert", abstract: "Write a self-signed certificate and key for localhost.",
        discussion: "Example: nexusone dev-cert --directory ./nexusone-data/tls && nexusone --tls-cert ./nexusone-data/tls/cert.pem --tls-key ./nexusone-data/tls/key.pem")

    @Option(help: "Where to write cert.pem and key.pem.")
    var directory = "./nexusone-data/tls"

    func run() async throws {
        let paths = try DevCertificate.write(to: directory)
        print("Certificate: \(paths.certificate)\nPrivate key: \(paths.key)")
        print("Start with: nexusone --tls-cert \(paths.certificate) --tls-key \(paths.key)")
    }
}
