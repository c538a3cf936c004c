/// A ZIP archive of stored (uncompressed) entries, built in memory: what the family export
/// needs (one JSON file and documents that are pdf or images, compressed already). UTF-8
/// names, CRC-32 per entry, no ZIP64 (the archive stays well below 4 GiB).
public struct ZipArchive {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    private let dosTime: UInt16
    private let dosDate: UInt16

    /// `date` is the entries' modification date (local time as ZIP has it).
    public init(date: LocalDate, hour: Int = 0, minute: Int = 0) {
        dosTime = UInt16(hour << 11 | minute << 5)
        dosDate = UInt16((max(date.year, 1980) - 1980) << 9 | date.month << 5 | date.day)
    }

    public mutating func add(_ name: String, _ bytes: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(bytes)
        let offset = UInt32(body.count)
        func header(_ signature: UInt32, central: Bool) -> [UInt8] {
            var h: [UInt8] = []
            h.le32(signature)
            if central { h.le16(20) }  // made by
            h.le16(20)  // version needed
            h.le16(1 << 11)  // UTF-8 names
            h.le16(0)  // stored
            h.le16(dosTime)
            h.le16(dosDate)
            h.le32(crc)
            h.le32(UInt32(bytes.count))
            h.le32(UInt32(bytes.count))
            h.le16(UInt16(nameBytes.count))
            h.le16(0)  // extra
            if central {
                h.le16(0)  // comment
                h.le16(0)  // disk
                h.le16(0)  // internal attributes
                h.le32(0)  // external attributes
                h.le32(offset)
            }
            return h + nameBytes
        }
        body += header(0x0403_4b50, central: false)
        body += bytes
        directory += header(0x0201_4b50, central: true)
        count += 1
    }

    public func bytes() -> [UInt8] {
        var end: [UInt8] = []
        end.le32(0x0605_4b50)
        end.le16(0)
        end.le16(0)
        end.le16(UInt16(count))
        end.le16(UInt16(count))
        end.le32(UInt32(directory.count))
        end.le32(UInt32(body.count))
        end.le16(0)
        return body + directory + end
    }
}

/// CRC-32 (IEEE 802.3), as ZIP and PNG use it.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
}
