package dev.plateau.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A read-only {@link SeekableByteChannel} over an in-memory "file" that a test can grow, overwrite
 * or cut between reads, as a writer would. Also counts reads and the largest read buffer offered,
 * so tests can see how the reader uses the channel.
 */
public final class MemoryChannel implements SeekableByteChannel {
  private byte[] bytes;
  private int size;
  private long position;
  private boolean open = true;
  private int reads;

  public MemoryChannel(byte[] initial) {
    this.bytes = initial.clone();
    this.size = initial.length;
  }

  public MemoryChannel() {
    this(new byte[0]);
  }

  /** Appends bytes at the end of the "file". */
  public void append(byte[] more) {
    append(more, 0, more.length);
  }

  public void append(byte[] more, int offset, int length) {
    if (size + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
    }
    System.arraycopy(more, offset, bytes, size, length);
    size += length;
  }

  /** Overwrites bytes in place (as a network filesystem filling in a zero-filled block). */
  public void overwrite(long at, byte[] with) {
    if (at + with.length > size) {
      throw new IllegalArgumentException("overwrite past the end");
    }
    System.arraycopy(with, 0, bytes, (int) at, with.length);
  }

  public byte[] contents() {
    return Arrays.copyOf(bytes, size);
  }

  public int reads() {
    return reads;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    reads++;
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - position);
    dst.put(bytes, (int) position, n);
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
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
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
