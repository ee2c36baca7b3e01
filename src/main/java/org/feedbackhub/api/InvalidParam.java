package org.feedbackhub.api;

/**
 * One rejected input: {@code name} is the dotted path of the field or parameter, {@code reason} a
 * fixed phrase such as "is required".
 */
public record InvalidParam(String name, String reason) {}
