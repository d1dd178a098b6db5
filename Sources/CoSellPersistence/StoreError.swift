/// Why the store refused a write.
public enum StoreError: Error, Equatable, Sendable {
    /// Someone else changed the record first (optimistic concurrency), or a uniqueness rule was hit.
    case conflict(String)
    case notFound(String)
    case invalid(field: String, String)
}
