package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FieldTableCodec;
import io.ferrymq.amqp.codec.FrameDecodingException;
import io.ferrymq.common.message.FieldValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The user name and password a client put in {@code connection.start-ok}'s response, for the two
 * mechanisms FerryMQ offers ({@link #MECHANISMS}).
 *
 * <ul>
 *   <li>PLAIN (RFC 4616): {@code [authzid] NUL user NUL password}; the authzid is ignored.</li>
 *   <li>AMQPLAIN: the entries of a field table without its 4-byte length prefix, {@code LOGIN} and
 *       {@code PASSWORD}, each a string (clients write longstr {@code S}).</li>
 * </ul>
 */
record SaslResponse(String username, String password) {

    /** What {@code connection.start} offers, in order of preference. */
    static final String MECHANISMS = "PLAIN AMQPLAIN";

    static boolean supports(String mechanism) {
        return "PLAIN".equals(mechanism) || "AMQPLAIN".equals(mechanism);
    }

    /**
     * Parses a response of a supported mechanism.
     *
     * @return null when the response is malformed (the caller refuses the login)
     */
    static SaslResponse parse(String mechanism, byte[] response) {
        return "PLAIN".equals(mechanism) ? plain(response) : amqplain(response);
    }

    private static SaslResponse plain(byte[] r) {
        int first = indexOf(r, 0);
        int second = first < 0 ? -1 : indexOf(r, first + 1);
        if (second < 0) {
            return null;
        }
        return new SaslResponse(utf8(r, first + 1, second), utf8(r, second + 1, r.length));
    }

    private static SaslResponse amqplain(byte[] r) {
        // the response is a table's content without its length: put the length back and read it as one
        ByteBuf table = Unpooled.buffer(4 + r.length).writeInt(r.length).writeBytes(r);
        Map<String, Object> entries;
        try {
            entries = FieldTableCodec.read(table);
        } catch (FrameDecodingException malformed) {
            return null;
        } finally {
            table.release();
        }
        Optional<String> login = FieldValues.asString(entries.get("LOGIN"));
        Optional<String> password = FieldValues.asString(entries.get("PASSWORD"));
        return login.isPresent() && password.isPresent() ? new SaslResponse(login.get(), password.get()) : null;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
