package dev.plateau.cli;

import dev.plateau.config.Setting;
import dev.plateau.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The settings given as options on a command line, by key ({@link Settings}), as they were written:
 * the layer of the configuration above the variables. Options not given are left out, so that a
 * variable or the file decides them.
 */
final class GivenOptions {
  private GivenOptions() {}

  /** The options of {@code spec}'s command line that set settings: key to text (or list). */
  static Map<String, Object> of(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    Map<String, Object> out = new LinkedHashMap<>();
    if (parsed == null) {
      return out;
    }
    for (Setting setting : Settings.all()) {
      if (setting.flag() == null) {
        continue;
      }
      OptionSpec option = spec.findOption(setting.flag());
      if (option == null || !parsed.hasMatchedOption(option)) {
        continue;
      }
      List<String> written = parsed.matchedOption(setting.flag()).originalStringValues();
      if (option.type() == boolean.class || option.type() == Boolean.class) {
        out.put(
            setting.key(),
            written.isEmpty() || Boolean.parseBoolean(written.get(written.size() - 1)));
      } else if (setting.list()) {
        out.put(setting.key(), List.copyOf(written));
      } else {
        out.put(setting.key(), written.get(written.size() - 1));
      }
    }
    return out;
  }
}
