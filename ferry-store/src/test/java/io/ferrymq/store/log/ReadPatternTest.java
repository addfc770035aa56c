package io.ferrymq.store.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A read that continues a recent one reads ahead; one at a random place does not. */
class ReadPatternTest {

    @Test
    void aReadJustPastARecentOneContinuesItAndAFarOneDoesNot() {
        ReadPattern pattern = new ReadPattern(64 * 1024);
        assertThat(pattern.continues(1_000)).as("nothing read yet").isFalse();
        pattern.ended(2_000);
        assertThat(pattern.continues(2_000)).isTrue();
        assertThat(pattern.continues(2_000 + 64 * 1024)).isTrue();
        assertThat(pattern.continues(2_001 + 64 * 1024)).isFalse();
        assertThat(pattern.continues(1_999)).as("before the end: not a continuation").isFalse();
    }

    @Test
    void aDrainMovingOnKeepsItsSlotAndManyRandomReadsForgetTheOldest() {
        ReadPattern pattern = new ReadPattern(100);
        pattern.ended(1_000);
        pattern.ended(1_050); // the same reader, further on
        for (int i = 0; i < 15; i++) {
            pattern.ended(1_000_000L * (i + 1));
        }
        assertThat(pattern.continues(1_120)).isTrue();
        pattern.ended(99_000_000L); // a 17th place: the oldest slot goes
        assertThat(pattern.continues(1_120)).isFalse();
        assertThat(pattern.continues(99_000_050L)).isTrue();
    }
}
