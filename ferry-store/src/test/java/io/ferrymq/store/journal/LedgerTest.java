package io.ferrymq.store.journal;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The reclaim rule on hand-built histories. Segments A, B, C start at 0, 1000 and 2000. */
class LedgerTest {

    private static final long A = 0;
    private static final long B = 1000;
    private static final long C = 2000;

    @Test
    void aSegmentWhoseDeletesTargetALiveSegmentIsKeptUntilThatOneIsGone() {
        Ledger ledger = new Ledger();
        ledger.value(A, 32, 50);                       // add x
        ledger.value(A, 82, 50);                       // add y
        ledger.other(B, 1032, 38);                     // delete x
        assertThat(ledger.kill(B, 38, 32, 50)).isTrue();

        // B holds nothing live, but deleting it while A exists would bring x back on replay.
        assertThat(ledger.reclaimable(C)).isEmpty();

        ledger.other(C, 2032, 38);                     // delete y
        assertThat(ledger.kill(C, 38, 82, 50)).isTrue();
        assertThat(ledger.reclaimable(C + 1000)).containsExactly(A);

        ledger.remove(A);
        assertThat(ledger.reclaimable(C + 1000)).containsExactly(B, C);
    }

    @Test
    void theActiveSegmentIsNeverReclaimedAndDeletesInsideOneSegmentPinNothing() {
        Ledger ledger = new Ledger();
        ledger.value(A, 32, 50);
        ledger.other(A, 82, 38);
        ledger.kill(A, 38, 32, 50);
        assertThat(ledger.reclaimable(A)).isEmpty();
        assertThat(ledger.reclaimable(B)).containsExactly(A);
    }

    @Test
    void aSecondKillOfTheSameRecordCountsNothing() {
        Ledger ledger = new Ledger();
        ledger.value(A, 32, 50);
        ledger.value(A, 82, 50);
        assertThat(ledger.kill(B, 38, 32, 50)).isTrue();
        assertThat(ledger.kill(C, 38, 32, 50)).isFalse();
        assertThat(ledger.stateAt(A).live()).isEqualTo(1);
        assertThat(ledger.isDead(32)).isTrue();
        assertThat(ledger.isDead(82)).isFalse();
        // Addresses of deleted segments, and past a segment's records, are dead.
        assertThat(ledger.isDead(5000)).isTrue();
    }

    @Test
    void aLostRecordIsDeadButNeverCountedDownAsLive() {
        Ledger ledger = new Ledger();
        ledger.value(A, 32, 50);
        ledger.lost(82, 40);
        ledger.value(A, 122, 50);
        assertThat(ledger.kill(B, 38, 82, 40)).isFalse();
        assertThat(ledger.stateAt(A).live()).isEqualTo(2);
    }

    @Test
    void theOldestSparseSealedSegmentIsTheCompactionCandidate() {
        Ledger ledger = new Ledger();
        for (long base : new long[]{A, B, C}) {
            for (int i = 0; i < 10; i++) {
                ledger.value(base, base + 32 + i * 90L, 90);
            }
        }
        // A: 8 of 10 dead; B: 2 of 10 dead.
        for (int i = 0; i < 8; i++) {
            ledger.kill(C, 0, A + 32 + i * 90L, 90);
        }
        for (int i = 0; i < 2; i++) {
            ledger.kill(C, 0, B + 32 + i * 90L, 90);
        }
        assertThat(ledger.compactionCandidate(C, 0.5, Set.of()).base).isEqualTo(A);
        assertThat(ledger.compactionCandidate(C, 0.5, Set.of(A))).isNull();
        assertThat(ledger.compactionCandidate(A, 0.5, Set.of())).isNull();
    }
}
