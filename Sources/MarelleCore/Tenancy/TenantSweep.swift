/// Which associations a periodic pass visits in turn, so that every one is visited once per
/// `sweep` without a thousand transactions in the same pass: the pass numbered `pass` takes
/// the associations whose id is `pass` modulo `slices` (the id, not the place in a list, so
/// that an association created meanwhile moves no other to another pass). The mail worker
/// and the housekeeping share it.
public struct TenantSweep: Sendable, Equatable {
    /// How many passes one full round takes.
    public let slices: Int

    /// A round of `sweep` made of passes `every` apart (at least one pass).
    public init(sweep: Duration, every interval: Duration) {
        slices = interval > .zero ? max(1, Int((sweep / interval).rounded(.up))) : 1
    }

    /// Whether the association of id `id` is visited by pass number `pass`.
    public func includes(id: Int, pass: Int) -> Bool {
        id % slices == pass % slices
    }
}
