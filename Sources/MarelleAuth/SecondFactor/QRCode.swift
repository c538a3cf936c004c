import CQRencode
import Foundation

/// A QR code drawn as SVG (libqrencode): the enrolment page shows the `otpauth://` URI this
/// way, inline, so the secret is never sent to an image service.
public enum QRCode {
    /// An `<svg>` element, one path of dark modules, with the quiet zone of four modules the
    /// standard asks for; nil if libqrencode cannot encode the text.
    public static func svg(_ text: String, title: String) -> String? {
        // Level M: readable with 15 % damage, the usual choice for a code on a screen.
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let margin = 4
        var path = ""
        // One rectangle per run of dark modules in a row: a third of the size of one per module.
        for y in 0..<width {
            var x = 0
            while x < width {
                guard code.pointee.data[y * width + x] & 1 == 1 else {
                    x += 1
                    continue
                }
                let start = x
                while x < width, code.pointee.data[y * width + x] & 1 == 1 { x += 1 }
                path += "M\(start + margin) \(y + margin)h\(x - start)v1h-\(x - start)z"
            }
        }
        let size = width + 2 * margin
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="220" height="220" role="img" \
            aria-label="\(escaped(title))" shape-rendering="crispEdges"><rect width="\(size)" height="\(size)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
}
