package org.feedbackhub.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The largest request body a resource method accepts; larger bodies get 413 before parsing. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BodyLimit {
  /** The cap in bytes. */
  long value();

  /** 512 KiB: feedback record create and update. */
  long FEEDBACK_RECORD = 512 * 1024;

  /** 8 KiB: tenant settings. */
  long TENANT_SETTINGS = 8 * 1024;

  /** 16 MiB: a taxonomy result from the compute service. */
  long TAXONOMY_RESULT = 16 * 1024 * 1024;

  /** 1 MiB: any other JSON body. */
  long DEFAULT = 1024 * 1024;
}
