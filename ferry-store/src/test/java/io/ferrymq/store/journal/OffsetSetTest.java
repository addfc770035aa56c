package io.ferrymq.store.journal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetSetTest {

    @Test
    void holdsWhatWasAddedAndNothingElse() {
        OffsetSet set = new OffsetSet();
        assertThat(set.contains(5)).isFalse();
        assertThat(set.add(5)).isTrue();
        assertThat(set.add(5)).isFalse();
        assertThat(set.add(1 << 30)).isTrue();
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.contains(5)).isTrue();
        assertThat(set.contains(1 << 30)).isTrue();
        assertThat(set.contains(6)).isFalse();
    }

    @Test
    void aWholeSegmentOfOffsetsMatchesAHashSet() {
        OffsetSet set = new OffsetSet();
        Set<Integer> expected = new HashSet<>();
        SplittableRandom random = new SplittableRandom(42);
        // the offsets of a 64 MiB segment of ~1 KB records, with a few repeated and some left out
        for (int offset = 16; offset < 64 << 20; offset += 1000 + random.nextInt(200)) {
            if (random.nextInt(10) == 0) {
                continue;
            }
            assertThat(set.add(offset)).isEqualTo(expected.add(offset));
            if (random.nextInt(50) == 0) {
                assertThat(set.add(offset)).isFalse();
            }
        }
        assertThat(set.size()).isEqualTo(expected.size());
        Set<Integer> seen = new HashSet<>();
        set.forEach(offset -> assertThat(seen.add(offset)).isTrue());
        assertThat(seen).isEqualTo(expected);
        for (int probe = 1; probe < 64 << 20; probe += 997) {
            assertThat(set.contains(probe)).isEqualTo(expected.contains(probe));
        }
    }

    @Test
    void refusesOffsetsThatCannotBeRecords() {
        OffsetSet set = new OffsetSet();
        assertThatThrownBy(() -> set.add(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set.add(-3)).isInstanceOf(IllegalArgumentException.class);
    }
}
