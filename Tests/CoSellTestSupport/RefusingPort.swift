import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that refuses connections, and stays so: a socket is bound to it and never
/// listens, and is kept open for the rest of the test process. (A port found free and then released
/// can be taken by another test's server before it is used: a connection then reaches that server.)
public enum RefusingPort {
    public static func make() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        precondition(bound == 0, "bind() failed")
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        // Not closed, never listening: connecting gets ECONNREFUSED, and nobody else can bind the port.
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
