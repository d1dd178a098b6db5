import Foundation
import Testing

/// `scripts/smtp_sink.py` run as a subprocess for one test: an aiosmtpd server on 127.0.0.1 that writes what it
/// accepts to a temporary directory.
///
/// The interpreter is `python3`, or `COSELL_SMTP_PYTHON` when set (e.g. a virtual environment's python). When
/// aiosmtpd is missing, ``start(_:)`` throws an error telling to `pip install aiosmtpd`, so the tests fail rather
/// than pass silently; `COSELL_SKIP_SMTP_TESTS=1` skips them instead (see ``SMTPSink/isSkipped``).
public final class SMTPSink: @unchecked Sendable {
    /// What the sink wrote to `index.jsonl` for one accepted message.
    public struct Delivery: Decodable {
        public var seq: Int
        public var mail_from: String
        public var rcpt_tos: [String]
        public var subject: String?
        public var files: [String]
        public var tls: Bool
        public var auth_user: String?
        public var mail_options: [String]
        public var helo: String?
        public var headers: [[String]]?
        public var text: String?
        public var html: String?

        /// The decoded values of the headers named `name` (case-insensitive).
        public func header(_ name: String) -> [String] {
            (headers ?? []).filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
        }
    }

    public struct SinkError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `COSELL_SKIP_SMTP_TESTS=1`: the suites against the sink are disabled (visibly skipped).
    public static let isSkipped = ProcessInfo.processInfo.environment["COSELL_SKIP_SMTP_TESTS"] == "1"

    static let python = ProcessInfo.processInfo.environment["COSELL_SMTP_PYTHON"] ?? "python3"

    /// The repository's root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let script = repositoryRoot.appendingPathComponent("scripts/smtp_sink.py")

    /// Whether the interpreter can import aiosmtpd (checked once).
    public static let hasAiosmtpd: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }()

    public let directory: URL
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(directory: URL, port: Int, process: Process, stdin: Pipe) {
        self.directory = directory
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// A new empty temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cosell-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts the sink with extra `arguments` (e.g. `["--refuse-rcpt", "550"]`) and waits for its READY line.
    public static func start(_ arguments: [String] = []) async throws -> SMTPSink {
        guard hasAiosmtpd else {
            throw SinkError(
                description: """
                    the SMTP tests need the Python package aiosmtpd, which '\(python)' cannot import: \
                    pip install aiosmtpd (or set COSELL_SKIP_SMTP_TESTS=1 to skip these tests)
                    """)
        }
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("out")
        let stderrURL = directory.appendingPathComponent("sink.stderr")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [python, script.path, "--port", "0", "--out", output.path, "--exit-on-stdin-eof"] + arguments
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()

        // Read the READY line; a sink that says nothing in 120 s is killed, which ends the read. (A cold
        // Python start while the whole suite starts on two cores once took about 30 s: a shorter
        // watchdog fired just after READY and the test met a closed port.)
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let line: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                let handle = stdout.fileHandleForReading
                while !bytes.contains(0x0A) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    bytes.append(contentsOf: chunk)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        watchdog.cancel()
        let words = line.split(whereSeparator: \.isWhitespace)
        guard words.count == 3, words[0] == "READY", let port = Int(words[2]), process.isRunning else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw SinkError(description: "smtp_sink.py did not start: stdout '\(line)', stderr: \(stderr)")
        }
        return SMTPSink(directory: directory, port: port, process: process, stdin: stdin)
    }

    /// Stops the sink with SIGTERM, checks that it exits with status 0, and removes its directory.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        let stderr = (try? String(contentsOf: directory.appendingPathComponent("sink.stderr"), encoding: .utf8)) ?? ""
        #expect(
            process.terminationReason == .exit && process.terminationStatus == 0,
            "the sink did not exit cleanly: \(stderr)")
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages accepted so far.
    public func deliveries() throws -> [Delivery] {
        let index = directory.appendingPathComponent("out/index.jsonl")
        guard FileManager.default.fileExists(atPath: index.path) else { return [] }
        let text = try String(contentsOf: index, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Delivery.self, from: Data($0.utf8)) }
    }

    /// The raw bytes of an accepted message's `.eml` file.
    public func eml(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("out/\(name)")))
    }

    /// Makes a self-signed certificate for `localhost` and 127.0.0.1 in the sink's directory.
    public func makeCertificate() throws -> (certificate: String, key: String) {
        try Self.makeCertificate(in: directory)
    }

    public static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SinkError(description: "openssl could not make a certificate")
        }
        return (certificate, key)
    }
}

/// Runs `body` with a sink started with `arguments`, stopping it afterwards whatever happens.
public func withSMTPSink<T>(
    _ arguments: [String] = [], _ body: (SMTPSink) async throws -> T
) async throws -> T {
    let sink = try await SMTPSink.start(arguments)
    do {
        let result = try await body(sink)
        sink.stop()
        return result
    } catch {
        sink.stop()
        throw error
    }
}
