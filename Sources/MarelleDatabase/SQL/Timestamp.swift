import MarelleCore

import struct Foundation.Date

/// `timestamptz` in and out of its text form. Every connection sets `TimeZone = UTC` and
/// `DateStyle = ISO`, so the server always prints `2026-11-26 16:50:31.123456+00`; formatting
/// and parsing by hand keeps `DateFormatter` (slow, and not thread-safe on every platform)
/// out of the hot path.
enum Timestamp {
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let day = LocalDate(daysSinceEpoch: days).iso
        let h = secondOfDay / 3600
        let m = (secondOfDay % 3600) / 60
        let s = secondOfDay % 60
        return "\(day) \(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(micros, 6))+00"
    }

    static func parse(_ text: String) -> Date? {
        Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    static func parse(bytes utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        if utf8.elementsEqual("infinity".utf8) { return .distantFuture }
        if utf8.elementsEqual("-infinity".utf8) { return .distantPast }
        guard utf8.count >= 19, utf8[10] == 0x20 || utf8[10] == 0x54 else { return nil }
        guard let day = LocalDate(isoUTF8: utf8[0..<10])?.daysSinceEpoch,
            let h = number(utf8[11..<13]), let m = number(utf8[14..<16]), let s = number(utf8[17..<19])
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < utf8.count, utf8[index] == 0x2E {
            index += 1
            var scale = 0.1
            while index < utf8.count, utf8[index] >= 0x30, utf8[index] <= 0x39 {
                fraction += Double(utf8[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < utf8.count {
            let sign = utf8[index] == 0x2D ? -1 : 1
            guard utf8[index] == 0x2B || utf8[index] == 0x2D else { return nil }
            let rest = Array(utf8[(index + 1)...]).filter { $0 != 0x3A }
            guard rest.count >= 2, let oh = number(rest[0..<2]) else { return nil }
            let om = rest.count >= 4 ? number(rest[2..<4]) ?? 0 : 0
            offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        let total = day * 86_400 + h * 3600 + m * 60 + s - offsetSeconds
        return Date(timeIntervalSince1970: Double(total) + fraction)
    }

    private static func number(_ bytes: some Sequence<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            guard b >= 0x30, b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    private static func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }
}
