package io.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ferrymq.testkit.FerryBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hand-written AMQP 0-9-1 peer on a plain socket, for sending what no well-behaved client
 * would send. Only the few methods the tests need are encoded.
 */
final class RawAmqp implements AutoCloseable {

    static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    static final int METHOD = 1;
    static final int HEADER = 2;
    static final int BODY = 3;
    static final int HEARTBEAT = 8;
    static final int FRAME_END = 0xCE;

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    /** Values the server offered in connection.tune. */
    int serverChannelMax;
    int serverFrameMax;
    int serverHeartbeat;
    /** Frames seen while waiting for something else (heartbeats included). */
    final List<Frame> seen = new ArrayList<>();

    private RawAmqp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawAmqp connect(FerryBrokerExtension broker) throws IOException {
        return connect(broker, -1);
    }

    /** @param receiveBuffer SO_RCVBUF to request before connecting, or -1 for the default */
    static RawAmqp connect(FerryBrokerExtension broker, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Amqp.TIMEOUT.toMillis());
        s.connect(new InetSocketAddress(broker.host(), broker.amqpPort()), 5_000);
        return new RawAmqp(s);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------- frames

    record Frame(int type, int channel, byte[] payload) {
        int classId() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        int methodId() {
            return ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
        }

        boolean isMethod(int classId, int methodId) {
            return type == METHOD && payload.length >= 4 && classId() == classId && methodId() == methodId;
        }

