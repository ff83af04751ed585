package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Log lines stay one line, whatever a run or tag is named. */
class PrintableMessageTest {

  @Test
  void controlAndInvisibleFormattingCharactersAreEscapedAndTheRestKept() {
    assertThat(PrintableMessage.printable("run 'nl\nrun' and \r\t\u001B[31mred\u007F"))
        .isEqualTo("run 'nl\\nrun' and \\r\\t\\u001B[31mred\\u007F");
    assertThat(PrintableMessage.printable("abc\u202Eevil\u2066x\u200By"))
        .isEqualTo("abc\\u202Eevil\\u2066x\\u200By");
    assertThat(PrintableMessage.printable("exp-é ünïcödé 学习")).isEqualTo("exp-é ünïcödé 学习");
    String plain = "plain text";
    assertThat(PrintableMessage.printable(plain)).isSameAs(plain);
  }

  @Test
  void theShippedConfigurationWritesAForgedLineAsOneEscapedLine() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of("config/logback.xml").toFile());
    ConsoleAppender<?> appender =
        (ConsoleAppender<?>)
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    LogEncoder encoder = (LogEncoder) appender.getEncoder();
    LogEncoder.use(dev.plateau.config.LogFormat.TEXT);
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("dev.plateau.daemon.Watcher"),
            Level.INFO,
            "{}: run '{}' is gone",
            null,
            new Object[] {"/logs", "nl\n12:00:00.000 ERROR forged"});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line.strip())
        .doesNotContain("\n")
        .endsWith("run 'nl\\n12:00:00.000 ERROR forged' is gone");
    context.stop();
  }
}
