package dev.plateau.objectstore;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param objects the objects of the page, in key order
 * @param next the token of the next page, or null when this was the last
 */
public record ObjectPage(List<StoredObject> objects, @Nullable String next) {
  public ObjectPage {
    objects = List.copyOf(objects);
  }
}
