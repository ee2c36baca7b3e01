package org.feedbackhub.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class of the internal API: it needs {@code HUB_INTERNAL_API_TOKEN}, and the API
 * key does not open it (nor does that token open anything else).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface InternalApi {}
