package io.ferrymq.store;

/** The store could not do what was asked: an I/O failure, a damaged file, or a misuse. The message says which. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
