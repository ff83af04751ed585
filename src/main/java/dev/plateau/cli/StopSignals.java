package dev.plateau.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into a request to stop, so that {@code plateau watch} finishes
 * its round, commits its state and exits with 0 (a JVM left to its default exits with 143, 130 or
 * 129). SIGHUP does not reload the configuration: a supervisor that sends it to reload sees a clean
 * exit, and the restart it then makes reads the new configuration. Uses the JDK's {@code
 * sun.misc.Signal} (module jdk.unsupported), the only way to handle a signal in Java, through
 * reflection so the build has no warning about it; where it is missing, the JVM's shutdown hook
 * still commits state.
 */
final class StopSignals {
  private StopSignals() {}

  static void install(Runnable stop) {
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
        Constructor<?> signal = signalClass.getConstructor(String.class);
        Object handler =
            Proxy.newProxyInstance(
                StopSignals.class.getClassLoader(),
                new Class<?>[] {handlerClass},
                (proxy, method, args) -> {
                  if (method.getName().equals("handle")) {
                    LoggerFactory.getLogger(StopSignals.class)
                        .info(
                            "SIG{}: finishing the round in flight, committing state{}",
                            name,
                            name.equals("HUP")
                                ? "; the configuration is not reloaded: start plateau watch"
                                    + " again to apply a new one"
                                : "");
                    stop.run();
                  }
                  return null;
                });
        Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
        handle.invoke(null, signal.newInstance(name), handler);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LoggerFactory.getLogger(StopSignals.class)
            .debug("cannot handle SIG{} ({}); relying on the shutdown hook", name, e.toString());
      }
    }
  }
}
