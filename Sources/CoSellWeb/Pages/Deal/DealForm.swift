import CoSellDomain
import Foundation
import Vapor

/// A page form sent with mistakes: every field at fault with its message, in the form's order.
struct FormInvalid: Error {
    var errors: [(field: String, message: String)]

    var byField: [String: String] {
        Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
    }
}

/// Reads a page form field by field and keeps going after a mistake, so that one submission
/// reports every field at fault (`finish()` throws them all at once).
struct FormReader {
    let req: Request
    private(set) var errors: [(field: String, message: String)] = []

    init(_ req: Request) { self.req = req }

    var isValid: Bool { errors.isEmpty }

    /// The trimmed value, nil when empty.
    func value(_ name: String) -> String? { req.formValue(name) }

    mutating func fail(_ field: String, _ message: String) {
        guard !errors.contains(where: { $0.field == field }) else { return }
        errors.append((field, message))
    }

    /// Throws every mistake recorded so far.
    func finish() throws(FormInvalid) {
        if !errors.isEmpty { throw FormInvalid(errors: errors) }
    }

    mutating func required(_ name: String, _ what: String) -> String? {
        guard let v = value(name) else {
            fail(name, "Enter \(what).")
            return nil
        }
        return v
    }

    mutating func date(_ name: String, required: Bool = true) -> LocalDate? {
        guard let raw = value(name) else {
            if required { fail(name, "Enter a date.") }
            return nil
        }
        return Self.date(raw, field: name, into: &self)
    }

    /// A typed date, ISO or refused with the domain's sentence that says how to write it.
    static func date(_ raw: String, field: String, into r: inout FormReader) -> LocalDate? {
        do {
            return try LocalDate(typed: raw)
        } catch {
            r.fail(field, error.message)
            return nil
        }
    }

    mutating func uuid(_ name: String, required: Bool = true) -> UUID? {
        guard let raw = value(name) else {
            if required { fail(name, "Choose one.") }
            return nil
        }
        guard let id = UUID(uuidString: raw) else {
            fail(name, "Choose one of the listed options.")
            return nil
        }
        return id
    }

    mutating func choice<T: RawRepresentable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let raw = value(name), let v = T(rawValue: raw) else {
            fail(name, "Choose one of the listed options.")
            return nil
        }
        return v
    }

    /// An amount as people write it ("$310,000", "310k", "1.2M", "€ 45.000,50") in the currency
    /// chosen beside it.
    mutating func money(amount: String, currency: String, required: Bool) -> Money? {
        let code = (value(currency) ?? "").uppercased()
        let c = Currency(code: code)
        if c == nil { fail(currency, "Enter an ISO 4217 currency code such as USD or EUR.") }
        guard let text = value(amount) else {
            if required { fail(amount, "Enter an amount.") }
            return nil
        }
        guard let c else { return nil }
        do {
            return try Money(typed: text, currency: c)
        } catch {
            fail(amount, error.message)
            return nil
        }
    }

    /// The filled rows of a repeated group of fields (`name_1`, `name_2`, …): a row counts when any
    /// of its fields has a value.
    func rows(_ fields: [String], max: Int) -> [(index: Int, values: [String: String])] {
        (1...max).compactMap { n in
            var row: [String: String] = [:]
            for f in fields { if let v = value("\(f)_\(n)") { row[f] = v } }
            return row.isEmpty ? nil : (n, row)
        }
    }
}
