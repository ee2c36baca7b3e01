package org.feedbackhub;

/**
 * A start-up failure with a one-line reason an operator can act on (bad database URL, data folder
 * in use, failed migration); printed without a stack trace.
 */
public class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
