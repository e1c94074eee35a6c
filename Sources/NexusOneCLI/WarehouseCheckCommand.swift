import ArgumentParser
import Foundation
import Server
import Domain

/// `nexusone warehouse check`: what the warehouse URL's role may do beyond reading. Exits 1 when it can change the
/// warehouse for good; notes name what the sandbox undoes anyway.
struct WarehouseCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Report whether the warehouse's role can write or create.",
        discussion: "Example: nexusone warehouse check --warehouse-url postgres://reader@db/warehouse --output json")
    @OptionGroup var storage: StorageOptions
    @Option(help: "text or json") var output: OutputFormat = .text

    func run() async throws {
        let findings = try await CommandRunner.withServices(try storage.configuration()) { services in try await services.warehousePrivilegeFindings() }
        let problems = findings?.filter { $0.severity == .problem } ?? []
        switch output {
        case .json:
            let report = Report(warehouse: findings == nil ? "sqlite" : "postgres", ok: problems.isEmpty, findings: findings ?? [])
            print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        case .text:
            guard let findings else {
                print("SQLite warehouse: user SQL runs in the engine's sandbox (read-only, authorizer, deadline); there is no role to check.")
                return
            }
            for finding in findings { print("\(finding.severity.rawValue): \(finding.message)") }
            print(problems.isEmpty ? "ok: the role can only read" : "the role can change the warehouse; see docs/security.md for the grants to give")
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }

    struct Report: Encodable {
        let warehouse: String
        let ok: Bool
        let findings: [WarehouseFinding]
    }
}
