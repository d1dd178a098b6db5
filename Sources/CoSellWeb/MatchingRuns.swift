import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The account matching this process runs for partnerships in the background (after an acceptance,
/// or when a person asks for it again): when each started, and how the last one ended, so that the
/// partnership page shows it running and then what it found.
final class MatchingRuns: @unchecked Sendable {
    static let shared = MatchingRuns()

    enum State: Sendable, Equatable {
        case running(since: Date)
        case finished(overlaps: Int, at: Date)
        case failed(String, at: Date)
    }

    private var states: [UUID: State] = [:]
    private let lock = NSLock()

    func state(_ partnershipID: UUID) -> State? {
        lock.lock()
        defer { lock.unlock() }
        return states[partnershipID]
    }

    /// Marks the partnership's matching started; false when one runs already in this process.
    func begin(_ partnershipID: UUID, at now: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if case .running = states[partnershipID] { return false }
        states[partnershipID] = .running(since: now)
        return true
    }

    func end(_ partnershipID: UUID, _ state: State) {
        lock.lock()
        states[partnershipID] = state
        lock.unlock()
    }
}

extension Request {
    /// Matches the partnership's two account lists again in the background (the page shows it
    /// running); nothing starts when a run is under way in this process already.
    func startMatching(_ partnershipID: UUID, by p: Principal) {
        let runs = MatchingRuns.shared
        guard runs.begin(partnershipID, at: Date()) else { return }
        let imports = workflows.imports
        let app = application
        app.backgroundJobs.run {
            do {
                let n = try await imports.refreshOverlaps(of: partnershipID, by: p)
                runs.end(partnershipID, .finished(overlaps: n, at: Date()))
            } catch {
                app.logger.error("Matching partnership \(partnershipID) failed: \(String(reflecting: error))")
                runs.end(partnershipID, .failed("\(error)", at: Date()))
            }
        }
    }
}
