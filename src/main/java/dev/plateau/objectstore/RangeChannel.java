package dev.plateau.objectstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The bytes of one ranged GET as a read-only channel whose positions are the object's offsets: the
 * range starts at {@code base}, and the channel ends where the range ends (a record cut there is an
 * incomplete tail, read again once more of the object is fetched).
 */
final class RangeChannel implements SeekableByteChannel {
  private final long base;
  private final byte[] bytes;
  private long position;
  private boolean open = true;

  RangeChannel(long base, byte[] bytes) {
    this.base = base;
    this.bytes = bytes;
    this.position = base;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (position < base) {
      throw new IOException(
          "offset " + position + " is before the bytes fetched, which start at " + base);
    }
    long at = position - base;
    if (at >= bytes.length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), bytes.length - at);
    dst.put(bytes, (int) at, n);
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return base + bytes.length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
