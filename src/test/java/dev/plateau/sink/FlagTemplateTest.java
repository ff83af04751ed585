package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagTemplateTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{experiment}/done            | does not name the status",
        "/flags/{experiment}/{STATUS} | absolute",
        "../{experiment}/{STATUS}     | '..'",
        "{experiment}/../{STATUS}     | '..'",
        "{experiment}/{Status}        | unknown placeholder {Status}",
        "{experiment}/{STATUS}.tfevents | tfevents",
      })
  void invalidTemplateIsRefusedAtConstructionSayingWhy(String pattern, String why) {
    assertThatThrownBy(() -> new FlagTemplate(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern)
        .hasMessageContaining(why);
  }

  @Test
  void nulInTemplateIsRefused() {
    assertThatThrownBy(() -> new FlagTemplate("{experiment}\0/{STATUS}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void defaultTemplatePutsTheUpperCaseStatusInTheExperimentDirectory() {
    FlagTemplate template = FlagTemplate.defaults();

    assertThat(template.render("exp/sub", Status.TARGET_REACHED))
        .isEqualTo("exp/sub/TARGET_REACHED");
    assertThat(template.render(".", Status.CONVERGED)).isEqualTo("CONVERGED");
    assertThat(template.render("./exp//sub/", Status.STALLED)).isEqualTo("exp/sub/STALLED");
  }

  @Test
  void lowerCaseStatusAndRunPlaceholdersAreSubstituted() {
    assertThat(new FlagTemplate("{experiment}/.plateau/{status}.json").render("e", Status.DIVERGED))
        .isEqualTo("e/.plateau/diverged.json");
    assertThat(new FlagTemplate("flags/{run}/{STATUS}").render("a/b", Status.OVERFITTING))
        .isEqualTo("flags/a/b/OVERFITTING");
  }

  @Test
  void placeholderTextInsideAnExperimentNameIsNotSubstitutedAgain() {
    assertThat(FlagTemplate.defaults().render("{status}", Status.CONVERGED))
        .isEqualTo("{status}/CONVERGED");
  }

  @Test
  void experimentWhoseNameWouldNameAnEventFileIsRefused() {
    assertThatThrownBy(
            () ->
                new FlagTemplate("{experiment}.{status}")
                    .render("events.out.tfevents", Status.CONVERGED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tfevents");
  }
}
