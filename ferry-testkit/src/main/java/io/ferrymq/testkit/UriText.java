package io.ferrymq.testkit;

import java.nio.charset.StandardCharsets;

/** Percent-encoding (RFC 3986) for an AMQP URI's user info, where a '@' or ':' in a password would break it. */
final class UriText {

    private UriText() {
    }

    static String userInfo(String text) {
        var encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }
}
