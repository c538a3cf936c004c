import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One SMTP conversation over a blocking socket, upgraded to TLS with OpenSSL after
/// STARTTLS. Blocking is deliberate: deliveries run on the mail worker's own threads, never
/// on Swift's cooperative pool, and a plain socket keeps the STARTTLS switch simple.
final class SMTPConnection {
    private let settings: SMTPSettings
    private var fd: Int32 = -1
    private var ssl: OpaquePointer?
    private var context: OpaquePointer?
    private var buffer: [UInt8] = []

    init(settings: SMTPSettings) {
        self.settings = settings
    }

    deinit {
        close()
    }

    func close() {
        if let ssl {
            SSL_shutdown(ssl)
            SSL_free(ssl)
            self.ssl = nil
        }
        if let context {
            SSL_CTX_free(context)
            self.context = nil
        }
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    func connect() throws(SMTPError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(settings.host, String(settings.port), &hints, &list)
        guard status == 0, let first = list else {
            throw SMTPError(message: "cannot resolve \(settings.host): \(String(cString: gai_strerror(status)))", code: nil)
        }
        // "The freeaddrinfo() function frees the memory that was allocated for the
        // dynamically allocated linked list res." (getaddrinfo(3))
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            let s = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if s >= 0 {
                var timeout = timeval(tv_sec: settings.timeoutSeconds, tv_usec: 0)
                setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(s, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    fd = s
                    return
                }
                lastError = String(cString: strerror(errno))
                Glibc.close(s)
            }
            node = info.pointee.ai_next
        }
        throw SMTPError(message: "cannot connect to \(settings.host):\(settings.port): \(lastError)", code: nil)
    }

    /// Reads one reply (all its `250-` continuation lines); returns code and lines.
    func readReply() throws(SMTPError) -> (Int, [String]) {
        var lines: [String] = []
        while true {
            let line = try readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw SMTPError(message: "unexpected reply '\(line.prefix(80))'", code: nil)
            }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return (code, lines) }
        }
    }

    /// Sends a command and checks the reply's code against `expected`.
    @discardableResult
    func command(_ text: String, expect expected: Set<Int>, redacted: Bool = false) throws(SMTPError) -> [String] {
        try write(text + "\r\n")
        let (code, lines) = try readReply()
        guard expected.contains(code) else {
            let what = redacted ? "authentication" : String(text.prefix(40))
            throw SMTPError(message: "\(what) refused: \(lines.joined(separator: " "))", code: code)
        }
        return lines
    }

    func write(_ text: String) throws(SMTPError) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.count - offset
            let sent: Int = bytes.withUnsafeMutableBytes { raw in
                let p = raw.baseAddress!.advanced(by: offset)
                if let ssl { return Int(SSL_write(ssl, p, Int32(count))) }
                return Glibc.send(fd, p, count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw SMTPError(message: "connection lost while sending", code: nil) }
            offset += sent
        }
    }

    /// Switches the socket to TLS, checking the server's certificate and name.
    func startTLS() throws(SMTPError) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw tlsError("cannot create a TLS context") }
        context = ctx
        _ = marelle_ssl_ctx_set_min_tls12(ctx)
        if let caFile = settings.caFile {
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else { throw tlsError("cannot read \(caFile)") }
        } else {
            SSL_CTX_set_default_verify_paths(ctx)
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        guard let s = SSL_new(ctx) else { throw tlsError("cannot create a TLS session") }
        ssl = s
        SSL_set1_host(s, settings.host)
        _ = marelle_ssl_set_sni(s, settings.host)
        SSL_set_fd(s, fd)
        guard SSL_connect(s) == 1 else { throw tlsError("TLS handshake with \(settings.host) failed") }
        buffer.removeAll()
    }

    private func readLine() throws(SMTPError) -> String {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < 64 * 1024 else { throw SMTPError(message: "reply line too long", code: nil) }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let received: Int = chunk.withUnsafeMutableBytes { raw in
                if let ssl { return Int(SSL_read(ssl, raw.baseAddress, 4096)) }
                return Glibc.recv(fd, raw.baseAddress, 4096, 0)
            }
            guard received > 0 else {
                let timedOut = received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                throw SMTPError(
                    message: timedOut
                        ? "no answer from the server within \(settings.timeoutSeconds) s" : "connection closed by the server",
                    code: nil)
            }
            buffer.append(contentsOf: chunk[..<received])
        }
    }

    private func tlsError(_ what: String) -> SMTPError {
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &text, 256)
        let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return SMTPError(message: "\(what): \(message)", code: nil)
    }
}
