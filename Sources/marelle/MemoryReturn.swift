/// How the server's allocator gives big buffers back. glibc serves an allocation of 128 KiB
/// or more with its own mapping, returned to the system when freed, but raises that
/// threshold to the size of each such block freed (up to 32 MiB): after the first 10 MB
/// upload, the next ones come from the heap arenas, which keep the memory once it is free.
/// That was the server growing in steps under uploads and never coming down. A fixed
/// threshold turns the adjustment off: every buffer of 1 MiB or more (a document, its
/// multipart body, a ZIP export) is a mapping of its own, gone from RSS the moment it is
/// freed. Smaller allocations, the bulk of the traffic, are not concerned.
enum MemoryReturn {
    static let mappedFromBytes: Int32 = 1 << 20
    /// `M_MMAP_THRESHOLD` of `<malloc.h>`, which the Glibc module does not export.
    private static let mmapThreshold: Int32 = -3

    static func configure() {
        _ = glibcMallopt(mmapThreshold, mappedFromBytes)
    }
}

/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
