import MarelleCore
import MarelleDatabase

/// The numbering of invoices, credit notes and receipts. `reserve` locks the series' row for
/// the rest of the transaction: a second issuer waits, then numbers after the first one's
/// commit, so concurrent runs leave neither a gap nor a duplicate (and a rolled-back run gives
/// its numbers back, since the counter rolls back with it).
public struct DocumentCounterStore: Sendable {
    public init() {}

    /// Locks the series and returns the last number given so far this year.
    public func lock(_ tx: Session, series: DocumentNumber.Series, year: Int) throws -> Int {
        try tx.execute(
            """
            INSERT INTO document_counters (series, year, last_number) VALUES (\(series.rawValue), \(year), 0)
            ON CONFLICT (series, year) DO NOTHING
            """)
        return try tx.queryOne(
            "SELECT last_number FROM document_counters WHERE series = \(series.rawValue) AND year = \(year) FOR UPDATE"
        ).decode("last_number")
    }

    /// Records that numbers up to `last` are given (after `lock`, in the same transaction).
    public func advance(_ tx: Session, series: DocumentNumber.Series, year: Int, to last: Int) throws {
        try tx.execute(
            "UPDATE document_counters SET last_number = \(last) WHERE series = \(series.rawValue) AND year = \(year)")
    }

    /// One number, locked and given at once.
    public func next(_ tx: Session, series: DocumentNumber.Series, year: Int) throws -> DocumentNumber {
        let number = try lock(tx, series: series, year: year) + 1
        try advance(tx, series: series, year: year, to: number)
        return DocumentNumber(series: series, year: year, sequence: number)
    }
}
