package io.ferrymq.core.exchange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Topic patterns in a trie of words, so matching a routing key costs one walk over the shared
 * prefixes of all patterns instead of one test per binding. Not thread-safe: guarded by the
 * topology lock of the virtual host that owns the exchange.
 *
 * <p>Keys and patterns are split on '.' into words ({@code ""} has no words; {@code "a..b"} has an
 * empty middle word). In a pattern {@code *} matches exactly one word and {@code #} zero or more.
 * Each node has literal children plus one {@code *} child and one {@code #} child. A {@code #}
 * child is tried at every remaining split point (backtracking); once a walk has gone through a
 * {@code #}, it remembers the (node, word index) pairs it visited, which both removes duplicate
 * matches and keeps patterns like {@code #.a.#.a.#} from exploding on long keys.
 */
public final class TopicTrie<T> {
    private static final String STAR = "*";
    private static final String HASH = "#";

    private final Node<T> root = new Node<>(0);
    private int nextNodeId = 1;

    private static final class Node<T> {
        final int id;
        final Map<String, Node<T>> words = new HashMap<>();
        Node<T> star;
        Node<T> hash;
        final List<T> values = new ArrayList<>(1);

        Node(int id) {
            this.id = id;
        }

        boolean isEmpty() {
            return words.isEmpty() && star == null && hash == null && values.isEmpty();
        }
    }

    /** Adds a value under a pattern; false when this pattern already holds an equal value. */
    public boolean add(String pattern, T value) {
        Node<T> node = root;
        for (String word : patternWords(pattern)) {
            node = child(node, word);
        }
        if (node.values.contains(value)) {
            return false;
        }
        node.values.add(value);
        return true;
    }

    /** Removes a value from a pattern, pruning nodes left empty; false when it was not there. */
    public boolean remove(String pattern, T value) {
        return remove(root, patternWords(pattern), 0, value);
    }

    private boolean remove(Node<T> node, String[] words, int index, T value) {
        if (index == words.length) {
            return node.values.remove(value);
        }
        String word = words[index];
        Node<T> next = word.equals(STAR) ? node.star : word.equals(HASH) ? node.hash : node.words.get(word);
        if (next == null || !remove(next, words, index + 1, value)) {
            return false;
        }
        if (next.isEmpty()) {
            if (word.equals(STAR)) {
                node.star = null;
            } else if (word.equals(HASH)) {
                node.hash = null;
            } else {
                node.words.remove(word);
            }
        }
        return true;
    }

    /** Hands every value whose pattern matches the routing key to {@code out}, each once. */
    public void match(String routingKey, Consumer<? super T> out) {
        new Walk<T>(keyWords(routingKey), out).visit(root, 0);
    }

    public boolean isEmpty() {
        return root.isEmpty();
    }

    private Node<T> child(Node<T> node, String word) {
        if (word.equals(STAR)) {
            if (node.star == null) {
                node.star = new Node<>(nextNodeId++);
            }
            return node.star;
        }
        if (word.equals(HASH)) {
            if (node.hash == null) {
                node.hash = new Node<>(nextNodeId++);
            }
            return node.hash;
        }
        return node.words.computeIfAbsent(word, w -> new Node<>(nextNodeId++));
    }

    /** One match: the key's words and, once a '#' was taken, the visited (node, index) pairs. */
    private static final class Walk<T> {
        private final String[] words;
        private final Consumer<? super T> out;
        private Set<Long> visited;

        Walk(String[] words, Consumer<? super T> out) {
            this.words = words;
            this.out = out;
        }

        void visit(Node<T> node, int index) {
            if (visited != null && !visited.add(((long) node.id << 32) | index)) {
                return;
            }
            if (index == words.length) {
                node.values.forEach(out);
            } else {
                Node<T> literal = node.words.get(words[index]);
                if (literal != null) {
                    visit(literal, index + 1);
                }
                if (node.star != null) {
                    visit(node.star, index + 1);
                }
            }
            if (node.hash != null) {
                if (visited == null) {
                    visited = new HashSet<>();
                }
                for (int next = index; next <= words.length; next++) {
                    visit(node.hash, next);
                }
            }
        }
    }

    static String[] keyWords(String key) {
        return key.isEmpty() ? new String[0] : key.split("\\.", -1);
    }

    /** A pattern's words, with runs of '#' collapsed: "#.#" matches exactly what "#" does. */
    static String[] patternWords(String pattern) {
        String[] words = keyWords(pattern);
        List<String> collapsed = new ArrayList<>(words.length);
        for (String word : words) {
            if (!(word.equals(HASH) && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).equals(HASH))) {
                collapsed.add(word);
            }
        }
        return collapsed.toArray(new String[0]);
    }
}
