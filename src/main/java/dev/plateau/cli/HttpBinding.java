package dev.plateau.cli;

import dev.plateau.server.HttpAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;

/**
 * The {@code --http} option: where the status server listens, as {@link HttpAddress} reads it, or
 * {@code off} for no server.
 *
 * @param text the option as written, to name it in messages
 * @param address where to listen, or null when off
 */
record HttpBinding(String text, InetSocketAddress address) {
  boolean off() {
    return address == null;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Reads {@code --http}; HttpAddress's messages name the option themselves. A host name that does
   * not resolve is refused here: binding to it failed with a message of {@code null}.
   */
  static final class Converter implements ITypeConverter<HttpBinding> {
    @Override
    public HttpBinding convert(String value) {
      if (value.trim().equalsIgnoreCase("off")) {
        return new HttpBinding(value, null);
      }
      InetSocketAddress address;
      try {
        address = HttpAddress.parse(value);
      } catch (IllegalArgumentException e) {
        throw new OptionValueException(e.getMessage());
      }
      if (address.isUnresolved()) {
        throw new OptionValueException(
            "--http '"
                + value
                + "': no such host; write PORT, :PORT or ADDR:PORT (e.g. 0.0.0.0:9090)");
      }
      return new HttpBinding(value, address);
    }
  }
}
