// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "cosell",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cosell", targets: ["cosell"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure domain core: values and rules, Foundation only.
        .target(name: "CoSellDomain", swiftSettings: strict),
        // A cache prefetch hint for the account-mapping core's hash lookups (C: Swift has none).
        .target(name: "CCoSellPrefetch"),
        // Pure account-mapping core: normalizers and matcher, Foundation only.
        .target(
            name: "CoSellMatching", dependencies: ["CCoSellPrefetch"], resources: [.copy("Resources")],
            swiftSettings: strict),
        // Private set intersection for private account mapping: X25519 and SHA-256 from swift-crypto, no I/O.
        .target(
            name: "CoSellPrivateSet", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // Use cases: the product's verbs, each one unit of work over a store protocol. No Vapor, no Fluent.
        .target(
            name: "CoSellWorkflows", dependencies: ["CoSellDomain", "CoSellMatching", "CoSellPrivateSet"],
            swiftSettings: strict),
        // Persistence: Fluent records, migrations, the workflows' store on Fluent. No Vapor.
        .target(
            name: "CoSellPersistence",
            dependencies: [
                "CoSellDomain",
                "CoSellMatching",
                "CoSellWorkflows",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            swiftSettings: strict
        ),
        // Web: thin Vapor adapters for the JSON API and the pages over the workflows. No Fluent.
        .target(
            name: "CoSellWeb",
            dependencies: [
                "CoSellDomain",
                "CoSellMatching",
                "CoSellWorkflows",
                "CoSellPersistence",
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: strict
        ),
        // Mail: an SMTP client (STARTTLS, AUTH) and RFC 5322 messages on SwiftNIO. Knows nothing of cosell.
        .target(
            name: "CoSellMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Composition root shared by the server, the CLI and the tests.
        .target(
            name: "CoSellApp",
            dependencies: [
                "CoSellDomain",
                "CoSellMatching",
                "CoSellPersistence",
                "CoSellWorkflows",
                "CoSellWeb",
                "CoSellMail",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "cosell",
            dependencies: [
                "CoSellApp",
                "CoSellDomain",
                "CoSellWeb",
                "CoSellMatching",
                "CoSellPrivateSet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Benchmark of account mapping on generated lists with ground truth (run in release; see BENCHMARKS.md).
        .executableTarget(name: "cosell-mapbench", dependencies: ["CoSellMatching"], swiftSettings: strict),
        // Benchmark of the reports over 100,000 generated deals on SQLite (run in release; see BENCHMARKS.md).
        .executableTarget(
            name: "cosell-reportbench",
            dependencies: [
                "CoSellApp", "CoSellDomain", "CoSellPersistence", "CoSellWeb",
                .product(name: "Vapor", package: "vapor"), .product(name: "FluentSQL", package: "fluent-kit"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "CoSellDomainTests", dependencies: ["CoSellDomain"], swiftSettings: strict),
        .testTarget(name: "CoSellMatchingTests", dependencies: ["CoSellMatching"], swiftSettings: strict),
        .testTarget(
            name: "CoSellPrivateSetTests", dependencies: ["CoSellPrivateSet", "CoSellMatching"], swiftSettings: strict),
        // The SMTP client against a real SMTP server on loopback (scripts/smtp_sink.py, aiosmtpd).
        .testTarget(
            name: "CoSellMailTests",
            dependencies: [
                "CoSellMail",
                "CoSellTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Helpers shared by the test targets: a fresh database per test, on SQLite or PostgreSQL; the API and
        // page clients and the demo's tokens, people and ids.
        .target(
            name: "CoSellTestSupport",
            dependencies: [
                "CoSellApp", "CoSellPersistence", "CoSellWeb",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
            ],
            path: "Tests/CoSellTestSupport",
            swiftSettings: strict
        ),
        // The `cosell` command's subcommands, parsed and run in process (exit codes, messages).
        .testTarget(
            name: "CoSellCLITests",
            dependencies: [
                "cosell", "CoSellApp", "CoSellDomain", "CoSellMatching", "CoSellPersistence", "CoSellTestSupport",
                "CoSellWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CoSellWorkflowsTests",
            dependencies: [
                "CoSellWorkflows", "CoSellDomain", "CoSellPersistence", "CoSellApp", "CoSellTestSupport",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
            ],
            swiftSettings: strict
        ),
        // The web layer through HTTP: the API, the pages and their snapshots, webhooks, the authorization matrix.
        .testTarget(
            name: "CoSellWebTests",
            dependencies: [
                "CoSellApp",
                "CoSellDomain",
                "CoSellPersistence",
                "CoSellTestSupport",
                "CoSellWorkflows",
                "CoSellWeb",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentSQL", package: "fluent-kit"),
            ],
            // HTML snapshots of the pages, compared by PageSnapshotTests.
            exclude: ["Snapshots"],
            swiftSettings: strict
        ),
        // The store: deal facts and their cache, migrations, write conflicts on SQLite, a killed import.
        .testTarget(
            name: "CoSellPersistenceTests",
            dependencies: [
                "CoSellApp",
                "CoSellDomain",
                "CoSellPersistence",
                "CoSellTestSupport",
                "CoSellWeb",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ],
            swiftSettings: strict
        ),
        // The composition root: configuration, loading the demo workspace.
        .testTarget(
            name: "CoSellAppTests",
            dependencies: [
                "CoSellApp",
                "CoSellMail",
                "CoSellPersistence",
                "CoSellDomain",
                "CoSellTestSupport",
                "CoSellWeb",
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
