package org.feedbackhub;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, except that a {@link StartupException} is reported as one
 * line instead of a stack trace.
 */
final class HubServerCommand extends ServerCommand<HubConfiguration> {
  HubServerCommand(Application<HubConfiguration> application) {
    super(application);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StartupException) {
        cli.getStdErr().println("feedback-hub: " + t.getMessage());
        return;
      }
    }
    super.onError(cli, namespace, e);
  }
}
