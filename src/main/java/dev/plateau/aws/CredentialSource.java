package dev.plateau.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Where the default chain found credentials, in words, for messages: the SDK names the provider
 * with its short feature codes, which say nothing to a person. Never a secret: the access key id's
 * last four characters at most.
 */
final class CredentialSource {
  private static final Map<String, String> CODES =
      Map.ofEntries(
          Map.entry("e", "credentials given in code"),
          Map.entry("f", "the aws.accessKeyId and aws.secretAccessKey system properties"),
          Map.entry("g", "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"),
          Map.entry(
              "h", "web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, as IRSA sets)"),
          Map.entry("i", "an STS assumed role"),
          Map.entry("k", "an STS role assumed with a web identity"),
          Map.entry("m", "an STS session token"),
          Map.entry("n", "a profile of ~/.aws (AWS_PROFILE, default 'default')"),
          Map.entry("o", "a profile's source profile"),
          Map.entry("q", "a profile's web identity"),
          Map.entry("r", "a profile's SSO session"),
          Map.entry("s", "SSO"),
          Map.entry("v", "a profile's credential process"),
          Map.entry("w", "a credential process"),
          Map.entry("z", "the container's credentials endpoint (ECS, EKS Pod Identity)"),
          Map.entry("0", "the instance's role (instance metadata)"));

  private CredentialSource() {}

  /** Where {@code provider} finds credentials now, or where it looked when it finds none. */
  static String describe(AwsCredentialsProvider provider) {
    try {
      AwsCredentials found = provider.resolveCredentials();
      String names = found.providerName().map(CredentialSource::words).orElse("the default chain");
      return names + ", access key id ending in " + tail(found.accessKeyId());
    } catch (SdkException e) {
      return "nowhere: the default chain found none (it looks at the aws.accessKeyId system"
          + " property, AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE, the profile of"
          + " AWS_PROFILE in ~/.aws, the container and the instance roles)";
    }
  }

  static String words(String codes) {
    List<String> out = new ArrayList<>();
    for (String code : codes.split(",")) {
      out.add(CODES.getOrDefault(code.strip(), code.strip()));
    }
    return String.join(" via ", out);
  }

  private static String tail(String keyId) {
    return keyId.length() <= 8 ? "…" : "…" + keyId.substring(keyId.length() - 4);
  }
}
