/**
 * AMQP 0-9-1 wire format: frames, method arguments, field tables and content headers. Pure: no connection state,
 * no threads; the protocol header and everything stateful belong to {@code ferry-amqp}.
 *
 * <ul>
 *   <li>{@link io.ferrymq.amqp.codec.FrameDecoder} splits received bytes into {@link io.ferrymq.amqp.codec.Frame}s;
 *       {@link io.ferrymq.amqp.codec.MethodDecoder} and {@link io.ferrymq.amqp.codec.ContentHeaderDecoder} decode
 *       payloads without a pipeline.</li>
 *   <li>{@link io.ferrymq.amqp.codec.FrameEncoder} writes whole frames into a caller's buffer.</li>
 *   <li>{@link io.ferrymq.amqp.codec.FieldTableCodec} and {@link io.ferrymq.amqp.codec.StringCodec} handle the
 *       variable-length argument types.</li>
 * </ul>
 *
 * <p>Malformed input raises {@link io.ferrymq.amqp.codec.FrameDecodingException} with the reply code to close
 * the connection with: 501 for framing (bad end octet, unknown type, over frame-max, arguments cut short or
 * followed by extra octets), 502 for undecodable arguments (unknown table tag, nesting over 32 levels, lengths
 * past the frame), 540 for unknown class or method ids. Encoding refuses unencodable values with
 * {@link IllegalArgumentException} and leaves the output buffer as it was.
 *
 * <p>The {@code *MethodCodec} classes are generated with the method records by
 * {@code ferry-amqp-codec/tools/generate_methods.py}.
 */
package io.ferrymq.amqp.codec;
