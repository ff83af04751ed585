/**
 * The {@code ObjectStore} of S3-compatible services (AWS S3, MinIO, Ceph RGW, Cloudflare R2, Google
 * Cloud Storage's XML API) on the AWS SDK for Java v2: the default credential and region chains, an
 * endpoint from the configuration or {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}
 * (path-style addressing with it), retries with backoff and jitter, and the SDK's errors turned
 * into messages that name the bucket, the operation and where the credentials came from.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.aws;

import org.jspecify.annotations.NullMarked;
