import CLibPQ

/// A `PGresult`'s rows and affected count, copied out before the result is cleared.
extension PostgresConnection {
    static func rows(_ result: OpaquePointer) -> [Row] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let names = ColumnNames((0..<columnCount).map { String(cString: PQfname(result, Int32($0))) })
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        starts.reserveCapacity(rowCount * columnCount)
        ends.reserveCapacity(rowCount * columnCount)
        for r in 0..<Int32(rowCount) {
            for c in 0..<Int32(columnCount) {
                if PQgetisnull(result, r, c) == 1 {
                    starts.append(-1)
                    ends.append(-1)
                } else {
                    starts.append(bytes.count)
                    let length = Int(PQgetlength(result, r, c))
                    PQgetvalue(result, r, c).withMemoryRebound(to: UInt8.self, capacity: length) { value in
                        bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: length))
                    }
                    ends.append(bytes.count)
                }
            }
        }
        let cells = ResultCells(columns: names, bytes: bytes, starts: starts, ends: ends)
        return (0..<rowCount).map { Row(cells: cells, index: $0) }
    }

    static func affected(_ result: OpaquePointer) -> Int {
        guard let p = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: p)) ?? 0
    }
}
