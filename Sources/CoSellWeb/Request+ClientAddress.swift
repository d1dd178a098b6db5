import CoSellDomain
import Foundation
import Vapor

extension Request {
    /// The client's address, for rate limiting and the audit log. Behind a proxy that sets
    /// `X-Forwarded-For`, set `trustForwardedFor` so that the client's own address is used.
    var clientAddress: String {
        if application.security.trustForwardedFor, let forwarded = headers.first(name: "X-Forwarded-For"),
            let first = forwarded.split(separator: ",").first
        {
            let address = first.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty && address.count <= 64 { return address }
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
