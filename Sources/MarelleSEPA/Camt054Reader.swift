import CXML
import Foundation

/// Reads a bank's debit/credit notification (camt.054, any version: elements are matched by
/// their local names) for what matters to a creditor: the collections that came back, each
/// with its end-to-end identifier, amount and ISO reason code (AM04 insufficient funds, AC04
/// account closed, MD06 refund requested by the payer…).
public enum Camt054Reader {
    public struct Return: Sendable, Hashable {
        public let endToEndID: String
        public let amountCents: Int?
        public let reason: String
        /// ISO date of the entry's booking, when the notice gives it.
        public let bookedOn: String?
    }

    public struct Unreadable: Error, Sendable, Hashable {}

    /// An element of the notice: its local name, its text when it holds text only, its
    /// child elements.
    final class Element {
        let name: String
        var text = ""
        var children: [Element] = []
        init(name: String) { self.name = name }

        func child(_ path: String...) -> Element? {
            var current: Element? = self
            for step in path { current = current?.children.first { $0.name == step } }
            return current
        }

        func all(_ wanted: String) -> [Element] {
            children.flatMap { $0.name == wanted ? [$0] : $0.all(wanted) }
        }
    }

    /// The returns in `data`; a notice with none gives an empty list. Not XML, or not a
    /// camt.054 document, is `Unreadable`.
    public static func returns(in data: [UInt8]) throws(Unreadable) -> [Return] {
        let root = try outline(data)
        guard root.name == "Document", root.child("BkToCstmrDbtCdtNtfctn") != nil else { throw Unreadable() }
        var found: [Return] = []
        for entry in root.all("Ntry") {
            let bookedOn = entry.child("BookgDt", "Dt")?.text
            for details in entry.all("TxDtls") {
                guard let info = details.child("RtrInf"), let endToEnd = details.child("Refs", "EndToEndId")?.text,
                    !endToEnd.isEmpty
                else { continue }
                let reason = info.child("Rsn", "Cd")?.text ?? info.child("Rsn", "Prtry")?.text ?? ""
                let amount = (details.child("Amt") ?? details.child("AmtDtls", "TxAmt", "Amt"))?.text
                found.append(
                    Return(endToEndID: endToEnd, amountCents: amount.flatMap(cents), reason: reason, bookedOn: bookedOn))
            }
        }
        return found
    }

    static func outline(_ data: [UInt8]) throws(Unreadable) -> Element {
        guard !data.isEmpty, data.count < 16_000_000 else { throw Unreadable() }
        let capacity = data.count * 2 + 65_536
        var buffer = [CChar](repeating: 0, count: capacity)
        let written = data.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                marelle_xml_outline($0, Int32(bytes.count), &buffer, capacity)
            }
        }
        guard written > 0 else { throw Unreadable() }
        let text = String(decoding: buffer.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var stack: [Element] = [Element(name: "")]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let mark = line.first else { continue }
            let value = String(line.dropFirst())
            switch mark {
            case "+":
                let element = Element(name: value)
                stack.last?.children.append(element)
                stack.append(element)
            case "=": stack.last?.text = value.trimmingCharacters(in: .whitespaces)
            case "-": if stack.count > 1 { stack.removeLast() }
            default: continue
            }
        }
        guard let root = stack.first?.children.first else { throw Unreadable() }
        return root
    }

    /// "12.50" → 1250; nil for anything else.
    static func cents(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].allSatisfy(\.isNumber), let units = Int(parts[0]),
            units < 10_000_000
        else { return nil }
        guard parts.count == 2 else { return units * 100 }
        guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber) else { return nil }
        let fraction = parts[1].count == 1 ? Int(parts[1])! * 10 : Int(parts[1])!
        return units * 100 + fraction
    }
}
