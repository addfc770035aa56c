package io.ferrymq.store.journal;

import java.nio.ByteBuffer;

/** A body as it will be stored: its compression flag (0 if raw) and its stored bytes. */
record EncodedBody(byte flags, ByteBuffer bytes) {
}
