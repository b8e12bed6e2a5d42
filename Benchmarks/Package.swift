// swift-tools-version: 6.1
// Benchmarks live in their own package so that the main build and CI do not compile
// ordo-one/benchmark. Run with: cd Benchmarks && swift package --disable-sandbox benchmark
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the clone was called.
let main = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "CustomerFlowBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MediatorOverhead",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CustomerApplication", package: main),
                .product(name: "Persistence", package: main),
                .product(name: "Mediator", package: main),
                .product(name: "CustomerDomain", package: main),
            ],
            path: "Benchmarks/MediatorOverhead",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
