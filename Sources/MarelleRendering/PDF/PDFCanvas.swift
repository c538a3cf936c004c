import CPDF
import MarelleCore

/// An A4 PDF drawn top to bottom: paragraphs and table rows flow down the page and a new page
/// begins when the next one would not fit, with the footer on every page. Cairo writes the
/// file and pango lays out the text (line breaks, accents, right-aligned amounts) through
/// `CPDF`, so the text stays selectable and `pdftotext` reads it back.
///
/// One canvas is drawn on one thread from start to `finish()`; the documents build theirs in
/// a single synchronous call.
final class PDFCanvas {
    enum Align: Int32 {
        case left = 0, right = 1, center = 2
    }

    /// A table cell: its text and its width in points.
    struct Cell {
        var text: String
        var width: Double
        var align: Align = .left
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let margin = 48.0
    static let contentWidth = pageWidth - 2 * margin
    private static let footerHeight = 28.0
    private static var bottom: Double { pageHeight - margin - footerHeight }

    /// Where the next line goes, in points from the top of the page.
    private(set) var y = margin
    private let pdf: OpaquePointer
    private let footer: String
    private var page = 1

    init(title: String, footer: String) throws {
        guard let pdf = marelle_pdf_new(Self.pageWidth, Self.pageHeight, Self.printable(title)) else {
            throw Failure(description: "out of memory")
        }
        self.pdf = pdf
        self.footer = footer
    }

    deinit {
        marelle_pdf_free(pdf)
    }

    /// The bytes of the finished file; the canvas takes no more drawing.
    func finish() throws -> [UInt8] {
        drawFooter()
        var bytes: UnsafePointer<UInt8>?
        var length = 0
        var message: UnsafePointer<CChar>?
        let status = marelle_pdf_finish(pdf, &bytes, &length, &message)
        guard status == 0, let bytes else { throw Failure(description: message.map { String(cString: $0) } ?? "cairo \(status)") }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    // MARK: Flow

    /// Text across the content width.
    func paragraph(_ text: String, size: Double = 10, bold: Bool = false, align: Align = .left, after: Double = 4) {
        let height = self.text(
            text, x: Self.margin, y: y, width: Self.contentWidth, size: size, bold: bold, align: align, draw: false)
        ensureRoom(height)
        _ = self.text(text, x: Self.margin, y: y, width: Self.contentWidth, size: size, bold: bold, align: align)
        y += height + after
    }

    /// Two blocks side by side (the association on the left, the document's identity or the
    /// family on the right), a bold flag per line; `y` moves below the taller.
    func columns(_ left: [(String, Bool)], _ right: [(String, Bool)], size: Double = 10, after: Double = 12) {
        let half = Self.contentWidth / 2 - 6
        let height = max(
            block(left, x: Self.margin, width: half, size: size, align: .left, draw: false),
            block(right, x: Self.margin + half + 12, width: half, size: size, align: .right, draw: false))
        ensureRoom(height)
        _ = block(left, x: Self.margin, width: half, size: size, align: .left, draw: true)
        _ = block(right, x: Self.margin + half + 12, width: half, size: size, align: .right, draw: true)
        y += height + after
    }

    /// One table row; `repeatHeader` is drawn first when the row starts a new page.
    func row(_ cells: [Cell], bold: Bool = false, size: Double = 9, shaded: Bool = false, repeatHeader: [Cell]? = nil) {
        let height =
            (cells.map { text($0.text, x: 0, y: 0, width: $0.width - 6, size: size, bold: bold, align: $0.align, draw: false) }
                .max() ?? 0) + 6
        if y + height > Self.bottom {
            newPage()
            if let repeatHeader { row(repeatHeader, bold: true, size: size, shaded: true) }
        }
        if shaded { marelle_pdf_fill_rect(pdf, Self.margin, y, Self.contentWidth, height, 0.92, 0.93, 0.95) }
        var x = Self.margin
        for cell in cells {
            _ = text(cell.text, x: x + 3, y: y + 3, width: cell.width - 6, size: size, bold: bold, align: cell.align)
            x += cell.width
        }
        y += height
        rule(gray: 0.8)
    }

    /// A thin line across the content width at `y`.
    func rule(gray: Double = 0.5) {
        marelle_pdf_line(pdf, Self.margin, y, Self.margin + Self.contentWidth, y, gray, 0.5)
    }

    func space(_ points: Double) {
        y += points
    }

    // MARK: Pages

    /// Starts the next document of a bundle (the January tax certificates) on a page of its own.
    func startPage() {
        if y > Self.margin { newPage() }
    }

    private func ensureRoom(_ height: Double) {
        if y + height > Self.bottom, y > Self.margin { newPage() }
    }

    private func newPage() {
        drawFooter()
        marelle_pdf_new_page(pdf)
        page += 1
        y = Self.margin
    }

    private func drawFooter() {
        _ = text(
            footer + " · " + tr("PDF.page", page), x: Self.margin, y: Self.pageHeight - Self.margin - 10,
            width: Self.contentWidth, size: 7.5, bold: false, align: .center, gray: 0.35)
    }

    // MARK: Text

    private func block(_ lines: [(String, Bool)], x: Double, width: Double, size: Double, align: Align, draw: Bool) -> Double {
        var top = y
        for (line, bold) in lines where !line.isEmpty {
            top += text(line, x: x, y: top, width: width, size: size, bold: bold, align: align, draw: draw) + 1
        }
        return top - y
    }

    /// Draws (or only measures) `text`; its height in points.
    private func text(
        _ text: String, x: Double, y: Double, width: Double, size: Double, bold: Bool, align: Align, gray: Double = 0,
        draw: Bool = true
    ) -> Double {
        marelle_pdf_text(pdf, Self.printable(text), x, y, width, size, bold ? 1 : 0, align.rawValue, gray, draw ? 1 : 0)
    }

    /// Control characters (a NUL would end the C string; others print as boxes) become spaces,
    /// except the line breaks of an address.
    static func printable(_ text: String) -> String {
        func control(_ s: Unicode.Scalar) -> Bool { (s.value < 0x20 && s != "\n") || s.value == 0x7F }
        guard text.unicodeScalars.contains(where: control) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { control($0) ? " " : $0 }))
    }
}
