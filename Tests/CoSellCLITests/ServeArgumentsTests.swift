import ArgumentParser
import Testing

@testable import cosell

/// `cosell serve`'s arguments, parsed as the command line would be.
@Suite("cosell serve: arguments")
struct ServeArgumentsTests {
    @Test("a port outside 1-65535 is refused with a message naming --port and exit code 64")
    func badPort() throws {
        for port in ["0", "65536", "-1"] {
            do {
                _ = try Cosell.parseAsRoot(["serve", "--port", port])
                Issue.record("--port \(port) was accepted")
            } catch {
                #expect(Cosell.exitCode(for: error) == .validationFailure)
                #expect(Cosell.message(for: error).contains("--port"))
            }
        }
    }

    @Test("the defaults: port 8080 on loopback, the demo on")
    func defaults() throws {
        let serve = try #require(try Cosell.parseAsRoot(["serve"]) as? Serve)
        #expect(serve.port == 8080)
        #expect(serve.host == "127.0.0.1")
        #expect(serve.noDemo == false)
    }
}
