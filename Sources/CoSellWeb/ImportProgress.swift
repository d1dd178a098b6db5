import CoSellWorkflows
import Foundation
import Vapor

/// Progress of running imports in this process, 0...1 by import id.
final class ImportProgress: @unchecked Sendable {
    static let shared = ImportProgress()
    private var values: [UUID: Double] = [:]
    private let lock = NSLock()

    func set(_ id: UUID, _ value: Double) {
        lock.lock()
        values[id] = value
        lock.unlock()
    }

    func get(_ id: UUID) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return values[id] ?? 0
    }

    func remove(_ id: UUID) {
        lock.lock()
        values[id] = nil
        lock.unlock()
    }
}

extension Request {
    /// Starts an import with `start` (a verb that records the job), turning a file that cannot be read
    /// into its problem, then runs the rest in the background, reporting progress to `ImportProgress`.
    /// The one way for the API and the import page.
    func startImport(
        _ start: () async throws -> AccountImportWorkflows.Started
    ) async throws -> AccountImportWorkflows.Started {
        let started: AccountImportWorkflows.Started
        do {
            started = try await start()
        } catch WorkflowError.invalid(field: "body", let detail) {
            throw Problem(
                .unprocessableEntity, type: "invalid-file", title: "The file cannot be imported", detail: detail,
                field: "body")
        }
        let app = application
        // The job outlives the request; the store's connection comes from the application's pool.
        let imports = workflows.imports
        let id = started.id
        ImportProgress.shared.set(id, 0)
        app.backgroundJobs.run {
            do {
                try await imports.run(started) { ImportProgress.shared.set(id, $0 * 0.8) }
            } catch {
                app.logger.error("Account import \(id) failed: \(String(reflecting: error))")
            }
            ImportProgress.shared.remove(id)
        }
        return started
    }
}
