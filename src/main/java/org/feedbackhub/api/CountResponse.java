package org.feedbackhub.api;

/** The body of a count endpoint. */
public record CountResponse(long count) {}
