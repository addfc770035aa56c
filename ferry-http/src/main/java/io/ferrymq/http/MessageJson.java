package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferrymq.common.message.MessageProperties;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Messages in the API's JSON: the {@code properties} object under RabbitMQ's snake_case names, and payloads as
 * {@code string} (UTF-8) or {@code base64}. Stateless.
 */
final class MessageJson {
    private MessageJson() {
    }

    static MessageProperties properties(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return MessageProperties.EMPTY;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("properties must be a JSON object, not " + node);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = node.has("headers") ? (Map<String, Object>) JsonValues.value(node.get("headers"))
                : null;
        return new MessageProperties(text(node, "content_type"), text(node, "content_encoding"), headers,
                integer(node, "delivery_mode"), integer(node, "priority"), text(node, "correlation_id"),
                text(node, "reply_to"), text(node, "expiration"), text(node, "message_id"),
                node.has("timestamp") ? Instant.ofEpochSecond(node.get("timestamp").asLong()) : null,
                text(node, "type"), text(node, "user_id"), text(node, "app_id"), text(node, "cluster_id"));
    }

    static Map<String, Object> json(MessageProperties p) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "content_type", p.contentType());
        put(out, "content_encoding", p.contentEncoding());
        if (p.headers() != null) {
            out.put("headers", JsonValues.json(p.headers()));
        }
        put(out, "delivery_mode", p.deliveryMode());
        put(out, "priority", p.priority());
        put(out, "correlation_id", p.correlationId());
        put(out, "reply_to", p.replyTo());
        put(out, "expiration", p.expiration());
        put(out, "message_id", p.messageId());
        put(out, "timestamp", p.timestamp() == null ? null : p.timestamp().getEpochSecond());
        put(out, "type", p.type());
        put(out, "user_id", p.userId());
        put(out, "app_id", p.appId());
        put(out, "cluster_id", p.clusterId());
        return out;
    }

    /** The payload's bytes per {@code payload_encoding} ("string" or "base64"). */
    static byte[] payload(String payload, String encoding) {
        return switch (encoding) {
            case "string" -> payload.getBytes(StandardCharsets.UTF_8);
            case "base64" -> {
                try {
                    yield Base64.getDecoder().decode(payload);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("payload is not valid base64: " + e.getMessage());
                }
            }
            default -> throw ApiException.badRequest("payload_encoding must be \"string\" or \"base64\", not \""
                    + encoding + "\"");
        };
    }

    /** The payload as text when {@code auto} allows and it is valid UTF-8, else base64; [payload, encoding]. */
    static String[] encode(byte[] body, boolean auto) {
        if (auto) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
                return new String[]{text, "string"};
            } catch (CharacterCodingException notText) {
                // falls through to base64
            }
        }
        return new String[]{Base64.getEncoder().encodeToString(body), "base64"};
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return value.isIntegralNumber() ? value.intValue() : Integer.parseInt(value.asText());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("property " + name + " must be an integer, not " + value);
        }
    }

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) {
            out.put(name, value);
        }
    }
}
