import MarelleCore
import Testing

@Suite("TenantSweep: every association once per round, a slice per pass")
struct TenantSweepTests {
    @Test(
        "over one round of passes every index is visited exactly once", arguments: [(3600, 60), (60, 5), (7, 2), (5, 5), (1, 60)])
    func oneRound(sweepSeconds: Int, everySeconds: Int) {
        let sweep = TenantSweep(sweep: .seconds(sweepSeconds), every: .seconds(everySeconds))
        #expect(sweep.slices == max(1, (sweepSeconds + everySeconds - 1) / everySeconds))
        for start in [0, 17] {
            for index in 1...250 {
                let visits = (start..<(start + sweep.slices)).filter { sweep.includes(id: index, pass: $0) }.count
                #expect(visits == 1, "index \(index) visited \(visits) times in the round from pass \(start)")
            }
        }
    }

    @Test("a zero interval visits everything every pass")
    func zeroInterval() {
        let sweep = TenantSweep(sweep: .seconds(60), every: .zero)
        #expect(sweep.slices == 1)
        #expect((0..<10).allSatisfy { sweep.includes(id: $0, pass: 3) })
    }
}
