package io.ferrymq.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * This machine's loopback TCP bandwidth, one connection, as the ceiling a broker on loopback works under: a
 * client writes {@code megabytes} MiB in 64 KiB writes to a server that reads and discards them; prints MiB/s
 * and the 1 KB messages per second that many bytes would carry (ignoring framing).
 *
 * <p>{@code java -cp ferry-bench/target/benchmarks.jar io.ferrymq.bench.LoopbackBandwidth 4096}
 */
public final class LoopbackBandwidth {

    private LoopbackBandwidth() {
    }

    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 4096;
        long total = megabytes << 20;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> drain(server));
            reader.start();
            byte[] chunk = new byte[64 * 1024];
            long start = System.nanoTime();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                OutputStream out = socket.getOutputStream();
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
            }
            reader.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("loopback TCP, one connection: %.0f MiB/s (%d MiB in %.2f s) = %.0fk 1 KB messages/s%n",
                    megabytes / seconds, megabytes, seconds, total / 1000.0 / seconds / 1000);
        }
    }

    private static void drain(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256 * 1024];
            while (in.read(buffer) >= 0) {
                // discarded: only the transfer is measured
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
