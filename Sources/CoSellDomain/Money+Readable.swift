extension Money {
    /// The amount as people read it, written the same on every server whatever its locale (no
    /// `NumberFormatter`): thousands grouped with commas, a point before the currency's minor digits,
    /// and the currency's common symbol before the number ("$310,000.00", "€45,000.50", "¥1,250,000"),
    /// or its code after the number where it has no symbol both sides read the same way
    /// ("45,000.50 CHF"). A negative amount starts with "-" ("-$1,200.00").
    ///
    /// In a currency with two decimals or none, the text reads back as the same amount with
    /// `Money(typed:currency:allowNegative:)` (that reader takes "99.999" as thousands, so a
    /// three-decimal amount under 1,000 would not).
    public var readable: String {
        let digits = currency.minorDigits
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = minorUnits.magnitude
        let whole = Array(String(magnitude / scale))
        var number = ""
        for (i, digit) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { number.append(",") }
            number.append(digit)
        }
        if digits > 0 {
            let fraction = String(magnitude % scale)
            number += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        let sign = minorUnits < 0 ? "-" : ""
        if let symbol = Money.readableSymbols[currency.code] { return sign + symbol + number }
        return sign + number + " " + currency.code
    }

    /// The symbols written before the number: the common English ones that name one currency (the
    /// other dollars carry their country's letters), each one `Money(typed:)` reads. A currency not
    /// listed is written with its code.
    static let readableSymbols: [String: String] = [
        "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "ILS": "₪",
        "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "HKD": "HK$", "BRL": "R$",
    ]
}
