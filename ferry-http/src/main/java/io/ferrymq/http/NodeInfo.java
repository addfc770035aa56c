package io.ferrymq.http;

import java.util.List;

/**
 * What the API reports about the node it runs in.
 *
 * @param listeners the node's other protocol listeners (AMQP); the HTTP listener adds itself
 */
public record NodeInfo(String productVersion, String nodeName, List<Listener> listeners) {

    public NodeInfo {
        listeners = List.copyOf(listeners);
    }
}
