package io.ferrymq.core.exchange;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The trie against a plain recursive matcher written straight from the rules. */
class TopicTriePropertyTest {

    @Property(tries = 300)
    void matchesLikeTheReference(@ForAll("patterns") List<String> patterns, @ForAll("keys") List<String> keys,
                                 @ForAll("removals") List<Integer> removals) {
        TopicTrie<Integer> trie = new TopicTrie<>();
        for (int i = 0; i < patterns.size(); i++) {
            trie.add(patterns.get(i), i);
        }
        Set<Integer> live = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            live.add(i);
        }
        check(trie, patterns, live, keys);
        for (int removal : removals) {
            if (!patterns.isEmpty()) {
                int index = removal % patterns.size();
                assertThat(trie.remove(patterns.get(index), index)).isEqualTo(live.remove(index));
            }
        }
        check(trie, patterns, live, keys);
        live.forEach(i -> trie.remove(patterns.get(i), i));
        assertThat(trie.isEmpty()).isTrue();
    }

    private static void check(TopicTrie<Integer> trie, List<String> patterns, Set<Integer> live, List<String> keys) {
        for (String key : keys) {
            List<Integer> matched = new ArrayList<>();
            trie.match(key, matched::add);
            Set<Integer> expected = new HashSet<>();
            for (int i : live) {
                if (reference(words(patterns.get(i)), words(key))) {
                    expected.add(i);
                }
            }
            assertThat(matched).as("key '%s' against %s", key, patterns).doesNotHaveDuplicates();
            assertThat(new HashSet<>(matched)).as("key '%s' against %s", key, patterns).isEqualTo(expected);
        }
    }

    @Example
    void hashBacktracksOverManyWords() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.add("#.a.#.a.#.a.#.a.#.b", "deep");
        List<String> matched = new ArrayList<>();
        trie.match("a.".repeat(120) + "c", matched::add);
        assertThat(matched).isEmpty();
        trie.match("x.a.y.a.a.z.a.b", matched::add);
        assertThat(matched).containsExactly("deep");
    }

    @Example
    void emptyKeyAndEmptyWords() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.add("", "empty");
        trie.add("#", "all");
        trie.add("a.*.b", "middle");
        List<String> matched = new ArrayList<>();
        trie.match("", matched::add);
        assertThat(matched).containsExactlyInAnyOrder("empty", "all");
        matched.clear();
        trie.match("a..b", matched::add);
        assertThat(matched).containsExactlyInAnyOrder("middle", "all");
    }

    /** Pattern words against key words: '*' one word, '#' zero or more. */
    private static boolean reference(List<String> pattern, List<String> key) {
        if (pattern.isEmpty()) {
            return key.isEmpty();
        }
        String head = pattern.get(0);
        List<String> rest = pattern.subList(1, pattern.size());
        if (head.equals("#")) {
            return reference(rest, key) || (!key.isEmpty() && reference(pattern, key.subList(1, key.size())));
        }
        if (key.isEmpty()) {
            return false;
        }
        return (head.equals("*") || head.equals(key.get(0))) && reference(rest, key.subList(1, key.size()));
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text.isEmpty()) {
            return words;
        }
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                words.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return words;
    }

    @Provide
    Arbitrary<List<String>> patterns() {
        Arbitrary<String> word = Arbitraries.of("a", "b", "c", "*", "#", "#", "");
        return word.list().ofMaxSize(5).map(w -> String.join(".", w)).list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<String>> keys() {
        Arbitrary<String> word = Arbitraries.of("a", "b", "c", "d", "");
        return word.list().ofMaxSize(7).map(w -> String.join(".", w)).list().ofMinSize(1).ofMaxSize(15);
    }

    @Provide
    Arbitrary<List<Integer>> removals() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(10);
    }
}
