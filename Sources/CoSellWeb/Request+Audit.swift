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

    func audit(_ kind: String, _ detail: String, organizationID: UUID?, actor: Person?) async {
        let e = AuditEvent(
            organizationID: organizationID, actorID: actor?.id, actorName: actor?.name, kind: kind, detail: detail,
            address: clientAddress, at: Date())
        do { try await store.audit(e) } catch { logger.error("Could not write the audit log: \(error)") }
    }
}
