package io.ferrymq.core.auth;

/** The three kinds of permission of RabbitMQ's model, each a regular expression over resource names. */
public enum Access {
    /** Create or delete the resource (declare, delete). */
    CONFIGURE,
    /** Put messages in (publish to an exchange; bind a queue or exchange as destination). */
    WRITE,
    /** Take messages out (consume, get, purge a queue; bind from an exchange as source). */
    READ
}
