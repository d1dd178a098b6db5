import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// CSV exports of the deals a person may see: plain deals and registrations, and the AWS ACE and
/// Microsoft Partner Center co-sell formats, each validated before it is written.
enum ExportsAPI {
    static let components: [(String, Schema)] = []

    static func operations() -> [APIOperation] { [] }
}
