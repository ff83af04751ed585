package dev.plateau.objectstore;

/**
 * An object as a listing shows it.
 *
 * @param key its key in the bucket
 * @param size its length in bytes
 * @param etag the store's tag of its content (changes whenever the object is written again)
 */
public record StoredObject(String key, long size, String etag) {}
