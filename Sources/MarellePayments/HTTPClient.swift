import CCurl
import Dispatch
import Foundation

/// The one HTTP client of the payment providers: libcurl with a connect and a total timeout,
/// retried with backoff on a network error or a 5xx (the requests it sends are safe to repeat:
/// reads, or creations that carry an idempotency key). Each call runs on a thread of its own
/// queue, outside the server's event loops.
public struct HTTPClient: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var url: String
        public var headers: [(String, String)]
        public var body: [UInt8]?

        public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
            (self.method, self.url, self.headers, self.body) = (method, url, headers, body)
        }
    }

    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public var connectTimeout: Duration = .seconds(5)
    public var timeout: Duration = .seconds(15)
    /// Attempts in all, the first included.
    public var attempts = 3
    /// `*.localhost` goes to 127.0.0.1 (RFC 6761), the way a browser sends it: the fake
    /// provider notifies an association's own subdomain in development and tests.
    public var resolveLocalhost = true

    private static let queue = DispatchQueue(label: "marelle.http-client", attributes: .concurrent)
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    public init() {}

    public func send(_ request: Request) async throws -> Response {
        var lastError: any Error = Failure(description: "no attempt")
        for attempt in 0..<max(1, attempts) {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(200 << attempt)) }
            do {
                let response = try await once(request)
                if response.status < 500 || attempt == attempts - 1 { return response }
                lastError = Failure(description: "HTTP \(response.status)")
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private func once(_ request: Request) async throws -> Response {
        _ = Self.initialised
        let settings = self
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try settings.perform(request) })
            }
        }
    }

    /// What the write callback fills.
    private final class Sink {
        var bytes: [UInt8] = []
    }

    private func perform(_ request: Request) throws -> Response {
        guard let curl = curl_easy_init() else { throw Failure(description: "curl_easy_init failed") }
        defer { curl_easy_cleanup(curl) }
        let sink = Sink()
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headers) }
        for (name, value) in request.headers {
            headers = curl_slist_append(headers, "\(name): \(value)")
        }
        // Without it curl sends "Expect: 100-continue" on larger bodies and waits.
        headers = curl_slist_append(headers, "Expect:")
        var resolve: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(resolve) }
        if resolveLocalhost, let url = URL(string: request.url), let host = url.host, host.hasSuffix(".localhost") {
            let port = url.port ?? (url.scheme == "https" ? 443 : 80)
            resolve = curl_slist_append(resolve, "\(host):\(port):127.0.0.1")
            _ = marelle_curl_set_pointer(curl, CURLOPT_RESOLVE, resolve)
        }
        _ = marelle_curl_set_string(curl, CURLOPT_URL, request.url)
        _ = marelle_curl_set_string(curl, CURLOPT_CUSTOMREQUEST, request.method)
        _ = marelle_curl_set_pointer(curl, CURLOPT_HTTPHEADER, headers)
        _ = marelle_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout))
        _ = marelle_curl_set_long(curl, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout))
        _ = marelle_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        // Only the web's schemes: a provider's URL never reads a file.
        _ = marelle_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        if let body = request.body, body.isEmpty {
            _ = marelle_curl_set_string(curl, CURLOPT_COPYPOSTFIELDS, "")
        } else if let body = request.body {
            _ = marelle_curl_set_long(curl, CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBufferPointer { buffer in
                _ = marelle_curl_set_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
        }
        _ = marelle_curl_set_write(curl) { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = marelle_curl_set_pointer(curl, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        let code = withExtendedLifetime(sink) { curl_easy_perform(curl) }
        guard code == CURLE_OK else { throw Failure(description: String(cString: curl_easy_strerror(code))) }
        var status = 0
        _ = marelle_curl_response_code(curl, &status)
        return Response(status: status, body: sink.bytes)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
