import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An upload over a plain socket that keeps sending until the server answers or hangs up,
/// as a browser does: what shows whether a huge body is cut short rather than read whole.
enum RawUpload {
    struct Outcome {
        let status: Int
        let bytesSent: Int
        let response: String
    }

    /// Sends `head` then the chunks `next(sentSoFar)` returns (nil: the body is over), and
    /// returns the server's status line and how many body bytes went out before it answered.
    /// The socket blocks, so it runs on a thread of its own: blocking one of the few threads
    /// of Swift's cooperative pool would starve the server under test.
    static func send(port: Int, head: String, next: @escaping @Sendable (Int) -> [UInt8]?) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result<Outcome, any Error> { try blockingSend(port: port, head: head, next: next) })
            }
        }
    }

    private static func blockingSend(port: Int, head: String, next: (Int) -> [UInt8]?) throws -> Outcome {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        func write(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        func readable(timeout: Int32) -> Bool {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return poll(&poller, 1, timeout) > 0
        }
        var sent = 0
        _ = write(Array(head.utf8))
        while !readable(timeout: 0), let chunk = next(sent) {
            guard write(chunk) else { break }
            sent += chunk.count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while readable(timeout: 60_000) {  // as long as the test client waits (WebTestServer)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
            if let text = String(bytes: received, encoding: .utf8), text.contains("\r\n\r\n") { break }
        }
        let text = String(decoding: received, as: UTF8.self)
        let status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return Outcome(status: status, bytesSent: sent, response: text)
    }
}
