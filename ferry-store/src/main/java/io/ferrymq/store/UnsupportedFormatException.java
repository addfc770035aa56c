package io.ferrymq.store;

/**
 * A file was written in a format version this build does not know (a newer FerryMQ wrote it). The store refuses
 * to open rather than guess: the operator must run the version that wrote the data.
 */
public final class UnsupportedFormatException extends StoreException {

    public UnsupportedFormatException(String file, int version, int supported) {
        super("file '" + file + "' has format version " + version + " but this FerryMQ reads only version "
                + supported + ": start the FerryMQ version that wrote this data directory");
    }
}
