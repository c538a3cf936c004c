// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "marelle",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "marelle", targets: ["marelle"])
    ],
    // Pinned exactly to the versions tested; README "Dependencies" says how to update them.
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", exact: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-collections.git", exact: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        // cairo and pango (Debian's libcairo2-dev, libpango1.0-dev) behind a small C face: the
        // PDF invoices and certificates. A C target rather than a system library because
        // pango's pkg-config flags carry -pthread, which SwiftPM refuses with a warning; the
        // include paths are Debian's (both architectures' glib configuration directory).
        .target(
            name: "CPDF",
            cSettings: [
                .unsafeFlags([
                    "-I/usr/include/pango-1.0", "-I/usr/include/glib-2.0", "-I/usr/lib/x86_64-linux-gnu/glib-2.0/include",
                    "-I/usr/lib/aarch64-linux-gnu/glib-2.0/include", "-I/usr/include/harfbuzz", "-I/usr/include/cairo",
                    "-I/usr/include/freetype2",
                ])
            ],
            linkerSettings: [
                .linkedLibrary("pangocairo-1.0"), .linkedLibrary("pango-1.0"), .linkedLibrary("gobject-2.0"),
                .linkedLibrary("glib-2.0"), .linkedLibrary("cairo"),
            ]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // libxml2 (Debian's libxml2-dev): a C target, not a system library, because Debian
        // builds it with ICU and its headers clash with Foundation's copy of ICU's.
        .target(
            name: "CXML",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [.linkedLibrary("xml2")]
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // ICU's spoof checker (Debian's libicu-dev): a C target, not a system library, because
        // ICU's versioned entry points are only reachable through its C headers' macros.
        .target(
            name: "CConfusables",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]
        ),
        .target(name: "MarelleCore", resources: [.copy("Messages")], swiftSettings: strict),
        .target(
            name: "MarelleDatabase",
            dependencies: [
                "CLibPQ",
                "MarelleCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MarelleAuth",
            dependencies: [
                "CArgon2",
                "CConfusables",
                "CQRencode",
                "MarelleCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "MarelleStore",
            dependencies: ["MarelleCore", "MarelleDatabase", "MarelleAuth"],
            swiftSettings: strict
        ),
        .target(
            name: "MarelleMail",
            dependencies: [
                "COpenSSL",
                "MarelleCore",
                "MarelleDatabase",
                "MarelleStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            // The payment providers behind one protocol (Stripe, the fake provider of
            // development and tests), their signatures, and the one HTTP client they share.
            name: "MarellePayments",
            dependencies: [
                "CCurl",
                "MarelleCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            // SEPA direct debit without the database: IBAN, BIC and creditor identifier
            // checks, the pain.008 writer, its ISO 20022 schemas (shipped, never fetched) and
            // the camt.054 reader.
            name: "MarelleSEPA",
            dependencies: ["CXML"],
            resources: [.copy("Schemas")],
            swiftSettings: strict
        ),
        .target(
            // The use cases: configuration, runtime wiring, services that own their
            // transactions, mail texts, demo data, CSV import. No Hummingbird.
            name: "MarelleApp",
            dependencies: [
                "MarelleCore",
                "MarelleStore",
                "MarelleDatabase",
                "MarelleAuth",
                "MarelleMail",
                "MarellePayments",
                "MarelleSEPA",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            // What the server sends back, without HTTP: the API's typed bodies and the
            // writers that turn them and the hot pages into bytes (JSON, HTML). No Hummingbird.
            name: "MarelleRendering",
            dependencies: ["CPDF", "MarelleCore", "MarelleStore", "MarelleApp"],
            swiftSettings: strict
        ),
        .target(
            name: "MarelleWeb",
            dependencies: [
                "MarelleRendering",
                "MarelleApp",
                "MarelleCore",
                "MarelleStore",
                "MarelleDatabase",
                "MarelleAuth",
                "MarelleMail",
                "MarellePayments",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Public")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "marelle",
            dependencies: [
                "MarelleAuth",
                "MarelleCore",
                "MarelleDatabase",
                "MarelleStore",
                "MarelleApp",
                "MarelleRendering",
                "MarelleWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MarelleTestSupport",
            dependencies: ["MarelleCore", "MarelleDatabase", "MarelleStore", "MarelleAuth", "MarelleApp", "MarelleWeb"],
            path: "Tests/MarelleTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "MarelleCoreTests",
            dependencies: ["MarelleCore"],
        ),
        .testTarget(
            name: "MarelleSEPATests",
            dependencies: ["MarelleSEPA"],
            resources: [.copy("Golden")],
        ),
        .testTarget(
            // Direct dependencies on every module TestSupport re-exports: through
            // `@_exported` alone, an incremental build missed a layout change of `Runtime`
            // and ran stale code.
            name: "MarelleAuthTests",
            dependencies: [
                "MarelleCore", "MarelleDatabase", "MarelleStore", "MarelleAuth", "MarelleApp", "MarelleWeb", "MarelleTestSupport",
            ],
        ),
        .testTarget(
            // Direct dependencies on every module TestSupport re-exports: through
            // `@_exported` alone, an incremental build missed a layout change of `Runtime`
            // and ran stale code.
            name: "MarelleDatabaseTests",
            dependencies: [
                "MarelleCore", "MarelleDatabase", "MarelleStore", "MarelleAuth", "MarelleApp", "MarelleWeb", "MarelleTestSupport",
            ],
        ),
        .testTarget(
            // Direct dependencies on every module TestSupport re-exports: through
            // `@_exported` alone, an incremental build missed a layout change of `Runtime`
            // and ran stale code.
            name: "MarelleStoreTests",
            dependencies: [
                "MarelleCore", "MarelleDatabase", "MarelleStore", "MarelleAuth", "MarelleApp", "MarelleWeb", "MarelleTestSupport",
            ],
        ),
        .testTarget(
            name: "MarelleMailTests",
            dependencies: [
                "MarelleCore", "MarelleDatabase", "MarelleStore", "MarelleAuth", "MarelleMail", "MarelleApp", "MarelleWeb",
                "MarelleTestSupport",
            ],
        ),
        .testTarget(
            name: "MarelleWebTests",
            dependencies: [
                "MarelleCore", "MarelleDatabase", "MarelleStore", "MarelleAuth", "MarelleMail",
                "MarelleApp", "MarelleRendering", "MarelleWeb", "MarellePayments", "MarelleSEPA",
                "MarelleTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
        ),
    ],
    swiftLanguageModes: [.v6]
)
