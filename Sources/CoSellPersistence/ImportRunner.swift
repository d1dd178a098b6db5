import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which process runs an import: the host name, the process id and a token made when the process
/// started (`host pid token`), kept on the job. A job still `running` whose process is gone (killed
/// with `kill -9`, the machine restarted) never finishes on its own: a server starting on the same
/// host marks it failed (`CoSellStore.failAbandonedImports`). Jobs of other hosts are left to their
/// own host's next start.
public struct ImportRunner: Sendable, Equatable {
    public var host: String
    public var pid: Int32
    public var token: String

    /// This process.
    public static let current = ImportRunner(
        host: ProcessInfo.processInfo.hostName, pid: getpid(), token: UUID().uuidString.prefix(8).lowercased())

    public init(host: String, pid: Int32, token: String) {
        self.host = host
        self.pid = pid
        self.token = token
    }

    public var text: String { "\(host) \(pid) \(token)" }

    public init?(text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, token: String(parts[2]))
    }

    /// Whether the process that recorded `runner` is gone, seen from this process: a job of this host
    /// whose process no longer exists, or an earlier process that had this one's id. Nil when it
    /// cannot be told from here (another host).
    public static func isGone(_ runner: ImportRunner, from me: ImportRunner = .current) -> Bool? {
        guard runner.host == me.host else { return nil }
        if runner.pid == me.pid { return runner.token != me.token }
        if kill(runner.pid, 0) == 0 { return false }
        return errno != EPERM
    }
}
