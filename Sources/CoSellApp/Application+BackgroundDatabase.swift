import CoSellPersistence
import Fluent
import Vapor

extension Application {
    /// The connections the workers' rounds run on (webhooks, mail): the `.bulk` pool, not the requests'.
    /// On SQLite a round that meets the writer taken (an import writing a million rows) waits for it up
    /// to the busy timeout, and a connection of the requests' pool holds up every request of its event
    /// loop while it waits: a second each time, measured during a 1M-row import. Without a `.bulk`
    /// pool (an application configured otherwise), the default one.
    public var backgroundDatabase: any Database {
        databases.ids().contains(.bulk) ? db(.bulk) : db
    }
}
