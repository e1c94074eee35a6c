// swift-tools-version:6.2
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

var package = Package(
    name: "nexusone",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nexusone", targets: ["NexusOneCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
    ],
    targets: [
        .target(
            name: "Domain",
            swiftSettings: swiftSettings
        ),
        // Secrets at rest and in comparison: the at-rest box, password hashes (ours and Keycloak's), digests, constant
        // time, and the threads hashing runs on. No storage, no HTTP.
        .target(
            name: "Secrets",
            dependencies: [
                "Domain",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Domain", "Secrets", "SystemSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Tokens",
            dependencies: [
                "Domain",
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Bearer tokens of an external OpenID provider (a customer's own Keycloak): discovery, JWKS, verification.
        .target(
            name: "Federation",
            dependencies: [
                "Domain", "Tokens",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The use cases: what the product does, once, under its four front ends (docs/architecture.md).
        .target(
            name: "UseCases",
            dependencies: [
                "Domain", "Storage", "Tokens", "Warehouses", "Secrets",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The identity capability: any credential (a client secret, a password, a code, a refresh or bearer token, a
        // PSK, a portal session) becomes a `Principal` with its effective roles, here and nowhere else. No HTTP.
        .target(
            name: "Identity",
            dependencies: [
                "Domain", "Storage", "Tokens", "Federation", "UseCases", "Secrets",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // QR codes drawn on the server (authenticator enrolment), with no dependency at all.
        .target(name: "QRCode", swiftSettings: swiftSettings),
        // What every HTTP front end shares: the request context, the credential middleware, FastAPI's error shapes,
        // form and JSON encoding, page headers and budgets. It declares no storage (it reaches credentials through Identity).
        .target(
            name: "HTTPKit",
            dependencies: [
                "Domain", "Identity",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RealmEndpoints",
            dependencies: [
                "Domain", "Tokens", "HTTPKit", "Identity", "Federation", "UseCases", "Secrets", "QRCode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeyRoutes",
            dependencies: [
                "Domain", "HTTPKit", "Identity", "UseCases",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The system's SQLite (Debian: libsqlite3-dev), for the warehouse sandbox only (docs/decisions/0008).
        .systemLibrary(name: "SystemSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "SQLiteSandbox",
            dependencies: ["Domain", "SystemSQLite", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Warehouses",
            dependencies: [
                "Domain", "Storage", "SQLiteSandbox",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "API",
            dependencies: [
                "Domain", "HTTPKit", "Identity", "Federation", "UseCases",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Portal",
            dependencies: [
                "Domain", "Tokens", "HTTPKit", "Identity", "Federation", "UseCases", "Secrets", "QRCode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "Domain", "Storage", "Tokens", "HTTPKit", "Identity", "Federation", "UseCases", "RealmEndpoints", "API", "KeyRoutes", "Warehouses", "Portal", "Secrets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "NexusOneCLI",
            dependencies: [
                "Server", "Domain", "UseCases", "Federation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // What every storage test needs: a fresh SQLite or PostgreSQL database, and a clock moved by hand.
        .target(
            name: "DatabaseFixtures",
            dependencies: ["Domain", "Storage", .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/DatabaseFixtures",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // The use cases without HTTP, on SQLite and PostgreSQL.
        .testTarget(
            name: "UseCaseTests",
            dependencies: ["DatabaseFixtures", "Domain", "Identity", "Secrets", "Storage", "UseCases"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .testTarget(
            name: "NexusOneTests",
            dependencies: [
                "DatabaseFixtures",
                "Domain", "Storage", "Tokens", "HTTPKit", "Identity", "Federation", "UseCases", "RealmEndpoints", "API", "KeyRoutes", "Server", "Warehouses", "Portal", "Secrets", "QRCode",
                "SQLiteSandbox",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            // Tests import less precisely than product code; member import checks stay on for Sources only.
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)

// The signing benchmark is built only when asked for (`NEXUSONE_BENCHMARKS=1 swift build -c release`), so the
// product build and CI do not pay for it.
if ProcessInfo.processInfo.environment["NEXUSONE_BENCHMARKS"] != nil {
    package.targets.append(
        .executableTarget(name: "SignBenchmark", dependencies: ["Domain", "Tokens"], path: "Benchmarks/SignBenchmark", swiftSettings: swiftSettings))
}

// The libFuzzer harness (`scripts/fuzz.sh`, `NEXUSONE_FUZZ=1`): our own modules are built with libFuzzer's coverage and
// AddressSanitizer; the dependencies are left as they are, so only their build of our code changes.
if ProcessInfo.processInfo.environment["NEXUSONE_FUZZ"] != nil {
    let fuzzing = ["-sanitize=fuzzer,address"]
    for target in package.targets where target.type == .regular {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(fuzzing)]
    }
    package.targets.append(.target(name: "FuzzerDriver", path: "Fuzz/FuzzerDriver"))
    package.targets.append(
        .executableTarget(
            name: "NexusOneFuzz",
            dependencies: ["HTTPKit", "Identity", "Domain", "RealmEndpoints", "Tokens", "UseCases", "Warehouses", "FuzzerDriver",
                           .product(name: "JWTKit", package: "jwt-kit"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Fuzz/NexusOneFuzz", swiftSettings: swiftSettings + [.unsafeFlags(fuzzing + ["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(fuzzing + ["-use-ld=lld"])]))
}
