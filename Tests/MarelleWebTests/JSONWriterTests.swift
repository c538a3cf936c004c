import Foundation
import Testing

@testable import MarelleRendering
@testable import MarelleWeb

/// `JSONReply` writes its bodies with `JSONWriter`; what it writes must mean what
/// `JSONEncoder` would have written, for every shape the API's bodies use.
@Suite("JSONWriter: the API's bodies, written in one pass, mean what JSONEncoder writes")
struct JSONWriterTests {
    enum State: String, Encodable {
        case free, full
    }

    struct Inner: Encodable {
        let label: String
        let cents: Int?
        let state: State
    }

    struct Body: Encodable {
        let id: Int
        let big: Int64
        let negative: Int
        let flag: Bool
        let text: String
        let missing: String?
        let present: String?
        let items: [Inner]
        let empty: [Int]
        let nested: [[Int]]
        let byName: [String: Int]
    }

    static let sample = Body(
        id: 42, big: 9_000_000_000_000, negative: -17, flag: false,
        text: "« Été » \"quoted\" \\ back/slash\nnew line\ttab \u{01} control 👩‍👧 emoji </script>",
        missing: nil, present: "là",
        items: [Inner(label: "libre", cents: 850, state: .free), Inner(label: "complet", cents: nil, state: .full)],
        empty: [], nested: [[1, 2], [], [3]], byName: ["un": 1, "deux": 2])

    private func parsed(_ bytes: [UInt8]) throws -> NSObject {
        try #require(JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? NSObject)
    }

    /// The value a body means, with the `null`s that JSONEncoder would have left out dropped.
    private func meaning(_ bytes: [UInt8], droppingNulls: Bool = false) throws -> JSONValue {
        func strip(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let members): .object(members.filter { $0.value != .null }.mapValues(strip))
            case .array(let items): .array(items.map(strip))
            default: value
            }
        }
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        return droppingNulls ? strip(value) : value
    }

    @Test("a body of every shape parses to the same value as JSONEncoder's, nil optionals written null")
    func sameMeaning() throws {
        let written = try JSONWriter.encode(Self.sample)
        let expected = Array(try JSONEncoder().encode(Self.sample))
        #expect(try meaning(written, droppingNulls: true) == meaning(expected))
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains("\"missing\":null"))
        #expect(text.hasPrefix("{\"id\":42,\"big\":9000000000000,\"negative\":-17,\"flag\":false,"))
    }

    @Test("the calendar body that writes itself writes what its Encodable conformance writes")
    func handWritten() throws {
        let body = ChildMonthBody(
            childId: 7, month: "2027-02",
            activities: [
                .init(
                    activityId: 1, name: "Centre « Les Pins »",
                    days: [
                        .init(date: "2027-02-01", state: "free", label: "libre", priceCents: 850),
                        .init(date: "2027-02-02", state: "full", label: "complet", priceCents: nil),
                    ]),
                .init(activityId: 2, name: "Cantine", days: []),
            ])
        let output = JSONWriter.Output()
        body.write(to: output)
        var generic: [UInt8] = []
        do {
            let encoder = JSONWriter.ValueEncoder(output: JSONWriter.Output())
            try body.encode(to: encoder)
            generic = encoder.output.bytes + [UInt8(ascii: "}")]
        }
        #expect(output.bytes == generic)
        #expect(try meaning(output.bytes, droppingNulls: true) == meaning(Array(JSONEncoder().encode(body))))
        #expect(String(decoding: output.bytes, as: UTF8.self).contains(#""label":"complet","priceCents":null}"#))
    }

    @Test("control characters are escaped so that the body stays valid JSON")
    func escapes() throws {
        let written = String(decoding: try JSONWriter.encode(["a\u{00}b\u{1F}c\"d\\e"]), as: UTF8.self)
        #expect(written == #"["a\u0000b\u001fc\"d\\e"]"#)
    }

    @Test("instants are ISO 8601 in UTC; what it does not write (doubles) is refused, and JSONReply falls back to JSONEncoder")
    func unsupported() throws {
        struct Dated: Encodable { let at: Date }
        struct Measured: Encodable { let ratio: Double }
        let dated = String(decoding: try JSONWriter.encode(Dated(at: Date(timeIntervalSince1970: 1_800_000_000))), as: UTF8.self)
        #expect(dated == #"{"at":"2027-01-15T08:00:00Z"}"#)
        #expect(throws: JSONWriter.Unsupported.self) { try JSONWriter.encode(Measured(ratio: 0.5)) }
    }
}
