package io.ferrymq.core;

/**
 * The answer to {@code basic.get}: a delivery and the number of messages still ready in the
 * queue, or empty ({@code delivery == null}).
 */
public record GetResult(Delivery delivery, int messageCount) {
    public static final GetResult EMPTY = new GetResult(null, 0);

    public boolean isEmpty() {
        return delivery == null;
    }
}
