package io.ferrymq.core.vhost;

import java.util.List;

/** What an operator said about a virtual host when creating it. */
public record VirtualHostInfo(String name, String description, List<String> tags) {

    public VirtualHostInfo {
        description = description == null ? "" : description;
        tags = List.copyOf(tags);
    }
}
