package dev.plateau.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.Console;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.Selector;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

/**
 * {@code decode} and {@code detect} are pure (DEVELOPERS.md): decode reads a channel it is given,
 * with no file names, threads or clock; detectors are state machines of a series with time passed
 * in. Neither touches files, sockets, databases, threads, processes, the clock, the environment or
 * the console.
 */
@AnalyzeClasses(packages = "dev.plateau", importOptions = ImportOption.DoNotIncludeTests.class)
class PureCoreTest {
  private static final String[] PURE = {"dev.plateau.decode..", "dev.plateau.detect.."};

  /** Types that reach outside the process or its thread. */
  private static final DescribedPredicate<JavaClass> OUTSIDE =
      resideInAnyPackage(
              "java.nio.file..",
              "java.net..",
              "java.sql..",
              "javax.sql..",
              "java.util.concurrent..")
          .or(resideInAPackage("java.io").and(simpleNameStartingWith("File")))
          .or(type(RandomAccessFile.class))
          .or(type(Console.class))
          .or(assignableTo(FileChannel.class))
          .or(assignableTo(NetworkChannel.class))
          .or(assignableTo(Selector.class))
          .or(assignableTo(Thread.class))
          .or(assignableTo(InstantSource.class))
          .or(type(ProcessBuilder.class))
          .or(type(Runtime.class))
          .as("are files, sockets, databases, threads, processes or a clock");

  /** The clock, the environment and the process, reached through static methods. */
  private static final List<String> SYSTEM_METHODS =
      List.of("currentTimeMillis", "nanoTime", "getenv", "getProperty", "getProperties", "exit");

  private static final DescribedPredicate<JavaMethodCall> READS_THE_CLOCK_OR_ENVIRONMENT =
      describe(
          "the clock or the environment (System."
              + String.join("/", SYSTEM_METHODS)
              + ", a java.time now())",
          call ->
              (call.getTargetOwner().isEquivalentTo(System.class)
                      && SYSTEM_METHODS.contains(call.getName()))
                  || (call.getTargetOwner().getPackageName().equals("java.time")
                      && call.getName().equals("now")));

  private static final DescribedPredicate<JavaFieldAccess> USES_THE_CONSOLE =
      describe(
          "System.in, System.out or System.err",
          access ->
              access.getTargetOwner().isEquivalentTo(System.class)
                  && Set.of("in", "out", "err").contains(access.getName()));

  @ArchTest
  static final ArchRule decodeAndDetectDoNoIo =
      noClasses()
          .that()
          .resideInAnyPackage(PURE)
          .should()
          .dependOnClassesThat(OUTSIDE)
          .orShould()
          .callMethodWhere(READS_THE_CLOCK_OR_ENVIRONMENT)
          .orShould()
          .accessFieldWhere(USES_THE_CONSOLE)
          .because("decode reads a channel it is given and detectors take time as an argument");
}
