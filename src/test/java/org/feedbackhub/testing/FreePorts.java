package org.feedbackhub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Loopback ports nobody listens on right now, for servers a test starts on a port it names. */
public final class FreePorts {
  private FreePorts() {}

  /** A port that was free a moment ago (another process may still take it first). */
  public static int any() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
