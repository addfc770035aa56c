package io.ferrymq.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code ferry.conf}: one {@code key = value} per line, blank lines and lines starting with {@code #}
 * ignored, as in {@code rabbitmq.conf}. A {@code #} later in a line belongs to the value, because passwords may hold
 * one. Only the syntax is checked here; {@link ConfigKeys} checks keys and values.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    static List<Setting> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            throw new StartupException("config file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException unreadable) {
            throw new StartupException("cannot read config file " + file.toAbsolutePath() + ": " + unreadable);
        }
        var settings = new ArrayList<Setting>();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String origin = file.toAbsolutePath() + " line " + (index + 1);
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new StartupException(origin + ": expected 'key = value', found '" + line + "'");
            }
            settings.add(new Setting(line.substring(0, equals).strip(), line.substring(equals + 1).strip(), origin));
        }
        return settings;
    }
}
