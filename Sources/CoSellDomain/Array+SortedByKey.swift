import Foundation

extension Array {
    /// The elements in the order of a key computed once per element; equal keys keep their order.
    /// For large elements and costly keys, where `sorted(by:)` would move whole values and compute
    /// the key twice per comparison.
    public func sorted<Key>(byKey key: (Element) -> Key, _ less: (Key, Key) -> Bool) -> [Element] {
        let keys = map(key)
        return indices.sorted { less(keys[$0], keys[$1]) || (!less(keys[$1], keys[$0]) && $0 < $1) }.map {
            self[$0]
        }
    }
}