        @Override
        public String toString() {
            return type == METHOD && payload.length >= 4
                    ? "method " + classId() + "/" + methodId() + " on channel " + channel
                    : "frame type " + type + " on channel " + channel + " (" + payload.length + " bytes)";
        }
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static byte[] frame(int type, int channel, byte[] payload, int frameEnd) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).putShort((short) channel).putInt(payload.length).put(payload).put((byte) frameEnd);
        return b.array();
    }

    void writeFrame(int type, int channel, byte[] payload) throws IOException {
        write(frame(type, channel, payload, FRAME_END));
    }

    void writeMethod(int channel, byte[] methodPayload) throws IOException {
        writeFrame(METHOD, channel, methodPayload);
    }

    Frame readFrame() throws IOException {
        int type = in.readUnsignedByte();
        int channel = in.readUnsignedShort();
        int size = in.readInt();
        if (size < 0 || size > 64 * 1024 * 1024) {
            throw new IOException("implausible frame size " + size);
        }
        byte[] payload = new byte[size];
        in.readFully(payload);
        int end = in.readUnsignedByte();
        assertThat(end).as("frame-end octet from the server").isEqualTo(FRAME_END);
        return new Frame(type, channel, payload);
    }

    /** Next frame that is not a heartbeat. */
    Frame readNonHeartbeat() throws IOException {
        while (true) {
            Frame f = readFrame();
            seen.add(f);
            if (f.type() != HEARTBEAT) {
                return f;
            }
        }
    }

    Frame expectMethod(int classId, int methodId) throws IOException {
        Frame f = readNonHeartbeat();
        if (!f.isMethod(classId, methodId)) {
            String detail = f.isMethod(10, 50) || f.isMethod(20, 40) ? " " + Close.parse(f) : "";
            fail("expected method " + classId + "/" + methodId + " but got " + f + detail);
        }
        return f;
    }

    // ---------------------------------------------------------------- methods

    /** Method payload builder: big-endian AMQP primitive types. */
    static final class Enc {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream d = new DataOutputStream(bytes);

        Enc octet(int v) {
            return run(() -> d.writeByte(v));
        }

        Enc shortInt(int v) {
            return run(() -> d.writeShort(v));
        }

        Enc longInt(int v) {
            return run(() -> d.writeInt(v));
        }

        Enc longlong(long v) {
            return run(() -> d.writeLong(v));
        }

        Enc shortstr(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return run(() -> {
                d.writeByte(b.length);
                d.write(b);
            });
        }

        Enc longstr(byte[] b) {
            return run(() -> {
                d.writeInt(b.length);
                d.write(b);
            });
        }

        /** A table whose encoded entries are given (without the length prefix). */
        Enc table(byte[] entries) {
            return longstr(entries);
        }

        Enc emptyTable() {
            return longInt(0);
        }

        Enc raw(byte[] b) {
            return run(() -> d.write(b));
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private interface IoRun {
            void run() throws IOException;
        }

        private Enc run(IoRun r) {
            try {
                r.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    static byte[] method(int classId, int methodId, Consumer<Enc> args) {
        Enc e = new Enc().shortInt(classId).shortInt(methodId);
        args.accept(e);
        return e.bytes();
    }

    static byte[] stringEntry(String key, String value) {
        return new Enc().shortstr(key).octet('S').longstr(value.getBytes(StandardCharsets.UTF_8)).bytes();
    }

    // ---------------------------------------------------------------- conversations

    /** Sends the header and reads connection.start. */
    Frame start() throws IOException {
        write(PROTOCOL_HEADER);
        Frame f = expectMethod(10, 10);
        assertThat(f.channel()).isZero();
        return f;
    }

    /** Sends start-ok (PLAIN guest/guest) and reads connection.tune; records the offered values. */
    void startOkAndTune() throws IOException {
        startOk(stringEntry("product", "ferry-it raw socket"), "guest", "guest");
        Frame tune = expectMethod(10, 30);
        ByteBuffer b = ByteBuffer.wrap(tune.payload(), 4, tune.payload().length - 4);
        serverChannelMax = b.getShort() & 0xFFFF;
        serverFrameMax = b.getInt();
        serverHeartbeat = b.getShort() & 0xFFFF;
    }

    /** connection.start-ok with PLAIN and the given client-properties entries. */
    void startOk(byte[] clientPropertyEntries, String user, String password) throws IOException {
        writeMethod(0, method(10, 11, e -> e
                .table(clientPropertyEntries)
                .shortstr("PLAIN")
                .longstr(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))
                .shortstr("en_US")));
    }

    /** client-properties entry {@code capabilities = {name: true}}. */
    static byte[] capabilityEntry(String name) {
        byte[] inner = new Enc().shortstr(name).octet('t').octet(1).bytes();
        return new Enc().shortstr("capabilities").octet('F').longstr(inner).bytes();
    }

    void tuneOk(int channelMax, int frameMax, int heartbeat) throws IOException {
        writeMethod(0, method(10, 31, e -> e.shortInt(channelMax).longInt(frameMax).shortInt(heartbeat)));
    }

    void openVhost(String vhost) throws IOException {
        writeMethod(0, method(10, 40, e -> e.shortstr(vhost).shortstr("").octet(0)));
        expectMethod(10, 41);
    }

    /** The full handshake, accepting the server's channel-max and frame-max, heartbeats off. */
    RawAmqp handshake() throws IOException {
        return handshake(-1, -1, 0);
    }

    /** The full handshake; -1 means "the value the server offered". */
    RawAmqp handshake(int channelMax, int frameMax, int heartbeat) throws IOException {
        start();
        startOkAndTune();
        tuneOk(channelMax < 0 ? serverChannelMax : channelMax, frameMax < 0 ? serverFrameMax : frameMax,
                heartbeat < 0 ? serverHeartbeat : heartbeat);
        openVhost("/");
        return this;
    }

    static byte[] channelOpen() {
        return method(20, 10, e -> e.shortstr(""));
    }

    void openChannel(int channel) throws IOException {
        writeMethod(channel, channelOpen());
        Frame ok = expectMethod(20, 11);
        assertThat(ok.channel()).isEqualTo(channel);
    }

    static byte[] queueDeclare(String queue, byte[] argumentsTable) {
        // reserved, queue, bits (passive, durable, exclusive, auto-delete, no-wait), arguments
        return method(50, 10, e -> e.shortInt(0).shortstr(queue).octet(0).longstr(argumentsTable));
    }

    static byte[] basicPublish(String exchange, String routingKey) {
        return method(60, 40, e -> e.shortInt(0).shortstr(exchange).shortstr(routingKey).octet(0));
    }

    static byte[] contentHeader(long bodySize) {
        return new Enc().shortInt(60).shortInt(0).longlong(bodySize).shortInt(0).bytes();
    }

    static byte[] basicConsume(String queue, boolean noAck) {
        // reserved, queue, consumer-tag, bits (no-local, no-ack, exclusive, no-wait), arguments
        return method(60, 20, e -> e.shortInt(0).shortstr(queue).shortstr("").octet(noAck ? 0b10 : 0).emptyTable());
    }

    /** basic.consume with a client-chosen consumer tag. */
    static byte[] basicConsume(String queue, String consumerTag, boolean noAck) {
        return method(60, 20, e -> e.shortInt(0).shortstr(queue).shortstr(consumerTag).octet(noAck ? 0b10 : 0)
                .emptyTable());
    }

    /** Declares a server-named queue on an open channel and returns its name. */
    String declareServerNamedQueue(int channel) throws IOException {
        writeMethod(channel, method(50, 10, e -> e.shortInt(0).shortstr("").octet(0b1000).emptyTable()));
        Frame ok = expectMethod(50, 11);
        int len = ok.payload()[4] & 0xFF;
        return new String(ok.payload(), 5, len, StandardCharsets.UTF_8);
    }

    static byte[] basicGet(String queue, boolean noAck) {
        return method(60, 70, e -> e.shortInt(0).shortstr(queue).octet(noAck ? 1 : 0));
    }

    /** A connection.close or channel.close as received. */
    record Close(int channel, int replyCode, String replyText, int classId, int methodId) {
        static Close parse(Frame f) {
            ByteBuffer b = ByteBuffer.wrap(f.payload(), 4, f.payload().length - 4);
            int code = b.getShort() & 0xFFFF;
            int len = b.get() & 0xFF;
            byte[] text = new byte[len];
            b.get(text);
            return new Close(f.channel(), code, new String(text, StandardCharsets.UTF_8),
                    b.getShort() & 0xFFFF, b.getShort() & 0xFFFF);
        }
    }

    /**
     * Reads until the server's connection.close (skipping heartbeats and whatever else comes
     * first), answers close-ok, and checks the server then closes the socket.
     */
    Close expectConnectionClose(int code) throws IOException {
        return expectConnectionClose(code, true);
    }

    /**
     * As {@link #expectConnectionClose(int)}; {@code awaitSocketClose=false} skips waiting for the
     * server to drop the socket (after a framing error a server may ignore our close-ok and only
     * drop the socket after its close-ok time-out, which would only slow the suite down).
     */
    Close expectConnectionClose(int code, boolean awaitSocketClose) throws IOException {
        Close close = null;
        while (close == null) {
            Frame f;
            try {
                f = readFrame();
            } catch (EOFException | SocketException e) {
                return fail("socket closed without connection.close (wanted " + code + "); frames seen: " + seen);
            } catch (SocketTimeoutException e) {
                return fail("no connection.close within " + Amqp.TIMEOUT + " (wanted " + code + "); frames seen: " + seen);
            }
            seen.add(f);
            if (f.isMethod(10, 50)) {
                close = Close.parse(f);
            }
        }
        assertThat(close.channel()).isZero();
        assertThat(close.replyCode()).as("connection.close reply code (text: %s)", close.replyText()).isEqualTo(code);
        try {
            writeMethod(0, method(10, 51, e -> { }));
        } catch (IOException ignored) {
            // the server may already have gone
        }
        if (awaitSocketClose) {
            assertThat(awaitEof()).as("socket closed after connection.close").isTrue();
        }
        return close;
    }

    /**
     * Reads (and keeps) frames until the server closes the socket. True on EOF or reset; false if
     * the socket stayed open for the whole {@link Amqp#TIMEOUT}.
     */
    boolean awaitEof() throws IOException {
        long deadline = System.nanoTime() + Amqp.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int first = in.read();
                if (first < 0) {
                    return true;
                }
                // a frame: read the rest of it
                int channel = in.readUnsignedShort();
                int size = in.readInt();
                byte[] payload = new byte[Math.max(0, size)];
                in.readFully(payload);
                in.readUnsignedByte();
                seen.add(new Frame(first, channel, payload));
            } catch (EOFException | SocketException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return false;
    }

    /** Reads raw bytes until EOF (for the protocol-header answer). */
    byte[] readUntilEof() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
                if (b.size() > 64 * 1024) {
                    break;
                }
            }
        } catch (SocketException e) {
            // reset after the close: what arrived before counts
        } catch (SocketTimeoutException e) {
            fail("the server did not close the socket within " + Amqp.TIMEOUT + "; got " + b.size() + " bytes");
        }
        return b.toByteArray();
    }
}
