import EventBus
import Synchronization
import Testing

@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    final class Checks: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test("a wait ends at the first check that finds the dependency back, long before the backoff would")
    func endsWhenTheDependencyIsBack() async {
        let checks = Checks()
        let clock = ContinuousClock()
        let started = clock.now
        await ReconnectBackoff.wait(.seconds(30), checkingEvery: .milliseconds(10)) {
            checks.count.add(1, ordering: .relaxed).newValue >= 3
        }
        #expect(checks.count.load(ordering: .relaxed) == 3)
        #expect(clock.now - started < .seconds(15), "the wait ran to its end")
    }

    @Test("a dependency that never comes back is asked along the way and the whole wait is served")
    func servesTheWholeWaitOtherwise() async {
        let checks = Checks()
        let clock = ContinuousClock()
        let started = clock.now
        // 3 s of 10 ms steps: a loaded CI machine once overslept a 1 s wait's first step entirely.
        await ReconnectBackoff.wait(.seconds(3), checkingEvery: .milliseconds(10)) {
            checks.count.add(1, ordering: .relaxed)
            return false
        }
        #expect(clock.now - started >= .seconds(3))
        #expect(checks.count.load(ordering: .relaxed) >= 1)
    }
}
